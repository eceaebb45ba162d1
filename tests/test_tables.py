"""Real-world tables: the model carries its preprocessing, and Python answers as the command line.

Columns (--features, --ignore, --id, --category), text features, dialects (delimiters, the
decimal comma, quotes, CRLF, a byte-order mark, UTF-8 whatever the locale), missing values,
labels, numbers at the edges, and the estimators' scikit-learn interface.
"""
import csv
import inspect
import json
import math
import os
import subprocess
import sys

import tinybackprop as tb
from helpers import raises
from interpreters import ROOT
from test_cli import IRIS, run, write
from tinybackprop.core.rng import Random
from tinybackprop.data.columns import ID_LIKE_ROWS
from tinybackprop.data.rows import dataset_path
from tinybackprop.core.errors import TinyBackpropError
from tinybackprop.front.estimators import DEFAULTS
from tinybackprop.data.model import load as load_model, x_of

AUTO_MPG = dataset_path("auto_mpg")
PROBABILITY_DIGITS = "%.6g"  # predict writes probabilities so
MEAN_ROUNDING = 1e-12  # a mean of a few small numbers, against its exact value


def rows_of(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def failure(out):
    """The one line of a refused command (status 2, no traceback)."""
    assert out.returncode == 2, (out.returncode, out.stdout, out.stderr)
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1, out.stderr
    return out.stderr


# -- One model, one answer: Python and the command line ------------------------------

def test_a_trained_classifier_answers_in_python_as_predict_does(tmp_path):
    model = str(tmp_path / "iris.json")
    assert run("train", IRIS, "--save", model, "--epochs", "20", "--quiet").returncode == 0
    header, rows = rows_of(IRIS)
    out = run("predict", model, IRIS)
    lines = out.stdout.splitlines()[1:]
    loaded = tb.load(model)
    assert isinstance(loaded, tb.Classifier) and loaded.classes_ == ["setosa", "versicolor", "virginica"]
    raw = [[float(v) for v in row[:4]] for row in rows]  # the obvious call: numbers, as in the file
    predicted, probabilities = loaded.predict(raw), loaded.predict_proba(raw)
    for k in range(len(rows)):
        fields = lines[k].split(",")
        assert fields[0] == predicted[k]
        assert fields[1:] == [PROBABILITY_DIGITS % p for p in probabilities[k]]
    # Before, the loaded network ignored the stored scaling: 5.1, 3.5, 1.4, 0.2 came out versicolor.
    assert loaded.predict([[5.1, 3.5, 1.4, 0.2]]) == ["setosa"]
    assert loaded.score(raw, [row[4] for row in rows]) > 0.9


def test_a_trained_regressor_answers_in_python_as_predict_does(tmp_path):
    model = str(tmp_path / "mpg.json")
    out = run("train", AUTO_MPG, "--ignore", "car_name", "--category", "origin", "--epochs", "10",
              "--save", model, "--quiet")
    assert out.returncode == 0, out.stderr
    header, rows = rows_of(AUTO_MPG)
    loaded = tb.load(model)
    assert isinstance(loaded, tb.Regressor)
    assert loaded.model_.feature_names[-3:] == ["origin=1", "origin=2", "origin=3"]
    printed = [float(v) for v in run("predict", model, AUTO_MPG).stdout.splitlines()[1:]]
    raw = [row[:7] for row in rows]  # texts, as the file holds them
    assert loaded.predict(raw) == printed  # repr'd and read back: every bit equal
    numbers = [[float(v) for v in row] for row in raw]
    assert loaded.predict(numbers) == printed


def test_fit_and_train_write_the_same_model(tmp_path):
    model = str(tmp_path / "cli.json")
    assert run("train", IRIS, "--test-split", "0", "--epochs", "3", "--save", model,
               "--quiet").returncode == 0
    header, rows = rows_of(IRIS)
    fitted = tb.Classifier(epochs=3).fit([row[:4] for row in rows], [row[4] for row in rows],
                                         feature_names=header[:4])
    fitted.save(str(tmp_path / "fit.json"))
    a, b = load_model(model), load_model(str(tmp_path / "fit.json"))
    assert a.network.weights == b.network.weights and a.network.biases == b.network.biases
    assert a.scaling == b.scaling
    assert (a.classes, a.feature_names, a.columns) == (b.classes, b.feature_names, b.columns)
    assert a.target_name == "label" and b.target_name is None  # fit is not told the target's name


# -- Columns -------------------------------------------------------------------

def test_duplicate_column_names_are_refused_by_train_and_predict(tmp_path):
    data = write(tmp_path / "dup.csv", "x,x,y,y\n" + "".join("%d,%d,%d,%d\n" % (k, k % 3, k % 2, k % 2)
                                                              for k in range(20)))
    message = failure(run("train", data, "--quiet"))
    assert "columns 1 and 2 are both named 'x'" in message
    model = str(tmp_path / "iris.json")
    assert run("train", IRIS, "--epochs", "2", "--save", model, "--quiet").returncode == 0
    header, rows = rows_of(IRIS)
    twice = write(tmp_path / "twice.csv", ",".join(header + ["petal_width"]) + "\n" +
                  "".join(",".join(row + ["0"]) + "\n" for row in rows))
    for command in ("predict", "evaluate"):
        assert "columns 4 and 6 are both named 'petal_width'" in failure(run(command, model, twice))


def iris_with_id(tmp_path):
    header, rows = rows_of(IRIS)
    return write(tmp_path / "ids.csv", "id," + ",".join(header) + "\n" +
                 "".join("%d,%s\n" % (k + 1, ",".join(rows[k])) for k in range(len(rows))))


def test_an_id_column_is_left_out_with_a_line_then_kept_or_copied_when_asked(tmp_path):
    data = iris_with_id(tmp_path)
    out = run("train", data, "--quiet", "--epochs", "2")
    assert out.returncode == 0, out.stderr
    assert ("column 'id' numbers the rows (150 different whole numbers, one apart): left out of the "
            "features (--features, or --identifiers keep, keeps it)") in out.stdout  # even with --quiet
    assert "ids.csv: no --target given, so the last column, 'label', is the target (--target NAME " \
           "names another)" in out.stdout  # a forgotten --target is said even with --quiet (issue 29)
    assert "no --target" not in run("train", data, "--target", "label", "--quiet", "--epochs", "2").stdout
    model = str(tmp_path / "m.json")
    out = run("train", data, "--epochs", "2", "--save", model)
    assert "4 features" in out.stdout and tb.load(model).model_.feature_names == rows_of(IRIS)[0][:4]
    assert run("train", data, "--ignore", "id", "--epochs", "2", "--quiet").stdout.count("left out") == 0
    out = run("train", data, "--id", "id", "--epochs", "2", "--save", model)
    assert out.returncode == 0 and "4 features" in out.stdout and "left out" not in out.stdout, out.stderr
    lines = run("predict", model, data, "--id", "id").stdout.splitlines()
    assert lines[0].startswith("id,prediction,") and lines[1].startswith("1,") and lines[150].startswith("150,")
    assert run("predict", model, data).stdout.splitlines() == lines  # the model remembers its id column
    assert tb.load(model).model_.id_name == "id"
    kept = run("train", data, "--identifiers", "keep", "--epochs", "2", "--save", model)
    assert "5 features" in kept.stdout and tb.load(model).model_.feature_names[0] == "id"
    out = run("train", data, "--features", "id,petal_length,petal_width", "--epochs", "2", "--save", model)
    assert out.returncode == 0 and "3 features" in out.stdout  # named in --features: kept
    assert tb.load(model).model_.feature_names == ["id", "petal_length", "petal_width"]
    assert "no column named 'petal'" in failure(run("train", data, "--features", "petal"))


def test_identifiers_are_found_by_content_whatever_their_name(tmp_path):
    # Rdatasets' rownames, in a part of a file (no longer one apart, still in order); a
    # pandas index in a shuffled part (only its name says so); a passenger's name per row.
    from tinybackprop.data.columns import identifiers
    rng = Random(3)
    order = rng.permutation(300)
    part = sorted(order[:120])
    names = ["rownames", "", "passenger", "age", "class"]
    rows = [[str(k + 1), str(order[k]), "passenger %d" % k, str(20 + k % 50), "abc"[k % 3]] for k in part]
    found = identifiers(names, rows)
    assert sorted(found) == [0, 1, 2], found
    assert found[0] == "numbers the rows (120 different whole numbers, in order down the file)"
    assert found[1] == "numbers the rows (120 different whole numbers, named as an index)"
    assert found[2] == "names the rows (120 different texts in 120 rows)"
    assert identifiers(names, rows, keep=("rownames",)).keys() == {1, 2}
    assert identifiers(names, rows[:ID_LIKE_ROWS - 1]) == {}  # too few rows to tell
    # A table sorted by its target (diamonds by price) leaked it through the row number.
    data = write(tmp_path / "sorted.csv", "rownames,carat,price\n" + "".join(
        "%d,%.2f,%d\n" % (k + 1, 0.2 + 0.01 * (k % 37), 300 + 10 * k) for k in range(200)))
    model = str(tmp_path / "sorted.json")
    out = run("train", data, "--epochs", "2", "--quiet", "--save", model)
    assert "column 'rownames' numbers the rows (200 different whole numbers, one apart): left out" in out.stdout
    assert tb.load(model).model_.feature_names == ["carat"]  # the price is not learnt from the row number
    # The identifier found is remembered, and predict copies it out without being told.
    assert tb.load(model).model_.id_name == "rownames"
    lines = run("predict", model, data).stdout.splitlines()
    assert lines[0] == "rownames,prediction" and [line.split(",")[0] for line in lines[1:]] == [
        str(k + 1) for k in range(200)]
    no_ids = write(tmp_path / "no_ids.csv", "carat\n0.25\n")
    assert run("predict", model, no_ids).stdout.splitlines()[0] == "prediction"  # the file has none


def test_the_estimators_leave_identifiers_out_with_a_warning_and_predict_from_whole_rows():
    import warnings
    header, rows = rows_of(IRIS)
    frame = Frame(["rownames"] + header[:4], [[str(k + 1)] + rows[k][:4] for k in range(len(rows))])
    y = [row[4] for row in rows]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = tb.Classifier(hidden=(8,), epochs=20).fit(frame, y)
    assert any("column 'rownames' numbers the rows" in str(w.message) for w in caught), caught
    assert list(model.left_out_) == ["rownames"]
    assert model.model_.feature_names == header[:4] and model.feature_names_in_[0] == "rownames"
    assert model.predict(frame) == model.predict([[str(k + 1)] + rows[k][:4] for k in range(len(rows))])
    assert model.score(frame, y) > 0.9
    assert tb.Classifier(hidden=(8,), epochs=2, identifiers="keep").fit(frame, y).left_out_ == {}


def test_a_text_column_with_a_name_per_row_is_refused_with_the_hint(tmp_path):
    message = failure(run("train", AUTO_MPG))
    assert "column 'car_name' holds 301 different texts in 392 rows" in message
    assert "--ignore car_name" in message


def colours(tmp_path, name, rows):
    return write(tmp_path / name, "size,colour,fits\n" + "".join("%s,%s,%s\n" % row for row in rows))


def test_text_features_are_one_hot_and_an_unseen_category_is_named(tmp_path):
    rows = [("%d" % (k % 7), ["red", "green", "blue"][k % 3], "yes" if k % 3 == 0 else "no") for k in range(60)]
    data, model = colours(tmp_path, "c.csv", rows), str(tmp_path / "c.json")
    out = run("train", data, "--save", model, "--epochs", "30", "--lr", "0.05")
    assert out.returncode == 0, out.stderr
    assert "(colour one-hot: 4 inputs)" in out.stdout
    loaded = tb.load(model).model_
    assert loaded.feature_names == ["size", "colour=blue", "colour=green", "colour=red"]
    assert loaded.columns[1] == {"name": "colour", "kind": "category",
                              "categories": ["blue", "green", "red"], "fill": "blue"}  # the most frequent (a tie: the first)
    assert "accuracy: 1.000" in run("evaluate", model, data).stdout
    # An unseen category once stopped predict for the whole file (4 of 586 rows of ames).
    other = colours(tmp_path, "other.csv", [("1", "red", "yes"), ("2", "purple", "no"), ("3", "pink", "no"),
                                            ("4", "purple", "yes")])
    out = run("predict", model, other)
    assert out.returncode == 0 and len(out.stdout.splitlines()) == 5, out.stderr  # every row answered
    assert ("categories the model has not seen, each taken as none of the known: column 'colour': 3 rows "
            "('purple' 2, 'pink' 1; it knows 'blue', 'green', 'red')") in out.stderr
    assert run("evaluate", model, other).returncode == 0
    message = failure(run("predict", model, other, "--unseen", "error"))
    assert "column 'colour': 3 rows ('purple' 2, 'pink' 1; it knows" in message  # every value, in one run
    model_py = tb.load(model)
    assert model_py.predict([[1, "red"], [2, "blue"]]) == ["yes", "no"]  # red: k % 3 == 0
    import warnings
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        answers = model_py.predict([[1, "purple"], [2, "red"]])
    assert len(answers) == 2 and any("'purple' 1" in str(w.message) for w in caught)
    # none of the known: the inputs of colour all 0 (then scaled), as the command line's predict
    printed = run("predict", model, other).stdout.splitlines()[2].split(",")[0]
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        assert model_py.predict([["2", "purple"]])[0] == printed
    model_py.set_params(unseen="error")
    try:
        model_py.predict([[1, "purple"]])
        raise AssertionError("an unseen category was accepted")
    except TinyBackpropError as e:
        assert "column 'colour': 1 row ('purple' 1; it knows 'blue', 'green', 'red')" in str(e)


# -- Dialects ------------------------------------------------------------------

def test_delimiters_decimal_commas_quotes_crlf_and_a_byte_order_mark(tmp_path):
    model = str(tmp_path / "iris.json")
    assert run("train", IRIS, "--epochs", "5", "--save", model, "--quiet").returncode == 0
    expected = run("evaluate", model, IRIS).stdout
    header, rows = rows_of(IRIS)
    variants = {
        "semicolon.csv": ("\n".join(";".join(r) for r in [header] + rows), []),
        "tab.csv": ("\n".join("\t".join(r) for r in [header] + rows), []),
        "pipe.csv": ("\n".join("|".join(r) for r in [header] + rows), []),
        "comma_decimal.csv": ("\n".join(";".join(v.replace(".", ",") for v in r) for r in [header] + rows),
                              ["--decimal", ","]),
        "quoted_crlf.csv": ("\r\n".join(",".join('"%s"' % v for v in r) for r in [header] + rows), []),
        "bom.csv": ("\ufeff" + "\n".join(",".join(r) for r in [header] + rows), []),
        "given.csv": ("\n".join(";".join(r) for r in [header] + rows), ["--delimiter", ";"]),
    }
    for name, (text, flags) in variants.items():
        path = str(tmp_path / name)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text + "\n")
        out = run("evaluate", model, path, *flags)
        assert out.stdout == expected, (name, out.stderr)


