"""Seeded, bounded fuzzing: corrupted model files and CSV files give the library's
error (or a clean command-line error), never anything else."""
import contextlib
import io
import json
import os

import tinybackprop as tb
from helpers import seeded
from tinybackprop.front.cli import main
from tinybackprop.data.rows import dataset_path
from tinybackprop.data.tables import read_table
from tinybackprop.core.errors import TinyBackpropError
from tinybackprop.data.model import Model, from_json, load, to_json, x_of

MODEL_CASES = 400
CSV_CASES = 300
CLI_CASES = 40  # of the CSV cases, also run through `train` (slower)
WRONG_VALUES = [None, True, "x", "", 1e400, -1, 0, 2.5, [], {}, [[]], [1, "a"], {"mean": []}]


def valid_model_text():
    net = tb.Network([3, 4, 2], activations=["tanh", "softmax"], loss="cross_entropy", seed=5)
    return to_json(Model(net, scaling={"mean": [0.5, -1.0, 2.0], "std": [1.0, 2.0, 0.5]}, classes=["no", "yes"],
                         feature_names=["u", "v", "w"], target_name="answer"))


def containers(value, path=()):
    """Every (path, list or dict) inside value, value itself included."""
    found = [(path, value)] if isinstance(value, (list, dict)) else []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
    for key, item in items:
        found += containers(item, path + (key,))
    return found


def corrupt_model(rng, text):
    """One random corruption of a model file's text."""
    kind = rng.below(6)
    if kind == 0:  # truncated
        return text[:rng.below(len(text))]
    if kind == 1:  # a character replaced
        k = rng.below(len(text))
        return text[:k] + "x]}{,:\"0-e.NaInfity "[rng.below(20)] + text[k + 1:]
    data = json.loads(text)
    places = containers(data)
    where, container = places[rng.below(len(places))]
    keys = list(container) if isinstance(container, dict) else list(range(len(container)))
    if kind == 2 and keys:  # a key or an entry dropped
        del container[keys[rng.below(len(keys))]]
    elif kind == 3 and keys:  # a value of the wrong type
        container[keys[rng.below(len(keys))]] = WRONG_VALUES[rng.below(len(WRONG_VALUES))]
    elif kind == 4 and isinstance(container, list):  # a list one longer
        container.append(container[0] if container else 0.5)
    else:  # a non-finite number somewhere
        if keys:
            container[keys[rng.below(len(keys))]] = [float("nan"), float("inf"), -float("inf")][rng.below(3)]
    return json.dumps(data)


def test_corrupted_model_files_give_the_library_error():
    rng = seeded(2026)
    text = valid_model_text()
    refused = 0
    for case in range(MODEL_CASES):
        corrupted = corrupt_model(rng, text)
        try:
            model = from_json(corrupted, "fuzz.json")
        except TinyBackpropError as e:
            assert str(e).startswith("fuzz.json: "), (case, str(e))
            refused += 1
            continue
        # Accepted: then it must be a working model, from a raw row to a^L.
        net = model.network
        assert len(net.predict(x_of(model, [0.1, 0.2, 0.3], "row"))) == net.sizes[-1], case
    assert refused >= MODEL_CASES // 2, refused  # most corruptions are real errors


def test_corrupted_model_files_on_disk(tmp_path):
    rng = seeded(7)
    text = valid_model_text()
    path = str(tmp_path / "m.json")
    refused = 0
    for case in range(50):
        data = bytearray(text.encode())
        for _ in range(1 + rng.below(4)):  # flipped bytes: may not even be UTF-8
            data[rng.below(len(data))] = rng.below(256)
        with open(path, "wb") as f:
            f.write(bytes(data))
        try:
            model = load(path)  # anything but the library's error fails the test
        except TinyBackpropError as e:
            assert str(e).startswith(path + ": "), (case, str(e))  # it names the file
            refused += 1
            continue
        # Accepted (a flipped digit in a weight, say): then it must be a working model.
        net = model.network
        a = net.predict(x_of(model, [0.1, 0.2, 0.3], "row"))
        assert len(a) == net.sizes[len(net.sizes) - 1], case
    assert refused >= 25, refused  # most flipped bytes break the JSON or a field


