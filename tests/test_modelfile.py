"""Model files of a Network: round trip, atomic save, and a precise error for each bad file.

The core's part, which a board runs too; the optional fields of a table's model
(scaling, classes, ...) are tests/test_model.py's."""
import json
import os

from helpers import raises, remove, temp_path
import tinybackprop as tb
from tinybackprop.core.errors import TinyBackpropError
from tinybackprop.files.modelfile import LATER, OPTIONAL, to_json
from tinybackprop.network import from_json, load

# The tests that need a file system to write to (tests/portable.py skips them on a board without one).
WRITES_FILES = ("test_save_load_round_trip_gives_identical_predictions",
                "test_save_replaces_the_old_file_and_leaves_no_temporary",
                "test_a_model_that_cannot_be_saved_leaves_the_old_file_alone",
                "test_save_checks_everything_load_checks")


def trained():
    net = tb.Network([2, 3, 2], activations=["tanh", "softmax"], loss="cross_entropy", seed=3)
    net.train([([0.1, 0.9], [1.0, 0.0]), ([0.8, 0.2], [0.0, 1.0])], epochs=5)
    return net


def test_a_networks_file_has_every_first_optional_field_null_and_no_later_one():
    # The fields added after the first six (LATER) are written only when set, so a
    # file that does not use them is the same as before and reads in older versions.
    data = json.loads(to_json(trained()))
    first = [name for name in OPTIONAL if name not in LATER]
    assert LATER and sorted(data) == sorted(["format", "version", "sizes", "activations", "loss", "weights",
                                             "biases"] + first)
    assert [data[name] for name in first] == [None] * len(first)
    with_id = json.loads(to_json(trained(), {"id_name": "rownames"}))
    assert with_id["id_name"] == "rownames" and sorted(with_id) == sorted(list(data) + ["id_name"])


def test_save_load_round_trip_gives_identical_predictions():
    net = trained()
    path = temp_path("round-trip.json")
    net.save(path)
    back = load(path)
    again = tb.load(path)  # no classes: tinybackprop.load gives the Network too
    remove(path)
    for x in ([0.0, 0.0], [0.3, -1.2], [5.0, 2.0]):
        assert back.predict(x) == net.predict(x) == again.predict(x)
    assert (back.sizes, back.activations, back.loss) == (net.sizes, net.activations, net.loss)
    assert back.weights == net.weights and back.biases == net.biases


def test_save_replaces_the_old_file_and_leaves_no_temporary():
    path = temp_path("replace.json")
    tb.Network([1, 1], seed=1).save(path)
    net = tb.Network([1, 1], seed=2)
    net.save(path)
    assert tb.load(path).weights == net.weights
    assert not os.path.exists(path + ".tmp") if hasattr(os, "path") else True
    remove(path)


def test_a_model_that_cannot_be_saved_leaves_the_old_file_alone():
    path = temp_path("keep.json")
    tb.Network([1, 1], seed=1).save(path)
    before = open(path).read()
    broken = tb.Network([1, 1])
    broken.weights[0][0][0] = float("nan")
    assert "finite" in raises(TinyBackpropError, broken.save, path)
    assert open(path).read() == before
    remove(path)


def corrupt(change):
    """The model file of trained() as a dict, changed by change(data)."""
    data = json.loads(to_json(trained()))
    change(data)
    return json.dumps(data)


def set_item(container, key, value):  # MicroPython's list has no __setitem__ to call
    container[key] = value


