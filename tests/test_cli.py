"""The command line: train, predict, evaluate, the progress line, the SVG, and bad input."""
import math
import os
import re
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree

import tinybackprop as tb
from interpreters import ROOT
from tinybackprop.front.cli.progress import progress_line
from tinybackprop.data.rows import dataset_path

IRIS = dataset_path("iris")
SVG = "{http://www.w3.org/2000/svg}"


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "tinybackprop"] + list(args), cwd=cwd,
                          env=dict(os.environ, PYTHONPATH=ROOT), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=600)


def write(path, text):
    with open(str(path), "w") as f:
        f.write(text)
    return str(path)


def test_progress_line_format():
    record = {"epoch": 3, "loss": 0.123456, "accuracy": 0.95, "val_loss": 0.2, "val_accuracy": 0.9}
    assert progress_line(record, 20, 4567.8, 75, test=(0.3, 0.875)) == \
        "epoch   3/20  loss 0.1235  train acc 0.950  val acc 0.900  test acc 0.875     4568 samples/s  1:15 left"
    # Regression: the RMSE in the target's units, sqrt(loss) * std: sqrt(0.25) * 4 = 2
    record = {"epoch": 1, "loss": 0.25, "accuracy": None, "val_loss": None, "val_accuracy": None}
    assert progress_line(record, 5, 100.0, 3725, regression_std=4.0, test=(1.0, None)) == \
        "epoch   1/5  loss 0.2500  train rmse 2  test rmse 4      100 samples/s  1:02:05 left"


def test_train_iris_saves_a_model_and_reports(tmp_path):
    out = run("train", IRIS, "--save", str(tmp_path / "iris.json"), "--epochs", "30")
    assert out.returncode == 0, out.stderr
    epochs = [line for line in out.stdout.splitlines() if line.startswith("epoch")]
    assert len(epochs) == 30
    assert re.match(r"epoch  30/30  loss \d\.\d{4}  train acc \d\.\d{3}  test acc \d\.\d{3} +\d+ "
                    r"samples/s  0:00 left$", epochs[-1]), epochs[-1]
    assert "150 rows, 4 features, 3 classes of 'label'; 120 to train, 30 held out" in out.stdout
    accuracy = float(re.search(r"held-out accuracy: (\d\.\d+)", out.stdout).group(1))
    assert accuracy >= 0.9
    assert "model saved to %s" % (tmp_path / "iris.json") in out.stdout
    estimator = tb.load(str(tmp_path / "iris.json"))
    model = estimator.model_  # the Network and its preprocessing
    assert estimator.classes_ == model.classes == ["setosa", "versicolor", "virginica"]
    assert model.feature_names == ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    assert model.target_name == "label" and len(model.scaling["mean"]) == 4
    assert model.network.sizes == [4, 32, 3]
    quiet = run("train", IRIS, "--epochs", "5", "--quiet")
    assert quiet.returncode == 0 and "epoch" not in quiet.stdout and "held-out accuracy" in quiet.stdout


def test_predict_matches_columns_by_name_and_evaluate_counts(tmp_path):
    model = str(tmp_path / "iris.json")
    assert run("train", IRIS, "--save", model, "--epochs", "30", "--quiet").returncode == 0
    with open(IRIS) as f:
        rows = [line.strip().split(",") for line in f if line.strip()]
    # Columns reordered and the target dropped: matched by the names in the model.
    shuffled = [[r[3], r[1], r[0], r[2]] for r in rows]
    data = write(tmp_path / "no_target.csv", "\n".join(",".join(r) for r in shuffled) + "\n")
    out = run("predict", model, data)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "prediction,setosa,versicolor,virginica" and len(lines) == 151
    first = lines[1].split(",")
    assert first[0] == "setosa" and abs(sum(float(p) for p in first[1:]) - 1.0) < 1e-5
    predicted = [line.split(",")[0] for line in lines[1:]]
    right = sum(p == r[4] for p, r in zip(predicted, rows[1:]))
    out = run("predict", model, IRIS, "--out", str(tmp_path / "p.csv"))
    with open(str(tmp_path / "p.csv")) as f:
        assert f.read().splitlines() == lines
    out = run("evaluate", model, IRIS)
    assert out.returncode == 0, out.stderr
    assert "accuracy: %.3f (%d of 150 right)" % (right / 150, right) in out.stdout
    matrix = [line.split()[1:] for line in out.stdout.splitlines()[-3:]]
    assert sum(int(v) for row in matrix for v in row) == 150
    assert sum(int(matrix[i][i]) for i in range(3)) == right


