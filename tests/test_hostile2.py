"""Hostile files and careless inputs, round two (issue 24): bounded work on an untrusted
model, no silent NaN, numbers refused or taken at the boundary, nothing left behind.

Each case once went wrong (the comment says how); each now ends in the right answer or
one clear line.  The work an untrusted file causes is bounded by resource limits in a
subprocess (CPU seconds, address space), never by a wall-clock time.  (CPython: uses
subprocess, resource limits and a C compiler where there is one.)"""
import errno
import io
import json
import os
import shutil
import subprocess
import sys
import time

import pytest

import tinybackprop as tb
from helpers import raises
from interpreters import ROOT
from test_hostile import in_process, one_line_error
from tinybackprop.core.errors import TinyBackpropError
from tinybackprop.data.model import Model
from tinybackprop.files import atomic
from tinybackprop.front.estimators import from_model

CPU_SECONDS = 60  # far more than any case needs now (each takes about a second), far less than they took
MEMORY = 2 ** 30  # 1 GiB of address space for a subprocess


def limited(code, *args):
    """Run Python code in a subprocess under CPU_SECONDS and MEMORY: (status, stdout, stderr)."""
    import resource

    def limits():
        resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    out = subprocess.run([sys.executable, "-c", code] + [str(a) for a in args], cwd=ROOT, preexec_fn=limits,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    return out.returncode, out.stdout, out.stderr


def wide_model(n, classes=("a", "b")):
    """A Model of n named inputs, one hidden neuron and a softmax over classes."""
    net = tb.Network([n, 1, len(classes)], activations=["tanh", "softmax"], loss="cross_entropy", seed=0)
    return Model(net, feature_names=["f%d" % j for j in range(n)], classes=list(classes), target_name="label")


# -- Work bounded by what a file declares -------------------------------------------

def test_a_model_file_with_many_names_loads_in_linear_time(tmp_path):
    # The duplicate-name check was O(n^2): 40,000 names took 35 s to load (a million, hours).
    path = tmp_path / "wide.json"
    wide_model(200000).save(str(path))
    code, out, err = limited("import sys, tinybackprop as tb; m = tb.load(sys.argv[1]); "
                             "print(len(m.model_.feature_names))", path)
    assert code == 0 and out.split() == ["200000"], err
    data = json.loads(path.read_text())
    data["feature_names"][199999] = "f3"  # one duplicate, at the end: still found, and named
    path.write_text(json.dumps(data))
    message = raises(TinyBackpropError, tb.load, str(path))
    assert "feature_names[199999] is 'f3', as is feature_names[3]: each name must differ" in message


def test_evaluate_of_a_model_with_thousands_of_classes_allocates_no_square(tmp_path):
    # evaluate built an n x n confusion matrix from the class count: 15,000 classes in a
    # 311 KB file ended in MemoryError after printing 1.8 GB.
    classes = ["c%d" % k for k in range(15000)]
    model = str(tmp_path / "many.json")
    wide_model(2, classes).save(model)
    data = tmp_path / "rows.csv"
    data.write_text("f0,f1,label\n" + "".join("%d,%d,c%d\n" % (k, -k, k * 7) for k in range(300)))
    code, out, err = limited("import sys; from tinybackprop.front.cli import main; "
                             "sys.exit(main(['evaluate', sys.argv[1], sys.argv[2]]))", model, data)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("accuracy: ") and lines[1] == (
        "confusion matrix left out: 15000 classes, more than the 50 a matrix is shown for"), lines[:3]
    assert len(out) < 1000


def test_a_confusion_matrix_is_shown_up_to_its_limit(tmp_path):
    from tinybackprop.front.cli.predict import MAX_SHOWN_CLASSES
    for n, shown in ((MAX_SHOWN_CLASSES, True), (MAX_SHOWN_CLASSES + 1, False)):
        model = str(tmp_path / ("m%d.json" % n))
        wide_model(2, ["c%d" % k for k in range(n)]).save(model)
        data = tmp_path / "rows.csv"
        data.write_text("f0,f1,label\n1,2,c0\n3,4,c1\n")
        code, out, err = in_process("evaluate", model, data)
        assert code == 0 and ("confusion matrix (rows" in out) == shown, (n, out[:200])


def test_explain_bounds_its_precision_and_the_network_it_writes_out(tmp_path):
    # --precision 1000000000 grew to 24 GB, 10**11 was an OverflowError traceback; a 2 MB
    # model ([1000, 1000, 2]) as an HTML page took about 420 bytes a weight, then MemoryError.
    from tinybackprop.seeing.trace import MAX_PRECISION, MAX_SHOWN_PARAMETERS
    for precision in (10 ** 9, 10 ** 11, -1, MAX_PRECISION + 1):
        code, out, err = in_process("explain", "--precision", precision)
        assert one_line_error(code, err) and "--precision is %d: give 0 to 17 digits" % precision in err, err
    code, out, err = in_process("explain", "--precision", MAX_PRECISION)
    assert code == 0 and "a^0 = x" in out, err
    net = tb.Network([2, 3, 2], activations=["tanh", "softmax"], loss="cross_entropy")
    assert "precision is 18" in raises(TinyBackpropError, tb.explain, net, [0.0, 1.0], [1.0, 0.0], 0.1,
                                       precision=18)
    # At the limit of weights and biases written out, and one past it: [n, 1] has n + 1.
    at = tb.Network([MAX_SHOWN_PARAMETERS - 1, 1], activations="sigmoid", loss="mse")
    past = tb.Network([MAX_SHOWN_PARAMETERS, 1], activations="sigmoid", loss="mse")
    from tinybackprop.seeing.trace import check_shown
    check_shown(at)  # MAX_SHOWN_PARAMETERS exactly: allowed
    message = raises(TinyBackpropError, check_shown, past)
    assert "has 20001 weights and biases: a step is written out for at most 20000" in message
    path = str(tmp_path / "big.json")
    tb.Network([200, 200, 2], activations=["tanh", "softmax"], loss="cross_entropy").save(path)
    for fmt in ("text", "html", "svg"):
        code, out, err = in_process("explain", "--model", path, "--format", fmt,
                                    "--x", ",".join(["0"] * 200), "--y", "1,0")
        assert one_line_error(code, err) and "has 40602 weights and biases" in err, err


def test_memory_and_disk_trouble_end_in_one_line_and_status_1(tmp_path, monkeypatch):
    # A MemoryError anywhere in the command line was a traceback (a 60 MB CSV line under a
    # 384 MiB limit); a full disk's error named no file.
    from tinybackprop.front.cli import train as train_module

    def no_memory(*args, **kwargs):
        raise MemoryError()
    monkeypatch.setattr(train_module, "read_table", no_memory)
    code, out, err = in_process("train", os.path.join(ROOT, "tinybackprop", "data", "datasets", "iris.csv"))
    assert one_line_error(code, err, status=1) and "out of memory" in err, err
    monkeypatch.undo()
    broken = FullDisk.install(monkeypatch)
    target = tmp_path / "m.json"
    target.write_text("the old model")
    code, out, err = in_process("train", os.path.join(ROOT, "tinybackprop", "data", "datasets", "iris.csv"),
                                "--epochs", "1", "--quiet", "--save", target)
    assert broken.writes and code == 1 and err.strip().splitlines()[-1] == (
        "tinybackprop train: cannot use %r: No space left on device (nothing was half-written)" % str(target)), err
    assert target.read_text() == "the old model" and os.listdir(str(tmp_path)) == ["m.json"]


class FullDisk(io.StringIO):
    """A file on a full disk: the text is taken, then flush and close fail with ENOSPC (as
    CPython's buffered file does when the disk fills up)."""

    writes = 0

    def flush(self):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def close(self):
        io.StringIO.close(self)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def fileno(self):
        return -1

    @classmethod
    def install(cls, monkeypatch):
        """Make the next temporaries of files.atomic such files (each really created on disk)."""
        real = os.fdopen

        def fdopen(descriptor, *args, **kwargs):
            real(descriptor, *args, **kwargs).close()  # the file is on disk, empty, as on a full one
            cls.writes += 1
            return cls()
        monkeypatch.setattr(atomic.os, "fdopen", fdopen)
        return cls


# -- Nothing left behind -------------------------------------------------------------

def test_a_failed_write_on_a_full_disk_leaves_no_temporary(tmp_path, monkeypatch):
    # close() raised again in the error path, so the temporary was never removed.
    FullDisk.install(monkeypatch)
    target = tmp_path / "out.csv"
    target.write_text("old")
    error = raises(OSError, atomic.write_atomically, str(target), "new text")
    assert "No space left on device" in error
    assert os.listdir(str(tmp_path)) == ["out.csv"] and target.read_text() == "old"


def test_a_save_sweeps_the_temporaries_a_killed_save_left(tmp_path):
    # A SIGKILL during a write left a partial temporary that no later save removed.
    target = tmp_path / "m.json"
    stale = tmp_path / ".m.json.0123456789ab.tmp"
    stale.write_text('{"half": ')
    old = atomic.STARTED - 3600
    os.utime(str(stale), (old, old))
    fresh = tmp_path / ".m.json.abcdefabcdef.tmp"  # newer: another process's save, running
    fresh.write_text("")
    recent = atomic.STARTED - atomic.STALE + 5
    os.utime(str(fresh), (recent, recent))
    other = tmp_path / ".other.json.0123456789ab.tmp"  # another file's: never touched
    other.write_text("")
    os.utime(str(other), (old, old))
    unlike = tmp_path / ".m.json.not-ours.tmp"
    unlike.write_text("")
    os.utime(str(unlike), (old, old))
    tb.Network([2, 1]).save(str(target))
    assert sorted(os.listdir(str(tmp_path))) == sorted(
        [".m.json.abcdefabcdef.tmp", ".other.json.0123456789ab.tmp", ".m.json.not-ours.tmp", "m.json"])


def test_a_killed_save_leaves_the_old_file_and_the_next_save_cleans_up(tmp_path):
    # SIGKILL mid-write: the target is whole (the old one), and the next run sweeps what is left.
    target = tmp_path / "m.json"
    tb.Network([2, 1]).save(str(target))
    before = target.read_text()
    writer = subprocess.Popen(  # a save that has written half its temporary, then waits
        [sys.executable, "-c", "import sys, time, tinybackprop.files.atomic as a\n"
         "f, name = a._new_file_beside(sys.argv[1])\n"
         "f.write('{\"half\": '); f.flush(); print(name, flush=True)\n"
         "time.sleep(60)\n", str(target)], cwd=ROOT, stdout=subprocess.PIPE, universal_newlines=True)
    temporary = writer.stdout.readline().strip()
    writer.kill()
    writer.wait()
    assert os.path.exists(temporary) and target.read_text() == before
    old = time.time() - 2 * atomic.STALE  # as if the next run came two minutes later
    os.utime(temporary, (old, old))
    code, out, err = limited("import sys, tinybackprop as tb; tb.Network([2, 1]).save(sys.argv[1])", target)
    assert code == 0, err
    assert not os.path.exists(temporary) and os.listdir(str(tmp_path)) == ["m.json"]


# -- No silent NaN -------------------------------------------------------------------

def diverged_classifier():
    """A Classifier whose network computes inf - inf = NaN for the row [1, 1]."""
    net = tb.Network([2, 2], activations="softmax", loss="cross_entropy",
                     weights=[[[1e308, 1e308], [0.0, 0.0]]], biases=[[0.0, 0.0]])
    return from_model(Model(net, classes=["no", "yes"], feature_names=["u", "v"]))


def test_the_estimators_refuse_a_nan_output_as_the_command_line_does(tmp_path):
    # tb.load(m).predict(rows) gave a class label for NaN outputs, predict_proba NaNs.
    model = diverged_classifier()
    for method in (model.predict, model.predict_proba):
        message = raises(TinyBackpropError, method, [[0.5, 0.5], [10.0, 10.0]])
        assert message == ("X[1]: the model's output is nan, not a finite number: the model has diverged; "
                           "train it again with a smaller lr"), message
    path = str(tmp_path / "nan.json")
    model.save(path)
    data = tmp_path / "rows.csv"
    data.write_text("u,v\n0.5,0.5\n10,10\n")
    code, out, err = in_process("predict", path, data)
    assert one_line_error(code, err) and "rows.csv, line 3: the model's output is nan" in err, err


# -- Numbers at the boundary ---------------------------------------------------------

def test_numbers_of_any_type_are_numbers_and_other_values_are_refused_at_fit():
    # Decimal, Fraction, numpy.float32 and numpy.int64 became one-hot categories of their
    # reprs ("Decimal('0')"), complex too, while Network.predict refused them.
    from decimal import Decimal
    from fractions import Fraction
    X = [[Decimal(k % 5), Fraction(k, 3), float(k % 4)] for k in range(30)]
    y = [k % 2 for k in range(30)]
    model = tb.Classifier(epochs=2).fit(X, y)
    assert model.model_.feature_names == ["x0", "x1", "x2"]  # three number inputs, no categories
    assert [c["kind"] for c in model.model_.columns] == ["number"] * 3
    assert model.predict([[Decimal("1.5"), Fraction(1, 2), 2.0]]) == model.predict([[1.5, 0.5, 2.0]])
    try:
        import numpy
    except ImportError:
        numpy = None
    if numpy is not None:
        Xn = [[numpy.float32(k * 0.5), numpy.int64(k % 3)] for k in range(30)]
        assert tb.Classifier(epochs=2).fit(Xn, y).model_.feature_names == ["x0", "x1"]
    message = raises(TypeError, tb.Classifier(epochs=2).fit, [[1 + 2j, 1.0]] * 30, y)
    assert message == "X[0][0] is (1+2j) (complex): give numbers or texts (str(value) makes it a category)"
    message = raises(TypeError, tb.Classifier(epochs=2).fit, [[object, 1.0]] * 30, y)
    assert "X[0][0] is <class 'object'> (type): give numbers or texts" in message


def test_labels_a_model_file_cannot_hold_are_refused_before_training():
    # bool, Decimal or inf labels trained, and were refused only at save.
    from decimal import Decimal
    X = [[float(k % 7)] for k in range(20)]
    message = raises(TypeError, tb.Classifier(epochs=2).fit, X, [True, False] * 10)
    assert message.startswith("y[0] is True: give the labels as texts or numbers")
    message = raises(TinyBackpropError, tb.Classifier(epochs=2).fit, X, [float("inf"), 1.0] * 10)
    assert message == "y[0] is inf: a target must be a finite number or a text"
    assert tb.Classifier(epochs=2).fit(X, [Decimal(1), Decimal(2)] * 10).classes_ == [1, 2]


def test_columns_that_make_two_inputs_of_one_name_are_refused_before_training(tmp_path):
    # A header c,c=x,label trained 15 epochs, then could not be saved.
    data = tmp_path / "cc.csv"
    data.write_text("c,c=x,label\n" + "".join("%s,%d.5,%s\n" % ("xy"[k % 2], k, "ab"[k % 3 == 0])
                                              for k in range(30)))
    code, out, err = in_process("train", data, "--save", tmp_path / "cc.json")
    assert one_line_error(code, err) and out == "" and (
        "cc.csv: columns 'c' and 'c=x' both make an input named 'c=x'; rename one of them") in err, err
    assert not (tmp_path / "cc.json").exists()


def test_a_target_near_the_largest_float_trains(tmp_path):
    # A regression target of +-1.7e308 was "y[0] is -inf", with no file or line.
    data = tmp_path / "big.csv"
    data.write_text("x,y\n" + "".join("%s,%s\n" % ("0.5 1.5 2.5".split()[k % 3], "1.7e308" if k % 3 else "-1.7e308")
                                      for k in range(30)))
    code, out, err = in_process("train", data, "--regression", "--epochs", "2", "--quiet")
    assert code == 0 and "held-out RMSE" in out, err


# -- Exports that cannot hold a constant ---------------------------------------------

def edge_model(mean, std, weight=1.5):
    net = tb.Network([2, 3, 2], activations=["tanh", "softmax"], loss="cross_entropy", seed=5)
    for row in net.weights[0]:
        row[0] *= weight
    return Model(net, scaling={"mean": [mean, 0.0], "std": [std, 1.0]}, classes=["lo", "hi"],
                 feature_names=["u", "v"])


def test_exports_refuse_a_constant_their_number_type_cannot_hold():
    # Trained on values around 1e200, a C export compiled with one warning and predicted NaN
    # for every row; a std of 1e-310 made int8 and C raise OverflowError / ZeroDivisionError.
    from tinybackprop.export.sources import c_header_source, int8_module_source, module_source
    message = raises(TinyBackpropError, c_header_source, edge_model(1e200, 1e199))
    assert message.startswith("scaling.mean[0] is 1e+200, beyond float32's largest (3.4e+38): a C float "
                              "cannot hold it"), message
    message = raises(TinyBackpropError, c_header_source, edge_model(0.0, 1e-310))
    assert message.startswith("scaling.std[0] is 1e-310, below float32's smallest normal number"), message
    message = raises(TinyBackpropError, c_header_source, edge_model(0.0, 1.0, weight=1e300))
    assert message.startswith("weights[0][0][0] is "), message
    for std in (1e-310, 5e-324):
        message = raises(TinyBackpropError, int8_module_source, edge_model(0.0, std))
        assert message.startswith("input 0: its scaling (mean 0.0, std %r) does not fit" % std), message
    assert "def predict" in module_source(edge_model(1e200, 1e199))  # Python keeps doubles: fine
    tiny = edge_model(0.0, 1.0)
    tiny.network.weights[1][0] = [5e-324, -5e-324, 0.0]  # a row of subnormal weights: int8 zeros
    assert "def predict" in int8_module_source(tiny)


@pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None, reason="no C compiler")
def test_the_c_export_of_an_edge_range_model_compiles_with_werror_and_predicts_as_the_library(tmp_path):
    from test_export import compile_c, run_c
    from tinybackprop.data.model import x_of
    from tinybackprop.export.sources import c_header_source
    from tinybackprop.core.network import predicted_class
    model = edge_model(1e37, 1e36)  # raw inputs near float32's largest, a spread within its range
    model.network.weights[1][1] = [5e-324, -1e-310, 1e-40]  # below float32's denormals, and one of them
    binary = compile_c(tmp_path, c_header_source(model))
    xs = [[1e37 + k * 3e35, 0.1 * (k - 10)] for k in range(21)]
    for x, fields in zip(xs, run_c(binary, xs)):
        a = model.network.predict(x_of(model, x, "row"))
        outputs = [float(v) for v in fields[1:]]
        assert all(abs(p - q) < 1e-5 for p, q in zip(outputs, a)), (x, outputs, a)
        if abs(a[0] - a[1]) > 1e-5:
            assert int(fields[0]) == predicted_class(a)


