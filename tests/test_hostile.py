"""Hostile files and careless paths, through the library and the command line: no code
runs, nothing is clobbered, nothing allocates without bound, one line where one is
promised.  (CPython: uses subprocess, signals, symbolic links and FIFOs.)"""
import contextlib
import io
import os
import signal
import stat
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree

import pytest

import tinybackprop as tb
from helpers import raises
from interpreters import ROOT
from tinybackprop.front.cli import main
from tinybackprop.core.errors import TinyBackpropError
from tinybackprop.network import from_json


def run(*args, timeout=120, **kwargs):
    """The command line in a new process: (exit status, stdout, stderr)."""
    out = subprocess.run([sys.executable, "-m", "tinybackprop"] + [str(a) for a in args], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                         timeout=timeout, **kwargs)
    return out.returncode, out.stdout, out.stderr


def in_process(*args):
    """The command line in this process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def csv_file(path, classes=("a", "b"), rows=40):
    """A two-feature CSV; class k's points sit around (k, -k)."""
    lines = ["u,v,label"]
    for r in range(rows):
        k = r % len(classes)
        lines.append("%r,%r,%s" % (k + 0.01 * r, -k - 0.02 * r, classes[k]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def one_line_error(code, err, status=2):
    return code == status and len(err.strip().splitlines()) == 1


# -- Outputs that would clobber an input --------------------------------------------

def test_an_output_that_names_an_input_is_refused_before_any_work(tmp_path):
    data = csv_file(tmp_path / "data.csv")
    before = data.read_text()
    os.symlink(str(data), str(tmp_path / "link.csv"))
    os.link(str(data), str(tmp_path / "hard.csv"))
    for save in (data, tmp_path / "link.csv", tmp_path / "hard.csv"):
        code, out, err = in_process("train", data, "--save", save, "--epochs", "1")
        assert one_line_error(code, err) and "is the data file this command reads" in err, err
        assert out == ""  # refused before training
    code, out, err = in_process("train", data, "--save", tmp_path / "m.json", "--plot", tmp_path / "m.json")
    assert one_line_error(code, err) and "--save and --plot name one file" in err
    code, out, err = in_process("train", data, "--save", tmp_path / "m.json", "--epochs", "1", "--quiet")
    assert code == 0
    for out_path, inputs in ((data, "data file"), (tmp_path / "m.json", "model file")):
        code, out, err = in_process("predict", tmp_path / "m.json", data, "--out", out_path)
        assert one_line_error(code, err) and inputs in err
        code, out, err = in_process("export", tmp_path / "m.json", "--out", tmp_path / "m.json")
        assert one_line_error(code, err)
    assert data.read_text() == before and tb.load(str(tmp_path / "m.json")).network.sizes == [2, 32, 2]


def test_a_missing_output_folder_or_an_empty_name_is_found_before_training(tmp_path):
    data = csv_file(tmp_path / "data.csv")
    code, out, err = in_process("train", data, "--save", tmp_path / "no" / "m.json")
    assert one_line_error(code, err) and "does not exist" in err and out == ""
    code, out, err = in_process("train", data, "--save", "")
    assert one_line_error(code, err) and "--save is empty" in err
    code, out, err = in_process("train", data, "--plot", tmp_path / "no" / "p.svg")
    assert one_line_error(code, err) and out == ""
    # A failed run writes nothing: not the plot either.
    code, out, err = in_process("train", data, "--plot", tmp_path / "p.svg", "--save", tmp_path / "no" / "m.json")
    assert one_line_error(code, err) and not os.path.exists(str(tmp_path / "p.svg"))


def test_a_dash_is_standard_output(tmp_path):
    data = csv_file(tmp_path / "data.csv")
    code, out, err = in_process("train", data, "--save", "-", "--epochs", "1", "--quiet")
    assert code == 0 and from_json(out, "stdout").sizes == [2, 32, 2]
    assert not os.path.exists("-")
    (tmp_path / "m.json").write_text(out)
    code, out, err = in_process("export", tmp_path / "m.json", "--out", "-")
    assert code == 0 and "def predict(x)" in out
    code, out, err = in_process("predict", tmp_path / "m.json", data, "--out", "-")
    assert code == 0 and out.startswith("prediction,a,b\n")


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null")
def test_a_device_as_an_output_is_written_not_replaced(tmp_path):
    data = csv_file(tmp_path / "data.csv")
    code, out, err = run("train", data, "--save", "/dev/null", "--epochs", "1", "--quiet")
    assert code == 0 and stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert in_process("train", data, "--epochs", "1", "--quiet", "--save", tmp_path / "m.json")[0] == 0
    code, out, err = run("predict", tmp_path / "m.json", data, "--out", "/dev/stdout")  # stdout: a pipe
    assert code == 0 and out.startswith("prediction,a,b\n") and os.path.islink("/dev/stdout"), err


# -- Inputs that would never end ------------------------------------------------------

def test_special_files_as_inputs_are_refused_without_reading(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(str(fifo))
    code, out, err = run("train", fifo, timeout=60)  # would block forever if it were opened
    assert one_line_error(code, err) and "not a regular file" in err
    code, out, err = run("predict", "/dev/zero", csv_file(tmp_path / "d.csv"), timeout=60)
    assert one_line_error(code, err) and "not a regular file" in err
    code, out, err = run("evaluate", fifo, fifo, timeout=60)
    assert one_line_error(code, err) and "not a regular file" in err


def test_sizes_from_flags_are_bounded_before_anything_is_allocated(tmp_path):
    data = csv_file(tmp_path / "data.csv")
    code, out, err = in_process("train", data, "--epochs", str(10 ** 20))
    assert one_line_error(code, err) and "--epochs" in err
    code, out, err = in_process("train", data, "--hidden", "100000000")
    assert one_line_error(code, err) and "more than the 10000000" in err


def test_training_does_not_allocate_the_history_of_every_epoch_first():
    # epochs=10**12 once meant a list of 10**12 entries before the first step.
    class Stop(Exception):
        pass

    def stop(epoch, done):
        if epoch == 3:
            raise Stop()

    net = tb.Network([2, 2, 1], activations=["tanh", "sigmoid"], seed=1)
    started = time.time()
    raises(Stop, net.train, [([0.0, 1.0], [1.0])], epochs=10 ** 12, step_callback=stop)
    assert time.time() - started < 10


# -- Numbers at the edge of a float -----------------------------------------------------

def test_csv_values_near_the_largest_float_give_an_answer_or_one_line(tmp_path):
    data = tmp_path / "big.csv"
    data.write_text("u,v,label\n" + "".join("%r,%r,%s\n" % (1e200 * (k % 7 - 3), 1.0 * k, "ab"[k % 2])
                                              for k in range(40)))
    code, out, err = in_process("train", data, "--epochs", "2", "--quiet")
    assert code == 0, err  # the scaling of 1e200s fits: its sums are taken in units of 1e200
    # One value at -1.7e308 among 39 at +1.7e308: its distance from the mean is no float.
    data.write_text("u,v,label\n" + "".join("%r,%r,%s\n" % (1.7e308 * (1 if k else -1), 1.0 * k, "ab"[k % 2])
                                              for k in range(40)))
    code, out, err = in_process("train", data, "--epochs", "2", "--quiet")
    assert code == 0, err


def test_a_bias_change_is_bounded_too():
    # x = 0: every weight's change lr delta x is 0, but the bias moves by lr delta.
    for fast in (True, False):
        net = tb.Network([1, 1], activations="identity", weights=[[[1.0]]], biases=[[0.0]])
        message = raises(TinyBackpropError, net.train, [([0.0], [1.0])], epochs=1, lr=1e160, fast=fast)
        assert "diverged" in message and net.biases == [[0.0]]


def test_explain_refuses_a_learning_rate_that_is_not_a_positive_number():
    for lr in ("nan", "inf", "-1", "0"):
        code, out, err = in_process("explain", "--lr", lr)
        assert one_line_error(code, err) and "learning rate" in err, lr


def test_a_test_split_that_holds_out_nothing_is_said(tmp_path):
    # 10 classes of 2 rows: 0.2 of 2 rounds to 0 in every class.
    data = csv_file(tmp_path / "many.csv", classes=tuple("abcdefghij"), rows=20)
    code, out, err = in_process("train", data, "--test-split", "0.2")
    assert one_line_error(code, err) and "holds out no rows" in err


# -- Names from the data -----------------------------------------------------------------

def test_control_characters_in_names_make_valid_svg_and_a_safe_terminal(tmp_path):
    data = csv_file(tmp_path / "data.csv", classes=("red\x1b[31m", "blue\x07"))
    code, out, err = in_process("train", data, "--epochs", "2", "--quiet", "--save", tmp_path / "m.json",
                                "--plot", tmp_path / "p.svg")
    assert code == 0, err
    ElementTree.parse(str(tmp_path / "p.svg"))  # well-formed XML
    code, out, err = in_process("evaluate", tmp_path / "m.json", data)
    assert code == 0 and "\x1b" not in out and "\x07" not in out and "red\\x1b[31m" in out


def test_a_name_that_a_spreadsheet_would_run_is_quoted_in_predictions(tmp_path):
    data = csv_file(tmp_path / "data.csv", classes=("=HYPERLINK(1)", "-2"))
    in_process("train", data, "--epochs", "2", "--quiet", "--save", tmp_path / "m.json")
    code, out, err = in_process("predict", tmp_path / "m.json", data)
    assert code == 0
    header = out.splitlines()[0]
    assert header == "prediction,-2,'=HYPERLINK(1)"  # (classes sorted); a number is left as it is
    assert all(not line.startswith("=") for line in out.splitlines())


# -- Signals ----------------------------------------------------------------------------

def test_ctrl_c_outside_training_ends_in_one_line_and_130(tmp_path):
    # predict reads its rows from a pipe that stays open: Ctrl-C comes while it is at work,
    # however fast the machine (a file of 400,000 rows was once all predicted in 1.5 s).
    small = csv_file(tmp_path / "small.csv")
    assert in_process("train", small, "--epochs", "1", "--quiet", "--save", tmp_path / "m.json")[0] == 0
    # Ctrl-C as at a terminal: a shell's background job (CI started by `&`) inherits SIGINT
    # ignored, and Python then installs no KeyboardInterrupt for it.
    process = subprocess.Popen([sys.executable, "-m", "tinybackprop", "predict", str(tmp_path / "m.json"),
                                "-", "--out", str(tmp_path / "p.csv")], cwd=ROOT, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    process.stdin.write("u,v,label\n" + "".join("%d.5,%d.25,%s\n" % (k % 13, k % 7, "ab"[k % 2])
                                                for k in range(1000)))
    process.stdin.flush()
    time.sleep(1.5)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130 and one_line_error(130, err, 130) and "interrupted" in err, err
    assert "Traceback" not in err and not os.path.exists(str(tmp_path / "p.csv"))
    assert [name for name in os.listdir(str(tmp_path)) if name.endswith(".tmp")] == []


def test_sigterm_during_a_write_leaves_no_temporary_file(tmp_path):
    # The write is slowed (fsync sleeps) so that SIGTERM arrives in the middle of it.
    data = csv_file(tmp_path / "data.csv")
    assert in_process("train", data, "--epochs", "1", "--quiet", "--save", tmp_path / "m.json")[0] == 0
    before = (tmp_path / "m.json").read_text()
    program = ("import os, sys, time\n"
               "import tinybackprop.files.atomic as files\n"
               "files.os.fsync = lambda fd: (sys.stdout.write('writing\\n'), sys.stdout.flush(), time.sleep(30))\n"
               "from tinybackprop.front.cli import main\n"
               "sys.exit(main(['train', %r, '--epochs', '1', '--quiet', '--save', %r]))\n"
               % (str(data), str(tmp_path / "m.json")))
    process = subprocess.Popen([sys.executable, "-c", program], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, universal_newlines=True)
    lines = []
    while not lines or lines[len(lines) - 1] not in ("writing\n", ""):
        lines.append(process.stdout.readline())  # the result line, then the write begins
    assert lines[len(lines) - 1] == "writing\n", lines
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 143 and "terminated" in err and "Traceback" not in err, err
    assert (tmp_path / "m.json").read_text() == before
    assert [name for name in os.listdir(str(tmp_path)) if name.endswith(".tmp")] == []