def test_each_malformed_model_file_is_refused_with_its_problem():
    def pop(key):
        return lambda d: d.pop(key)

    def put(key, value):
        return lambda d: set_item(d, key, value)

    cases = [
        (pop("weights"), "'weights' is missing"),
        (put("format", "keras"), "format is 'keras'"),
        (put("version", 2), "version is 2"),
        (put("sizes", [2, 0, 2]), "sizes[1]"),
        (put("activations", ["tanh", "softmaxx"]), "did you mean 'softmax'"),
        (put("loss", "hinge"), "unknown loss 'hinge'"),
        (put("extra", 1), "unknown key 'extra'"),
        (lambda d: d["weights"].pop(), "weights has 1 entries, expected 2 matrices"),
        (lambda d: d["weights"][0].pop(), "weights[0] has 2 entries, expected 3 rows (layer 1 has 3 neurons)"),
        (lambda d: d["weights"][1][0].append(0.5), "weights[1][0] has 4 numbers, but layer 1 has 3 neurons"),
        (lambda d: set_item(d["weights"][0][1], 0, "x"), "weights[0][1][0] is 'x', not a number"),
        # MicroPython's json has no NaN token: there the file is refused as not JSON.
        (lambda d: set_item(d["biases"][1], 1, float("nan")), ("biases[1][1] is nan", "not a valid JSON")),
        (lambda d: set_item(d["weights"][0], 0, 3.0), "weights[0][0] must be a list"),
    ]
    for change, expected in cases:
        message = raises(TinyBackpropError, from_json, corrupt(change), "m.json")
        alternatives = expected if isinstance(expected, tuple) else (expected,)
        assert message.startswith("m.json: "), message
        assert any(e in message for e in alternatives), (expected, message)
    assert "not a valid JSON" in raises(TinyBackpropError, from_json, to_json(trained())[:-20], "m")
    assert "one JSON object" in raises(TinyBackpropError, from_json, "[1, 2]", "m")


def test_save_checks_everything_load_checks():
    # A network load would refuse is never written: the old file stays.
    path = temp_path("checked.json")
    trained().save(path)
    before = open(path).read()
    cases = [(lambda net: set_item(net.weights[1][0], 2, float("inf")), "weights[1][0][2] is inf"),
             (lambda net: net.biases[0].pop(), "biases[0] has 2 numbers, but layer 1 has 3 neurons"),
             (lambda net: set_item(net.activations, 0, "swish"), "unknown activation 'swish'")]
    for change, expected in cases:
        net = trained()
        change(net)
        message = raises(TinyBackpropError, net.save, path)
        assert message.startswith("cannot save: ") and expected in message, (expected, message)
        assert open(path).read() == before
    remove(path)


def test_ints_in_a_model_file_are_read_as_floats():
    data = json.loads(to_json(tb.Network([2, 1], activations="identity")))
    data["weights"], data["biases"] = [[[1, -2]]], [[3]]
    net = from_json(json.dumps(data))
    numbers = net.weights[0][0] + net.biases[0]
    assert numbers == [1.0, -2.0, 3.0]
    assert set(type(v) for v in numbers) == {float}


def test_weights_of_null_are_refused_not_drawn_at_random():
    # null weights once meant "initialise at random": a small file declaring a huge
    # network allocated gigabytes, and a small one predicted at random with no error.
    for key in ("weights", "biases"):
        message = raises(TinyBackpropError, from_json, corrupt(lambda d: set_item(d, key, None)), "m.json")
        assert "%s must be a list" % key in message
    huge = corrupt(lambda d: set_item(d, "sizes", [20000, 20000, 2]))
    assert "more than the 10000000" in raises(TinyBackpropError, from_json, huge, "m.json")


def test_duplicate_keys_are_refused():
    text = to_json(trained()).replace('"loss": ', '"loss": "mse",\n"loss": ', 1)
    if hasattr(json, "JSONDecodeError"):  # CPython, PyPy; MicroPython's json keeps the last silently
        assert "the key 'loss' appears twice" in raises(TinyBackpropError, from_json, text, "m")


def test_json_nested_too_deeply_is_an_error_not_a_crash():
    # 3,000 levels: CPython's parser recurses, and stops with RecursionError.
    message = raises(TinyBackpropError, from_json, "[" * 3000 + "]" * 3000, "deep.json")
    assert message.startswith("deep.json: ")