# -- What a terminal shows -----------------------------------------------------------

def test_control_characters_in_a_header_are_escaped_in_errors_and_the_summary(tmp_path):
    # printf 'a,\033]0;owned\007b,label...' > e.csv; train e.csv --target nope retitled the terminal.
    data = tmp_path / "e.csv"
    data.write_text("a,\x1b]0;owned\x07b,label\n" + "".join("%d,%s,%s\n" % (k % 5, "pq"[k % 3 == 0], "xy"[k % 2])
                                                        for k in range(40)))
    code, out, err = in_process("train", data, "--target", "nope")
    assert one_line_error(code, err) and "\x1b" not in err and "\x07" not in err
    assert "the columns are a, \\x1b]0;owned\\x07b, label" in err, err
    code, out, err = in_process("train", data, "--epochs", "1")
    assert code == 0 and "\x1b" not in out + err and "\\x1b]0;owned\\x07b" in out, out


def test_two_outputs_to_standard_output_are_refused(tmp_path):
    # train s.csv --save - --plot - wrote the model and the SVG together and exited 0.
    data = tmp_path / "s.csv"
    data.write_text("u,label\n" + "".join("%d,%s\n" % (k, "ab"[k % 2]) for k in range(30)))
    code, out, err = in_process("train", data, "--save", "-", "--plot", "-")
    assert one_line_error(code, err) and out == "" and (
        "--save and --plot both write to standard output (-): give all but one a file name") in err, err


def test_the_limits_on_sizes_and_epochs_hold_at_the_limit_and_one_past_it():
    from tinybackprop.core.checks import MAX_PARAMETERS, check_sizes
    from tinybackprop.front.estimators import DEFAULTS, MAX_EPOCHS, check_table_settings
    assert check_sizes([MAX_PARAMETERS - 1, 1]) == [MAX_PARAMETERS - 1, 1]  # n + 1 weights and biases
    message = raises(TinyBackpropError, check_sizes, [MAX_PARAMETERS, 1])
    assert "make 10000001 weights and biases, more than the 10000000" in message
    check_table_settings(dict(DEFAULTS, epochs=MAX_EPOCHS))
    assert raises(TinyBackpropError, check_table_settings, dict(DEFAULTS, epochs=MAX_EPOCHS + 1)) == \
        "epochs is 1000001: at most 1000000"