def sine_csv(tmp_path):
    rows = ["x,noise,y"] + ["%r,%r,%r" % (x / 50.0, (k * 7 % 11) / 11.0, 10 + 3 * math.sin(x / 50.0))
                             for k, x in enumerate(range(-150, 151))]
    return write(tmp_path / "sine.csv", "\n".join(rows) + "\n")


def test_regression_train_predict_evaluate(tmp_path):
    data, model = sine_csv(tmp_path), str(tmp_path / "sine.json")
    out = run("train", data, "--save", model, "--hidden", "16", "--epochs", "60", "--lr", "0.02")
    assert out.returncode == 0, out.stderr
    assert "regression of 'y'" in out.stdout and "test rmse" in out.stdout
    rmse = float(re.search(r"held-out RMSE: ([\d.e-]+)", out.stdout).group(1))
    assert rmse < 0.3  # y spans 7 to 13
    loaded = tb.load(model).model_
    assert loaded.classes is None and abs(loaded.target_scaling["mean"] - 10.0) < 0.3
    out = run("predict", model, data)
    values = [float(v) for v in out.stdout.splitlines()[1:]]
    assert out.stdout.startswith("prediction\n") and len(values) == 301
    assert abs(values[150] - 10.0) < 0.5  # x = 0: y = 10
    out = run("evaluate", model, data)
    assert out.returncode == 0 and re.match(r"RMSE: [\d.e-]+  MAE: [\d.e-]+  \(301 rows", out.stdout)


def test_integer_targets_are_classes_and_target_can_be_named(tmp_path):
    rows = ["label,a,b"] + ["%d,%r,%r" % (k % 3, float(k % 3) + 0.1 * (k % 5), float(k % 7))
                            for k in range(90)]
    data = write(tmp_path / "ints.csv", "\n".join(rows) + "\n")
    out = run("train", data, "--target", "label", "--epochs", "20", "--save", str(tmp_path / "m.json"))
    assert out.returncode == 0, out.stderr
    assert "3 classes of 'label'" in out.stdout
    assert tb.load(str(tmp_path / "m.json")).model_.feature_names == ["a", "b"]
    out = run("train", data, "--target", "label", "--regression", "--epochs", "5")
    assert out.returncode == 0 and "regression of 'label'" in out.stdout


def test_plot_is_well_formed_svg_with_curves_and_regions(tmp_path):
    rows = ["u,v,side"] + ["%r,%r,%s" % (math.cos(k), math.sin(3 * k), "left" if math.cos(k) < 0 else "right")
                           for k in range(100)]
    data = write(tmp_path / "two.csv", "\n".join(rows) + "\n")
    out = run("train", data, "--epochs", "10", "--plot", str(tmp_path / "two.svg"))
    assert out.returncode == 0, out.stderr
    root = ElementTree.parse(str(tmp_path / "two.svg")).getroot()
    assert root.tag == SVG + "svg"
    assert len([e for e in root.iter(SVG + "polyline") if e.get("class") == "curve"]) == 4
    assert len([e for e in root.iter(SVG + "rect") if e.get("class") == "region"]) == 60 * 60
    assert len([e for e in root.iter(SVG + "circle") if e.get("class") == "sample"]) == 100
    texts = [e.text for e in root.iter(SVG + "text")]
    for label in ("epoch", "mean loss", "accuracy", "u", "v", "left", "right", "decision regions"):
        assert label in texts, label
    out = run("train", IRIS, "--epochs", "3", "--plot", str(tmp_path / "iris.svg"))
    root = ElementTree.parse(str(tmp_path / "iris.svg")).getroot()
    assert not [e for e in root.iter(SVG + "rect") if e.get("class") == "region"]  # four features
    # --quiet hides the progress lines only: the held-out curves are still drawn (issue 29)
    assert run("train", data, "--epochs", "10", "--quiet", "--plot", str(tmp_path / "quiet.svg")).returncode == 0
    quiet = ElementTree.parse(str(tmp_path / "quiet.svg")).getroot()
    assert len([e for e in quiet.iter(SVG + "polyline") if e.get("class") == "curve"]) == 4


def test_a_target_named_in_another_case_gets_a_did_you_mean(tmp_path):
    message = run("train", IRIS, "--target", "Label").stderr
    assert "no column named 'Label' (--target) (did you mean 'label'?)" in message, message


