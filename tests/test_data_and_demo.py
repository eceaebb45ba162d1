"""Data loading, the iris result and the demo command (CPython and PyPy: uses csv)."""
import os
import subprocess
import sys

from helpers import raises, remove, temp_path
import tinybackprop as tb
from tinybackprop.data.rows import (class_names, dataset_path, fit_scaling, load_classification,
                               one_hot, read_csv, standardise, stratified_split)
from tinybackprop.core.errors import TinyBackpropError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IRIS_TARGET = 0.95  # mean held-out accuracy over SPLITS splits
SPLITS = 5


def iris_samples(seed):
    xs, labels, names, target = load_classification(dataset_path("iris"))
    classes = class_names(labels)
    train_idx, test_idx = stratified_split(labels, 0.2, seed=seed)
    scaling = fit_scaling([xs[k] for k in train_idx])
    samples = [(standardise(scaling, xs[k]), one_hot(classes.index(labels[k]), 3)) for k in range(150)]
    return [samples[k] for k in train_idx], [samples[k] for k in test_idx]


def test_iris_held_out_accuracy():
    # The mean over five 80/20 splits, each with its own initial weights and
    # shuffles: one split of 30 flowers moves in steps of 0.033.
    accuracies = []
    for seed in range(SPLITS):
        train, test = iris_samples(seed=seed)
        net = tb.Network([4, 8, 3], activations=["tanh", "softmax"], loss="cross_entropy", seed=seed)
        net.train(train, epochs=40, lr=0.02, seed=seed)
        accuracies.append(net.evaluate(test)[1])
    assert sum(accuracies) / SPLITS >= IRIS_TARGET, accuracies


def test_stratified_split_keeps_class_shares():
    labels = ["a"] * 50 + ["b"] * 30 + ["c"] * 20
    train, test = stratified_split(labels, 0.2, seed=3)
    assert sorted(train + test) == list(range(100))
    assert [sum(1 for k in test if labels[k] == c) for c in "abc"] == [10, 6, 4]
    assert stratified_split(labels, 0.2, seed=3) == (train, test)


def test_scaling_uses_the_given_rows_and_survives_constant_columns():
    s = fit_scaling([[1.0, 5.0], [3.0, 5.0]])
    assert s == {"mean": [2.0, 5.0], "std": [1.0, 1.0]}
    assert standardise(s, [4.0, 5.0]) == [2.0, 0.0]


def test_class_names_sort_numbers_as_numbers():
    assert class_names(["10", "9", "1"]) == ["1", "9", "10"]
    assert class_names(["b", "a"]) == ["a", "b"]


def all_rows(path):
    """Every row of a CSV (read_csv reads them one at a time, as they are asked for)."""
    header, rows = read_csv(path)
    return header, list(rows)


def test_csv_rows_are_read_as_they_are_asked_for():
    # A CSV is never held whole: the header comes back at once, a broken row deep in
    # the file only when the reading gets there.
    path = temp_path("stream.csv")
    with open(path, "w") as f:
        f.write("a,b,label\n" + "1,2,x\n" * 1000 + "3,y\n")
    header, rows = read_csv(path)
    assert header == ["a", "b", "label"] and next(rows) == (2, ["1", "2", "x"])
    message = raises(TinyBackpropError, list, rows)
    assert "line 1002: 2 fields" in message
    remove(path)


def test_csv_errors_name_file_and_line():
    path = temp_path("bad.csv")
    with open(path, "w") as f:
        f.write("a,b,label\n1,2,x\n3,y\n")
    assert "line 3: 2 fields, but the header has 3" in raises(TinyBackpropError, all_rows, path)
    with open(path, "w") as f:
        f.write("a,b,label\n1,2,x\n3,oops,y\n")
    message = raises(TinyBackpropError, load_classification, path)
    assert "line 3, column 'b'" in message and "'oops'" in message
    remove(path)


def run_command(*args):
    return subprocess.run([sys.executable, "-m", "tinybackprop"] + list(args), cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)


def test_demo_prints_a_line_per_epoch_and_the_held_out_accuracy():
    done = run_command("demo", "--data", "iris", "--epochs", "5")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    epochs = [line for line in lines if line.startswith("epoch")]
    assert len(epochs) == 5 and "test acc" in epochs[0] and "samples/s" in epochs[0]
    assert lines[-1].startswith("held-out accuracy: ")
    right, total = lines[-1].split("(")[1].split()[0:3:2]
    assert int(total) == 30 and 0 <= int(right) <= 30


def test_the_iris_demo_gives_the_readme_result():
    # README "A first result": `--data iris` gives 0.933, 28 of the 30 held-out flowers, with the
    # default epochs and seed; the same seed gives the same weights on every interpreter.
    done = run_command("demo", "--data", "iris")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "held-out accuracy: 0.933 (28 of 30 test samples right)"


def test_command_line_without_a_command_shows_help():
    done = run_command()
    assert done.returncode == 2 and "demo" in done.stdout
