"""A model for a table (tinybackprop.data.model): a Network and its preprocessing, saved
in one model file, its optional fields checked one by one when read and before written."""
import json

import tinybackprop as tb
from helpers import for_this_width, raises, remove, temp_path
from tinybackprop.core.errors import TinyBackpropError
from tinybackprop.data.model import FIELDS, Model, as_model, from_json, load, to_json
from tinybackprop.files.modelfile import OPTIONAL
from tinybackprop.network import load as load_network

ROUND_TRIP = 1e-12  # x made raw and back: (x s + m - m) / s, a few roundings


def trained():
    net = tb.Network([2, 3, 2], activations=["tanh", "softmax"], loss="cross_entropy", seed=3)
    net.train([([0.1, 0.9], [1.0, 0.0]), ([0.8, 0.2], [0.0, 1.0])], epochs=5)
    return Model(net, scaling={"mean": [0.5, 0.5], "std": [0.25, 2.0]}, classes=["left", "right"],
                 feature_names=["u", "v"], target_name="side")


def test_the_models_fields_are_the_model_files_optional_fields():
    assert FIELDS == OPTIONAL  # two names for one list: modelfile does not import the data layer
    model = as_model(tb.Network([2, 1]))
    assert [getattr(model, name) for name in FIELDS] == [None] * len(FIELDS)
    assert as_model(model) is model
    assert not any(hasattr(model.network, name) for name in FIELDS)  # the Network holds the math only


def test_save_load_round_trip_gives_identical_predictions():
    model = trained()
    net = model.network
    path = temp_path("model-round-trip.json")
    model.save(path)
    back, estimator, alone = load(path), tb.load(path), load_network(path)
    remove(path)
    assert isinstance(estimator, tb.Classifier)  # with classes: one that takes raw rows
    for x in ([0.0, 0.0], [0.3, -1.2], [5.0, 2.0]):
        assert back.network.predict(x) == alone.predict(x) == net.predict(x)
        raw = [x[j] * model.scaling["std"][j] + model.scaling["mean"][j] for j in range(2)]
        probabilities = estimator.predict_proba([raw])[0]
        assert max(abs(p - q) for p, q in zip(probabilities, net.predict(x))) < for_this_width(ROUND_TRIP)
    assert [getattr(back, name) for name in FIELDS] == [getattr(model, name) for name in FIELDS]


def corrupt(change):
    data = json.loads(to_json(trained()))
    change(data)
    return json.dumps(data)


def test_each_malformed_field_is_refused_with_its_problem():
    cases = [("classes", ["a"], "classes has 1 entries, expected 2 labels"),
             ("scaling", {"mean": [0, 0], "std": [1, 0]}, "scaling.std[1] is 0"),
             ("scaling", {"mean": [0, 0]}, 'scaling must be null or {"mean"'),
             ("feature_names", ["u", 7], "feature_names[1] is 7, not a string"),
             ("feature_names", ["u", "u"], "feature_names[1] is 'u', as is feature_names[0]"),
             ("target_name", 3, "target_name must be null or a string, got 3"),
             ("id_name", ["id"], "id_name must be null or a string, got ['id']"),
             ("target_scaling", {"mean": 1.0, "std": -1.0}, "target_scaling.std is -1.0"),
             ("columns", [{"name": "u", "kind": "number", "fill": None}], "columns make the inputs ['u']")]
    for key, value, expected in cases:
        message = raises(TinyBackpropError, from_json, corrupt(lambda d: d.__setitem__(key, value)), "m.json")
        assert message.startswith("m.json: ") and expected in message, (expected, message)
    # tinybackprop.load checks them too; the Network alone (as a board reads it) does not use them
    path = temp_path("bad-scaling.json")
    with open(path, "w") as f:
        f.write(corrupt(lambda d: d.__setitem__("scaling", {"mean": [0, 0], "std": [1, 0]})))
    assert "scaling.std[1] is 0" in raises(TinyBackpropError, tb.load, path)
    assert load_network(path).sizes == [2, 3, 2]
    remove(path)


def test_save_checks_every_field_load_checks():
    path = temp_path("model-checked.json")
    trained().save(path)
    before = open(path).read()
    cases = [("classes", ["left"], "classes has 1 entries"),
             ("classes", ["left", None], "classes[1] is None, not a string or a finite number"),
             ("classes", ["same", "same"], "each name must differ"),
             ("scaling", {"mean": [0.0, 0.0], "std": [1.0, float("nan")]}, "scaling.std[1] is nan"),
             ("target_scaling", {"mean": 1.0, "std": 0.0}, "target_scaling.std is 0.0")]
    for key, value, expected in cases:
        model = trained()
        setattr(model, key, value)
        message = raises(TinyBackpropError, model.save, path)
        assert message.startswith("cannot save: ") and expected in message, (key, message)
        assert open(path).read() == before
    remove(path)


def test_ints_in_the_fields_are_read_as_floats():
    data = json.loads(to_json(trained()))
    data["scaling"] = {"mean": [0, 1], "std": [1, 2]}
    data["target_scaling"] = {"mean": 3, "std": 4}
    model = from_json(json.dumps(data))
    numbers = model.scaling["mean"] + model.scaling["std"] + [model.target_scaling["mean"]]
    assert numbers == [0.0, 1.0, 1.0, 2.0, 3.0]
    assert set(type(v) for v in numbers) == {float}