def bad_input_cases(tmp_path):
    """(name, CSV text, the words the error must contain)"""
    return [
        ("empty.csv", "", ["empty.csv", "no data"]),
        ("header_only.csv", "a,b,label\n", ["no data"]),
        ("ragged.csv", "a,b,label\n1,2,x\n3,y\n", ["ragged.csv, line 3", "2 fields", "header has 3"]),
        ("names.csv", "a,name,label\n" + "".join("%d,n%d,%s\n" % (k, k, "xy"[k % 2]) for k in range(30)),
         ["names.csv: every feature column identifies the rows", "'a' numbers the rows",
          "'name' names the rows (30 different texts in 30 rows)"]),
        ("duplicates.csv", "x,x,label\n1,2,a\n3,4,b\n", ["columns 1 and 2 are both named 'x'"]),
        ("inf.csv", "a,b,label\n1,2,x\n1,inf,y\n", ["inf.csv, line 3, column 'b'", "not a finite number"]),
        ("one_class.csv", "a,b,label\n1,2,x\n3,4,x\n", ["one_class.csv", "one class only ('x')"]),
    ]


def test_each_bad_csv_gives_one_line_exit_2_and_no_files(tmp_path):
    for name, text, words in bad_input_cases(tmp_path):
        data = write(tmp_path / name, text)
        model, plot = tmp_path / ("m_" + name + ".json"), tmp_path / ("p_" + name + ".svg")
        out = run("train", data, "--save", str(model), "--plot", str(plot))
        assert out.returncode == 2, (name, out.stderr)
        assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1, out.stderr
        for word in words:
            assert word in out.stderr, (name, word, out.stderr)
        assert not model.exists() and not plot.exists()
    out = run("train", str(tmp_path / "missing.csv"))
    assert out.returncode == 2 and "missing.csv" in out.stderr and "No such file" in out.stderr
    assert "Traceback" not in out.stderr


def test_model_and_csv_that_do_not_fit(tmp_path):
    model = str(tmp_path / "iris.json")
    assert run("train", IRIS, "--save", model, "--epochs", "2", "--quiet").returncode == 0
    data = write(tmp_path / "other.csv", "sepal_length,sepal_width,petal_length,label\n1,2,3,setosa\n")
    for command in ("predict", "evaluate"):
        out = run(command, model, data, *(["--out", str(tmp_path / "p.csv")] if command == "predict" else []))
        assert out.returncode == 2 and "no column 'petal_width'" in out.stderr, out.stderr
        assert "Traceback" not in out.stderr
    assert not (tmp_path / "p.csv").exists()
    data = write(tmp_path / "new_class.csv", "sepal_length,sepal_width,petal_length,petal_width,label\n"
                                             "1,2,3,4,setosa\n1,2,3,4,rose\n")
    out = run("evaluate", model, data)
    assert out.returncode == 2 and "line 3, column 'label': class 'rose'" in out.stderr
    out = run("predict", str(tmp_path / "nothing.json"), IRIS)
    assert out.returncode == 2 and "nothing.json" in out.stderr


def test_a_failed_train_leaves_an_existing_model_alone(tmp_path):
    model = write(tmp_path / "model.json", "the old model\n")
    out = run("train", sine_csv(tmp_path), "--regression", "--save", model, "--lr", "1e6",
              "--activation", "relu", "--epochs", "3", "--plot", str(tmp_path / "p.svg"))
    assert out.returncode == 2 and "diverged" in out.stderr and "smaller learning rate" in out.stderr
    assert "Traceback" not in out.stderr and not (tmp_path / "p.svg").exists()
    with open(model) as f:
        assert f.read() == "the old model\n"
    assert run("train", IRIS, "--epochs", "0").returncode == 2
    assert run("train", IRIS, "--test-split", "1.5").returncode == 2


def test_ctrl_c_stops_after_a_step_saves_and_exits_130(tmp_path):
    model = str(tmp_path / "digits.json")
    process = subprocess.Popen([sys.executable, "-m", "tinybackprop", "train", dataset_path("digits"),
                                "--epochs", "200", "--save", model],
                               env=dict(os.environ, PYTHONPATH=ROOT), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, universal_newlines=True)
    for line in process.stdout:  # wait for the first epoch to finish
        if line.startswith("epoch"):
            break
    time.sleep(0.2)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert re.search(r"interrupted in epoch \d+ after \d+ of 1295 samples; the model trained so far "
                     r"is saved to ", stderr), stderr
    assert "Traceback" not in stderr
    loaded = tb.load(model).model_
    assert loaded.network.sizes == [64, 32, 10] and loaded.classes == list(range(10))  # numeric labels stay numbers