def test_utf8_whatever_the_locale_and_a_line_that_is_not_utf8_is_named(tmp_path):
    path = str(tmp_path / "utf8.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("länge,größe,art\n" + "".join("%d,%d,%s\n" % (k, k % 5, "äpfel" if k % 2 else "birnen")
                                                 for k in range(40)))
    out = subprocess.run([sys.executable, "-m", "tinybackprop", "train", path, "--epochs", "2"],
                         env=dict(os.environ, PYTHONPATH=ROOT, LC_ALL="C", LANG="C", PYTHONIOENCODING="utf-8"),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert out.returncode == 0, out.stderr
    latin = str(tmp_path / "latin.csv")
    with open(latin, "wb") as f:
        f.write(b"a,b\n1,x\n2,\xe4pfel\n")
    message = failure(run("train", latin))
    assert "latin.csv, line 3: bytes that are not UTF-8 text" in message


# -- Missing values ------------------------------------------------------------

def missing_csv(tmp_path):
    rows = []
    for k in range(60):
        a = "" if k % 10 == 3 else "NA" if k % 10 == 7 else "%d" % (k % 6)
        rows.append("%s,%s,%s" % (a, "?" if k == 5 else ["s", "m", "l"][k % 3], "hi" if k % 6 > 2 else "lo"))
    return write(tmp_path / "missing.csv", "a,size,label\n" + "\n".join(rows) + "\n")


def test_missing_values_are_counted_dropped_or_filled_with_the_training_mean(tmp_path):
    # Filled in by default (issue 29: penguins, titanic, credit and ames all stopped at train),
    # said in one line even with --quiet; --missing error refuses as before.
    data = missing_csv(tmp_path)
    message = failure(run("train", data, "--missing", "error"))
    assert "13 missing values (line 5 column 'a', line 7 column 'size', line 9 column 'a', ...)" in message
    assert "--missing drop" in message and "--missing mean" in message
    out = run("train", data, "--missing", "drop", "--epochs", "2", "--quiet")
    assert out.returncode == 0 and "13 rows with a missing value left out (--missing drop), 47 kept" in out.stdout
    # ames lost 2,317 of 2,339 rows to drop (issue 29): more than half is refused unless asked.
    mostly = write(tmp_path / "mostly.csv", "a,b,label\n" + "".join(
        "%s,%d,%s\n" % ("" if k % 4 else str(k), k, "xy"[k // 4 % 2]) for k in range(60)))
    message = failure(run("train", mostly, "--missing", "drop"))
    assert "mostly.csv: 45 of the 60 rows have a missing value: dropping them would leave 15; fill the " \
           "gaps in with the training mean instead (the default), or drop them anyway (--missing drop_many)" \
           in message, message
    out = run("train", mostly, "--missing", "drop_many", "--epochs", "2", "--quiet", "--test-split", "0")
    assert out.returncode == 0 and "45 rows with a missing value left out (--missing drop_many), 15 kept" \
        in out.stdout, out.stdout + out.stderr
    model = str(tmp_path / "m.json")
    out = run("train", data, "--test-split", "0", "--epochs", "2", "--save", model, "--quiet")
    assert out.returncode == 0, out.stderr
    assert "13 missing values filled in (column 'a': 12, column 'size': 1) with the training rows' mean" in out.stdout
    net = load_model(model)
    mean_a = sum(k % 6 for k in range(60) if k % 10 not in (3, 7)) / 48.0
    # size had a gap ("?"): a category of its own, an input of its own
    assert abs(net.columns[0]["fill"] - mean_a) < MEAN_ROUNDING and net.columns[1]["fill"] == "(missing)"
    assert net.columns[1]["categories"] == ["(missing)", "l", "m", "s"]
    assert "size=(missing)" in net.feature_names
    estimator = tb.load(model)
    assert estimator.predict_proba([["", "?"]]) == estimator.predict_proba([[net.columns[0]["fill"], "(missing)"]])
    out = run("predict", model, data)
    assert len(out.stdout.splitlines()) == 61
    assert "13 missing values filled in (column 'a': 12, column 'size': 1) with the model's values" in out.stderr
    # a column without gaps in training has its fill too: predict fills a gap there
    whole = str(tmp_path / "whole.json")
    assert run("train", data, "--missing", "drop", "--epochs", "2", "--save", whole, "--quiet").returncode == 0
    assert all(c["fill"] is None for c in load_model(whole).columns)  # drop: no fills
    gapless = write(tmp_path / "gapless.csv", "a,size,label\n" + "".join(
        "%d,%s,%s\n" % (k % 6, "sml"[k % 3], "yn"[k % 2]) for k in range(40)))
    assert run("train", gapless, "--epochs", "2", "--save", whole, "--quiet").returncode == 0
    assert all(c["fill"] is not None for c in load_model(whole).columns)
    # with no gap in training, the most frequent: of the 40, s 14, m 13, l 13
    assert run("train", gapless, "--epochs", "2", "--save", whole, "--quiet", "--test-split", "0").returncode == 0
    assert load_model(whole).columns[1] == {"name": "size", "kind": "category", "categories": ["l", "m", "s"],
                                            "fill": "s"}
    gappy = write(tmp_path / "gappy.csv", "a,size\n,s\n3,\n")
    out = run("predict", whole, gappy)
    assert out.returncode == 0 and len(out.stdout.splitlines()) == 3, out.stderr


# -- Labels and numbers at the edges -------------------------------------------

def test_whole_number_targets_classification_regression_and_labels_as_numbers(tmp_path):
    rows = "".join("%r,%d\n" % (k % 12 + 0.25, k % 12) for k in range(120))
    data = write(tmp_path / "twelve.csv", "a,y\n" + rows)
    out = run("train", data, "--epochs", "1")
    assert "regression of 'y' (12 distinct whole numbers: --classification makes them classes)" in out.stdout
    out = run("train", data, "--epochs", "1", "--classification")
    assert "12 classes of 'y'" in out.stdout
    train = write(tmp_path / "zeros.csv", "a,y\n" + "".join("%d,%s\n" % (k % 2, "1.0" if k % 2 else "0.0")
                                                            for k in range(40)))
    test = write(tmp_path / "test.csv", "a,y\n0,0\n1,1\n0,0\n")
    model = str(tmp_path / "m.json")
    assert run("train", train, "--save", model, "--epochs", "40", "--lr", "0.1", "--quiet").returncode == 0
    assert load_model(model).classes == [0, 1]  # "0.0" and "1.0" are the numbers 0 and 1
    assert run("evaluate", model, test).stdout.startswith("accuracy: 1.000 (3 of 3 right)")


def test_numbers_at_the_edges_work_or_give_one_line(tmp_path):
    big = write(tmp_path / "big.csv", "x,y\n1e200,1\n2,3\n3,1\n-1e300,2\n1.7e308,5\n")
    out = run("train", big, "--regression", "--test-split", "0", "--epochs", "2")
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
    infinite = write(tmp_path / "inf.csv", "x,y\n1,2\n2,3\n3,inf\n")
    assert "inf.csv, column 'y', line 4: 'inf' is not a finite number" in failure(
        run("train", infinite, "--regression"))
    feature = write(tmp_path / "feature.csv", "x,y\n1,2\n2,3\nInfinity,4\n")
    assert "line 4, column 'x': 'Infinity' is not a finite number" in failure(run("train", feature, "--regression"))
    model = str(tmp_path / "m.json")
    assert run("train", big, "--regression", "--test-split", "0", "--epochs", "1", "--save", model).returncode == 0
    with open(model) as f:
        data = json.load(f)
    data["target_scaling"]["std"] = 1e308  # a prediction beyond a float
    data["weights"][-1] = [[1e3 for v in row] for row in data["weights"][-1]]
    with open(model, "w") as f:
        json.dump(data, f)
    assert "not a finite number" in failure(run("predict", model, big))


# -- The program -----------------------------------------------------------------

def test_version_program_name_standard_input_and_a_closed_pipe(tmp_path):
    out = run("--version")
    assert out.returncode == 0 and out.stdout.strip() == "tinybackprop " + tb.__version__
    assert run("train", "--help").stdout.startswith("usage: python -m tinybackprop train")
    script = str(tmp_path / "tinybackprop")
    write(script, "import sys\nsys.path.insert(0, %r)\nfrom tinybackprop.front.cli import main\nsys.exit(main())\n" % ROOT)
    usage = subprocess.run([sys.executable, script, "train", "--help"], stdout=subprocess.PIPE,
                           universal_newlines=True).stdout
    assert usage.startswith("usage: tinybackprop train")
    model = str(tmp_path / "iris.json")
    assert run("train", IRIS, "--epochs", "2", "--save", model, "--quiet").returncode == 0
    with open(IRIS) as f:
        piped = subprocess.run([sys.executable, "-m", "tinybackprop", "predict", model, "-"], stdin=f,
                               env=dict(os.environ, PYTHONPATH=ROOT), stdout=subprocess.PIPE,
                               universal_newlines=True)
    assert piped.stdout == run("predict", model, IRIS).stdout and len(piped.stdout.splitlines()) == 151
    big = write(tmp_path / "big.csv", open(IRIS).read() + "".join(open(IRIS).readlines()[1:]) * 30)
    closed = subprocess.run("%s -m tinybackprop predict %s %s | head -1" % (sys.executable, model, big),
                            shell=True, env=dict(os.environ, PYTHONPATH=ROOT), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, universal_newlines=True)
    assert closed.stdout.startswith("prediction,") and closed.stderr == "", closed.stderr
    from tinybackprop.front.cli import parser
    commands = [a for a in parser()._actions if a.dest == "command"][0].choices
    for name, sub in commands.items():
        for action in sub._actions:
            assert action.help, (name, action.option_strings or action.dest)  # every argument says what it is


# -- The estimators ----------------------------------------------------------------

class Array:
    """A stand-in for a numpy array: only .tolist(), as the estimators use it."""

    def __init__(self, values):
        self.values = values

    def tolist(self):
        return [list(v) if isinstance(v, (list, tuple)) else v for v in self.values]


class Frame:
    """A stand-in for a pandas DataFrame: .columns and .to_numpy(dtype=object), as the
    estimators use them."""

    def __init__(self, columns, rows):
        self.columns, self.rows = list(columns), rows

    def to_numpy(self, dtype=None):
        return Array(self.rows)


def test_estimators_match_a_data_frames_columns_by_name():
    # Columns swapped at predict time once gave no error and accuracy 0.441 instead of 0.985.
    header, rows = rows_of(IRIS)
    features = header[:4]
    frame = Frame(features, [row[:4] for row in rows])
    model = tb.Classifier(hidden=(8,), epochs=30).fit(frame, [row[4] for row in rows])
    assert model.feature_names_in_ == features
    expected = model.predict(frame)
    assert model.score(frame, [row[4] for row in rows]) > 0.9
    order = [2, 0, 3, 1]
    swapped = Frame([features[j] for j in order], [[row[j] for j in order] for row in rows])
    assert model.predict(swapped) == expected  # by name, not by position
    with_target = Frame(header, rows)  # an extra column (the target) is left out
    assert model.predict(with_target) == expected
    short = Frame(features[:3], [row[:3] for row in rows])
    message = raises_tb(model.predict, short)
    assert "X has no column 'petal_width', which the model was fitted on" in message
    assert model.predict([row[:4] for row in rows]) == expected  # rows without names: by position
    # fitted on rows without names: a frame is taken by position, as fit saw them
    unnamed = tb.Classifier(hidden=(8,), epochs=5).fit([row[:4] for row in rows], [row[4] for row in rows])
    assert unnamed.feature_names_in_ == ["x0", "x1", "x2", "x3"]
    assert unnamed.predict(frame) == unnamed.predict([row[:4] for row in rows])


def raises_tb(function, *args):
    try:
        function(*args)
    except TinyBackpropError as e:
        return str(e)
    raise AssertionError("no TinyBackpropError from %r" % function)


def test_estimator_parameters_clone_arrays_and_scores():
    X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]] * 10
    y = [0, 1, 1, 0] * 10
    model = tb.Classifier(hidden=(8,), epochs=150, lr=0.1)
    assert model.get_params() == dict(DEFAULTS, hidden=(8,), epochs=150, lr=0.1)
    signature = inspect.signature(tb.Classifier.__init__).parameters  # one place for the defaults
    assert {name: signature[name].default for name in DEFAULTS} == DEFAULTS
    clone = type(model)(**model.get_params())
    assert repr(clone) == repr(model)
    assert model.set_params(lr=0.2) is model and model.lr == 0.2
    try:
        model.set_params(learning_rate=0.1)
        raise AssertionError("an unknown parameter was accepted")
    except TinyBackpropError as e:
        assert "no parameter 'learning_rate'" in str(e)
    model.fit(Array(X), Array(y))
    assert model.classes_ == [0, 1] and len(model.loss_curve_) == 150
    assert model.loss_curve_[-1] < model.loss_curve_[0]
    assert model.predict(Array([[0.0, 1.0], [1.0, 1.0]])) == [1, 0]
    assert model.score(X, y) == 1.0
    for p in model.predict_proba(X[:4]):
        assert abs(sum(p) - 1.0) < 1e-12
    regressor = tb.Regressor(hidden=(8,), epochs=100, lr=0.05)
    xs = [[k / 10.0] for k in range(-20, 21)]
    regressor.fit(xs, [2.0 * x[0] + 1.0 for x in xs])
    assert regressor.score(xs, [2.0 * x[0] + 1.0 for x in xs]) > 0.99
    try:
        tb.Regressor().predict(xs)
        raise AssertionError("an unfitted regressor predicted")
    except TinyBackpropError as e:
        assert "not fitted yet" in str(e)
    try:
        model.predict([0.0, 1.0])
        raise AssertionError("a flat row was taken for rows")
    except TypeError as e:
        assert "X[0] is 0.0, not a row" in str(e) and "give [row]" in str(e)


def test_scikit_learn_clone_cross_val_score_and_pipeline():
    try:
        import sklearn  # noqa: F401
    except ImportError:
        import pytest
        pytest.skip("scikit-learn is not installed here (.ci/run tests it in its own environment)")
    from sklearn.base import clone
    from sklearn.model_selection import KFold, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer
    header, rows = rows_of(IRIS)
    X = [[float(v) for v in row[:4]] for row in rows]
    y = [row[4] for row in rows]
    model = tb.Classifier(hidden=(8,), epochs=20, lr=0.02)
    assert clone(model).get_params() == model.get_params()
    scores = cross_val_score(model, X, y, cv=3)
    assert len(scores) == 3 and min(scores) > 0.8, scores
    pipeline = make_pipeline(FunctionTransformer(lambda X: X), tb.Classifier(hidden=(8,), epochs=20, lr=0.02))
    assert pipeline.fit(X, y).score(X, y) > 0.9
    folds = KFold(3, shuffle=True, random_state=0)  # iris is sorted by species: shuffle
    regression = cross_val_score(tb.Regressor(epochs=20), [r[:3] for r in X], [r[3] for r in X], cv=folds)
    assert min(regression) > 0.5, regression


def test_estimator_columns_missing_values_and_labels():
    X = [[1.0, "red"], [2.0, "blue"], [None, "red"], [4.0, float("nan")], [5.0, "blue"], [6.0, "red"]] * 4
    y = [0, 1, 0, 1, 1, 0] * 4
    try:
        tb.Classifier(epochs=2).fit(X, y, feature_names=["a", "a"])
        raise AssertionError("two columns of one name were accepted")
    except TinyBackpropError as e:
        assert "columns 1 and 2 are both named 'a'" in str(e)
    try:
        tb.Classifier(epochs=2, missing="error").fit(X, y)
        raise AssertionError("missing values were accepted")
    except TinyBackpropError as e:
        assert "the value is missing" in str(e) and "x0" in str(e)
    import warnings
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = tb.Classifier(epochs=2).fit(X, y, feature_names=["size", "colour"])  # mean: the default
        model.predict([[None, "red"]])
    said = [str(w.message) for w in caught]
    assert "Classifier: 8 missing values filled in (column 'size': 4, column 'colour': 4), with the " \
           "training rows' values" in said, said
    assert "X: 1 missing value filled in (column 'size': 1), with the training rows' values" in said, said
    columns = model.model_.columns
    # (1 + 2 + 4 + 5 + 6) / 5 = 3.6, summed in units of the largest, 6: one rounding off
    assert abs(columns[0]["fill"] - 3.6) < MEAN_ROUNDING and columns[1]["fill"] == "(missing)"
    assert model.predict_proba([[None, None]]) == model.predict_proba([[columns[0]["fill"], "(missing)"]])
    try:
        tb.Classifier(epochs=2).fit([[1.0], [2.0]] * 5, [0, None] * 5)
        raise AssertionError("a missing target was accepted")
    except TinyBackpropError as e:
        assert "y[1] is missing (None)" in str(e)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        dropped = tb.Classifier(epochs=2, missing="drop").fit(X, y)
    assert len(dropped.loss_curve_) == 2 and dropped.model_.columns[0]["fill"] is None
    assert "Classifier: 8 rows with a missing value left out (missing='drop'), 16 kept" in [
        str(w.message) for w in caught]
    mostly = [[None if k % 4 else 1.0, k] for k in range(24)]
    try:
        tb.Classifier(epochs=2, missing="drop").fit(mostly, y)
        raise AssertionError("18 of 24 rows were dropped")
    except TinyBackpropError as e:  # Python's parameter named, not the flag
        assert "X: 18 of the 24 rows have a missing value" in str(e) and "(missing='drop_many')" in str(e), e
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("ignore")
        assert tb.Classifier(epochs=2, missing="drop_many").fit(mostly, [0, 0, 0, 0, 1, 1, 1, 1] * 3).n_features_in_ == 2
        try:  # the rows kept are k = 0, 4, 8, ...: all of class 0
            tb.Classifier(epochs=2, missing="drop_many").fit(mostly, [0, 1] * 12)
            raise AssertionError("one class was accepted")
        except TinyBackpropError as e:
            assert "X: the targets hold one class only (0); a classifier needs at least two" in str(e), e
    assert tb.Classifier(epochs=2).fit([[0.0], [1.0]] * 5, ["0.0", "1"] * 5).classes_ == [0, 1]
    assert tb.Classifier(epochs=2).fit([[0.0], [1.0]] * 5, ["b", "a"] * 5).classes_ == ["a", "b"]


def test_a_pandas_data_frame_and_numpy_arrays():
    try:
        import numpy
        import pandas
    except ImportError:
        import pytest
        pytest.skip("pandas is not installed here (.ci/run tests it with scikit-learn)")
    header, rows = rows_of(IRIS)
    frame = pandas.read_csv(IRIS)
    model = tb.Classifier(epochs=5).fit(frame[header[:4]], frame["label"])
    assert model.feature_names_in_ == header[:4]
    numbers = numpy.array([[float(v) for v in row[:4]] for row in rows])
    assert model.predict(frame[header[:4]]) == model.predict(numbers) == model.predict(numbers.tolist())
    assert model.score(numbers, frame["label"]) > 0.8


class Sparse:
    """A stand-in for a scipy.sparse matrix: .toarray() and .nnz."""
    nnz = 1

    def toarray(self):
        return Array([[0.0, 1.0]])


def test_a_sparse_matrix_is_refused_with_the_call_that_makes_it_dense():
    # It was a TypeError with no hint (issue 29).
    message = raises(TypeError, tb.Classifier(epochs=2).fit, Sparse(), [0])
    assert message == "X is a sparse matrix (Sparse): give X.toarray(), its rows as lists of values", message
    try:
        import scipy.sparse
    except ImportError:
        return
    message = raises(TypeError, tb.Classifier(epochs=2).fit, scipy.sparse.csr_matrix([[0.0, 1.0]]), [0])
    assert "X is a sparse matrix (csr_matrix): give X.toarray()" in message, message


def test_a_categorys_inputs_stay_zero_and_one_however_rare():
    # Standardised, a category seen once in 1,875 rows (ames) became the input 43.3.
    X = [[float(k % 7), "rare" if k == 0 else "common"] for k in range(100)]
    y = [k % 2 for k in range(100)]
    model = tb.Classifier(epochs=2).fit(X, y, feature_names=["size", "kind"]).model_
    assert model.feature_names == ["size", "kind=common", "kind=rare"]
    assert model.scaling["mean"][1:] == [0.0, 0.0] and model.scaling["std"][1:] == [1.0, 1.0]
    assert model.scaling["std"][0] != 1.0  # the number is standardised
    assert max(x_of(model, [3.0, "rare"], "row")[1:]) == 1.0




def test_mostly_zero_inputs_share_one_scale_and_stay_zero():
    # Pixels: 3 number columns of 4 rows, 9 of the 12 values 0 (75%, at least 2/3).
    # Standardised, the column lit in one row of 4 would give 3 / std 1.299 = 2.31 and its
    # zeros -0.577; sharing the largest |value| 4, every input is x / 4, zeros stay 0.
    X = [[0.0, 0.0, 4.0], [0.0, 2.0, 0.0], [0.0, 0.0, 0.0], [3.0, 0.0, 0.0]]
    model = tb.Classifier(epochs=2).fit(X, [0, 1, 0, 1]).model_
    assert model.scaling == {"mean": [0.0, 0.0, 0.0], "std": [4.0, 4.0, 4.0]}
    assert x_of(model, [0.0, 2.0, 0.0], "row") == [0.0, 0.5, 0.0]
    # Half zeros (6 of 12, below 2/3): each column standardised as before; column 0
    # holds 0, 1, 0, 3: mean 1, std sqrt((1 + 0 + 1 + 4) / 4) = sqrt(1.5).
    X = [[0.0, 1.0, 4.0], [1.0, 2.0, 0.0], [0.0, 0.0, 5.0], [3.0, 0.0, 1.0]]
    model = tb.Classifier(epochs=2).fit(X, [0, 1, 0, 1]).model_
    assert model.scaling["mean"][0] == 1.0 and abs(model.scaling["std"][0] - math.sqrt(1.5)) < 1e-15
# -- A raw public table, as people download it ----------------------------------------

PENGUINS = dataset_path("penguins")  # rownames, text columns, 19 empty cells, species not last
PENGUINS_ACCURACY = 0.95  # scikit-learn's linear model and MLP: 0.988 over 5 folds (docs/csv.md)


def test_a_raw_table_trains_with_only_its_target_and_predict_answers_every_row(tmp_path):
    # The first command a user writes on a table from Rdatasets: no cleaning, no flags.
    model = str(tmp_path / "penguins.json")
    out = run("train", PENGUINS, "--target", "species", "--save", model, "--quiet")
    assert out.returncode == 0, out.stderr
    said = out.stdout.splitlines()
    assert said[0] == ("column 'rownames' numbers the rows (344 different whole numbers, one apart): left out "
                       "of the features (--features, or --identifiers keep, keeps it)"), said
    assert said[1].endswith("penguins.csv: 19 missing values filled in (column 'bill_length_mm': 2, column "
                            "'bill_depth_mm': 2, column 'flipper_length_mm': 2, column 'body_mass_g': 2, "
                            "column 'sex': 11) with the training rows' mean (in a text column, a category of "
                            "its own, '(missing)'; --missing error refuses them)"), said
    accuracy = float(said[-2].split()[2]) if said[-1].startswith("model saved") else None
    assert accuracy is not None and accuracy >= PENGUINS_ACCURACY, said
    saved = load_model(model)
    assert "rownames" not in saved.feature_names and saved.id_name == "rownames"
    assert [c["name"] for c in saved.columns] == ["island", "bill_length_mm", "bill_depth_mm",
                                                  "flipper_length_mm", "body_mass_g", "sex", "year"]
    out = run("predict", model, PENGUINS)
    lines = out.stdout.splitlines()
    assert out.returncode == 0 and len(lines) == 345 and lines[0] == "rownames,prediction,Adelie,Chinstrap,Gentoo"
    assert [line.split(",")[0] for line in lines[1:]] == [str(k) for k in range(1, 345)]
    assert "19 missing values filled in" in out.stderr  # the same gaps, filled with the model's values
    evaluated = run("evaluate", model, PENGUINS)
    assert evaluated.returncode == 0 and float(evaluated.stdout.split()[1]) >= PENGUINS_ACCURACY, evaluated.stdout
    # Forgotten --target: the last column, year, is learnt, and a line says so even with --quiet.
    out = run("train", PENGUINS, "--epochs", "2", "--quiet")
    assert "penguins.csv: no --target given, so the last column, 'year', is the target" in out.stdout


def test_the_estimators_on_a_raw_table_match_by_name_fill_gaps_and_leave_out_the_row_numbers():
    import warnings
    header, rows = rows_of(PENGUINS)
    target = header.index("species")
    features = [name for name in header if name != "species"]
    X = [[row[j] for j in range(len(header)) if j != target] for row in rows]
    y = [row[target] for row in rows]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = tb.Classifier(seed=1).fit(Frame(features, X), y)
    said = [str(w.message) for w in caught]
    assert any("column 'rownames' numbers the rows" in line for line in said), said
    assert any("19 missing values filled in" in line for line in said), said
    reordered = features[::-1]
    swapped = Frame(reordered, [[row[features.index(name)] for name in reordered] for row in X])
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("ignore")
        assert model.predict(swapped) == model.predict(Frame(features, X))
        assert model.score(Frame(features, X), y) >= PENGUINS_ACCURACY


def linear_and_noisy(m, rng):
    """m rows of 6 normal inputs, y = x1 + x2 + noise of std 1.5: a line under much noise."""
    X = [[rng.normal() for _ in range(6)] for _ in range(m)]
    return X, [x[0] + x[1] + 1.5 * rng.normal() for x in X]


def test_a_regressions_weight_decay_is_chosen_on_rows_set_aside(tmp_path):
    # A line under noise wants weight decay (10 of 0, 3, 10 here); a curve with little noise,
    # y = sin 3x, wants none.  The choice trains copies: the network ends as if the chosen
    # decay had been given.  Classes: no decay, no choice; a decay given: no choice.
    rng = Random(4)
    X, y = linear_and_noisy(120, rng)
    noisy = tb.Regressor(epochs=30).fit(X, y)
    assert noisy.weight_decay_ == 10.0
    assert tb.Regressor(epochs=30, weight_decay=10.0).fit(X, y).network.weights == noisy.network.weights
    assert tb.Regressor(epochs=30, weight_decay=3.0).fit(X, y).weight_decay_ == 3.0
    X2 = [[rng.uniform(-2.0, 2.0)] for _ in range(150)]
    curve = tb.Regressor(epochs=30).fit(X2, [math.sin(3.0 * x[0]) + 0.02 * rng.normal() for x in X2])
    assert curve.weight_decay_ == 0.0
    labels = ["up" if value > 0 else "down" for value in y]
    classes = tb.Classifier(epochs=5).fit(X, labels)
    assert classes.weight_decay_ == 0.0
    assert tb.Classifier(epochs=5, weight_decay=0.0).fit(X, labels).network.weights == classes.network.weights
    # the command line says the choice and each candidate's loss, before the epochs
    path = write(tmp_path / "noisy.csv", "a,b,c,d,e,f,y\n" + "".join(
        ",".join(repr(v) for v in x + [t]) + "\n" for x, t in zip(X, y)))
    out = run("train", path, "--target", "y", "--epochs", "30", "--test-split", "0")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    said = [k for k in range(len(lines)) if lines[k].startswith("weight decay 10 chosen (the loss on the rows "
                                                                "set aside for it: 0: ")]
    assert len(said) == 1 and lines[said[0] + 1].startswith("epoch   1/30"), out.stdout