def valid_csv_text():
    with open(dataset_path("iris")) as f:
        lines = f.read().splitlines()
    return "\n".join(lines[:1] + lines[1:150:5]) + "\n"  # the header and 30 rows, all 3 classes


def corrupt_csv(rng, text):
    lines = text.split("\n")
    kind = rng.below(7)
    k = 1 + rng.below(len(lines) - 2)
    if kind == 0:  # truncated anywhere
        return text[:rng.below(len(text))]
    if kind == 1:  # a field dropped
        fields = lines[k].split(",")
        del fields[rng.below(len(fields))]
        lines[k] = ",".join(fields)
    elif kind == 2:  # a field replaced
        fields = lines[k].split(",")
        fields[rng.below(len(fields))] = ["abc", "nan", "inf", "-inf", "", "1e999", '"', "1,2", "\x00",
                                          "  ", "setosa"][rng.below(11)]
        lines[k] = ",".join(fields)
    elif kind == 3:  # the header dropped
        lines = lines[1:]
    elif kind == 4:  # only one class left
        lines = [lines[0]] + [line for line in lines[1:] if line.endswith("setosa")]
    elif kind == 5:  # a random byte
        data = bytearray(text.encode())
        data[rng.below(len(data))] = rng.below(256)
        return bytes(data)
    else:  # an extra field
        lines[k] += ",7"
    return "\n".join(lines)


def write(path, content):
    with open(path, "wb") as f:
        f.write(content if isinstance(content, bytes) else content.encode())


def test_corrupted_csv_files_give_the_library_error_or_a_clean_command_line_error(tmp_path):
    rng = seeded(99)
    text = valid_csv_text()
    refused = 0
    for case in range(CSV_CASES):
        path = str(tmp_path / ("c%d.csv" % case))
        write(path, corrupt_csv(rng, text))
        try:
            read_table(path)
        except TinyBackpropError:
            refused += 1
        if case < CLI_CASES:
            model = str(tmp_path / ("c%d.json" % case))
            err = io.StringIO()
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                code = main(["train", path, "--epochs", "1", "--quiet", "--save", model])
            assert code in (0, 2), (case, code)
            if code == 2:
                assert len(err.getvalue().strip().splitlines()) == 1, err.getvalue()
                assert not os.path.exists(model)
            else:
                assert tb.load(model).network.sizes[0] >= 1
    assert refused >= CSV_CASES // 3, refused


# -- Hostile names, links, special files, size bombs ---------------------------------

FRAGMENTS = ['"""', "'''", "\\N{x}", "\\", "\n", "\r", "\x00", "\x1b[2J", "*/", "/*", "??/", "#", "%s", "%(x)s",
             "{0}", "\u00e9", "\u202e", "\ufeff", "=cmd|' /C calc'!A0", "<svg onload=alert(1)>", "&amp;",
             "import os; os.environ['TB_FUZZ_PWNED'] = '1'"]
HOSTILE_CASES = 60
BOMB_CASES = 40


def hostile_name(rng, taken):
    while True:
        name = "".join(FRAGMENTS[rng.below(len(FRAGMENTS))] for _ in range(1 + rng.below(4)))
        if name not in taken:
            return name