def test_live_bar_on_a_terminal_and_stop_request(monkeypatch, capsys):
    from tinybackprop.front.cli.progress import Interrupted, Progress
    progress = Progress(epochs=2, m=100, quiet=False)
    progress.live = True  # as on a terminal
    progress.step(1, 50)
    assert "\repoch   1/2 [###############...............]  50%" in capsys.readouterr().out
    progress.request_stop()
    try:
        progress.step(1, 51)
        raise AssertionError("expected Interrupted")
    except Interrupted:
        pass
    assert progress.position == (1, 51)


def test_early_stopping_says_what_it_kept_and_marks_it_on_the_plot(tmp_path):
    digits, plot = dataset_path("digits"), str(tmp_path / "d.svg")
    out = run("train", digits, "--hidden", "8", "--epochs", "30", "--patience", "2", "--lr", "0.3",
              "--schedule", "constant", "--plot", plot)
    assert out.returncode == 0, out.stderr
    assert "early stopping: 143 of the training rows watched, patience 2 epochs" in out.stdout
    kept = re.search(r"kept epoch (\d+) of (\d+), the lowest validation loss; stopped after 2 epochs "
                     r"without a lower one", out.stdout)
    assert kept and int(kept.group(2)) == int(kept.group(1)) + 2 < 30, out.stdout
    epochs = [line for line in out.stdout.splitlines() if line.startswith("epoch")]
    assert len(epochs) == int(kept.group(2)) and " val acc " in epochs[0] and " test acc " in epochs[0]
    root = ElementTree.parse(plot).getroot()
    marks = [e for e in root.iter(SVG + "line") if e.get("class") == "kept"]
    assert len(marks) == 2  # on the loss and the accuracy panels
    assert any(e.text == "kept: epoch %s" % kept.group(1) for e in root.iter(SVG + "text"))
    off = run("train", IRIS, "--epochs", "3")
    assert "early stopping: off, the validation part would have 12 rows" in off.stdout
    assert "kept epoch" not in off.stdout
    none = run("train", digits, "--epochs", "2", "--no-early-stopping")
    assert "early stopping: off" in none.stdout and "2 epochs" in none.stdout and "1438 to train" in none.stdout
    for flags, words in ((["--patience", "0"], "--patience is 0"),
                         (["--validation-split", "1.5"], "--validation-split is 1.5"),
                         (["--momentum", "1", "--rule", "momentum"], "--momentum is 1.0"),
                         (["--weight-decay", "-1"], "--weight-decay is -1.0")):  # named as the flag
        assert words in run("train", IRIS, *flags).stderr, flags


def test_mini_batches_of_32_learn_digits_as_well_as_single_samples():
    # The step's rate is lr times the batch size: 32 samples' mean gradient moves the
    # weights as far as 32 per-sample steps.  Equal epochs, the same held-out digits.
    accuracy = {}
    for batch in ("1", "32"):
        out = run("train", dataset_path("digits"), "--batch-size", batch, "--epochs", "10", "--quiet")
        accuracy[batch] = float(re.search(r"held-out accuracy: (\d\.\d+)", out.stdout).group(1))
    assert accuracy["32"] >= accuracy["1"] - 0.005, accuracy


def test_the_kept_label_stays_clear_of_the_legend():
    # "kept: epoch N" once sat on the legend when the kept epoch was a late one (issue 29).
    from tinybackprop.seeing.plot import line_chart
    series = [("training", "#000", [1.0 / e for e in range(1, 31)]), ("validation", "#111", [1.2 / e for e in range(1, 31)])]
    for y_range in (None, [0.0, 1.0]):
        for kept in (2, 15, 29, 30):
            texts = [re.search(r'<text x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>', piece)
                     for piece in line_chart(0, 0, "t", "loss", series, y_range, kept=kept)]
            texts = [(float(m.group(1)), float(m.group(2)), m.group(3)) for m in texts if m]
            label = [t for t in texts if t[2].startswith("kept")][0]
            legend = [t for t in texts if t[2] in ("training", "validation")]
            for x, y, name in legend:
                assert abs(y - label[1]) > 14 or abs(x - label[0]) > 100, (y_range, kept, label, name)