def test_hostile_names_survive_every_export_as_data(tmp_path):
    from tinybackprop.export.sources import c_header_source, int8_module_source, module_source
    from tinybackprop.seeing.plot import training_svg
    import xml.etree.ElementTree as ElementTree
    rng = seeded(14)
    os.environ.pop("TB_FUZZ_PWNED", None)
    for case in range(HOSTILE_CASES):
        net = tb.Network([2, 3, 2], activations=["tanh", "softmax"], loss="cross_entropy", seed=case)
        names = []
        for _ in range(5):
            names.append(hostile_name(rng, names))
        path = str(tmp_path / ("m%d.json" % case))
        Model(net, feature_names=names[:2], classes=names[2:4], target_name=names[4]).save(path)
        back = tb.load(path).model_  # it has classes: a Classifier
        assert (back.feature_names, back.classes, back.target_name) == (names[:2], names[2:4], names[4])
        for source in (module_source(back, source=names[0]), int8_module_source(back)):
            namespace = {}
            exec(compile(source, "exported", "exec"), namespace)  # a SyntaxError fails the test
            assert list(namespace["CLASSES"]) == names[2:4]
        assert "TB_FUZZ_PWNED" not in os.environ, case
        c_header_source(back)  # test_export.py compiles headers with such names
        history = [{"epoch": 1, "loss": 0.5, "accuracy": 0.5, "val_loss": None, "val_accuracy": None}]
        ElementTree.fromstring(training_svg(history, names[4]))  # well-formed XML


def test_saves_through_random_links_keep_the_links_and_touch_nothing_else(tmp_path):
    rng = seeded(15)
    for case in range(30):
        folder = tmp_path / ("case%d" % case)
        folder.mkdir()
        bystander = folder / "bystander.txt"
        bystander.write_text("untouched")
        real = folder / "real.json"
        kind = rng.below(4)
        if kind == 0:  # a link to an existing model
            tb.Network([2, 1], seed=1).save(str(real))
            os.symlink(str(real), str(folder / "m.json"))
        elif kind == 1:  # a dangling link: the model is created where it points
            os.symlink(str(real), str(folder / "m.json"))
        elif kind == 2:  # a chain of two links
            tb.Network([2, 1], seed=1).save(str(real))
            os.symlink(str(real), str(folder / "middle.json"))
            os.symlink(str(folder / "middle.json"), str(folder / "m.json"))
        else:  # links planted at names a careless writer might use
            for name in ("m.json.tmp", ".m.json.tmp", "m.json~"):
                os.symlink(str(bystander), str(folder / name))
        net = tb.Network([2, 1], seed=2 + case)
        net.save(str(folder / "m.json"))
        assert tb.load(str(folder / "m.json")).weights == net.weights, case
        assert bystander.read_text() == "untouched", case
        if kind in (0, 1, 2):
            assert os.path.islink(str(folder / "m.json")) and tb.load(str(real)).weights == net.weights
        assert not [n for n in os.listdir(str(folder)) if n.endswith(".tmp") and not os.path.islink(str(folder / n))]


def test_special_files_are_refused_by_every_reader(tmp_path):
    from tinybackprop.data.rows import read_csv
    fifo = tmp_path / "fifo"
    os.mkfifo(str(fifo))
    specials = [str(fifo), str(tmp_path)] + [p for p in ("/dev/zero", "/dev/null", "/dev/urandom")
                                              if os.path.exists(p)]
    for path in specials:
        for reader in (load, read_csv, read_table):
            try:
                reader(path)
            except TinyBackpropError as e:
                assert "not a regular file" in str(e), (path, reader)
            else:
                raise AssertionError("%s read %s" % (reader.__name__, path))


def test_size_bombs_are_refused_before_they_allocate():
    # Model files whose sizes promise far more than they hold: refused at once, whatever
    # their weights say (null, short, or absent).
    import time
    rng = seeded(16)
    started = time.time()
    for case in range(BOMB_CASES):
        data = json.loads(valid_model_text())
        big = [10 ** (2 + rng.below(12)) for _ in range(1 + rng.below(3))]
        data["sizes"] = [3] + big[:len(big) - 1] + [2] if len(big) > 1 else [3, big[0], 2]
        data["weights"] = [None, [], [[0.5]], "x"][rng.below(4)]
        text = json.dumps(data)
        try:
            from_json(text, "bomb.json")
        except TinyBackpropError:
            continue
        raise AssertionError("accepted %r" % data["sizes"])
    assert time.time() - started < 10  # nothing was allocated for the promised sizes
