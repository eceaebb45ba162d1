"""The examples run as documented and reach what they say."""
import subprocess
import sys

from interpreters import ROOT


def run_example(name, *args):
    out = subprocess.run([sys.executable, "examples/" + name] + list(args), cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                         timeout=600)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_walkthrough_agrees_with_the_library_and_learns_xor():
    text = run_example("walkthrough.py")
    for section in range(1, 9):
        assert "\n== %d. " % section in text
    assert "feedforward(net, x) gives the same a^2: True" in text
    assert "network.deltas gives the same δ^1: True" in text
    assert "17 parameters: 34 forward passes" in text
    assert "after 500 epochs: mean loss" in text and text.rstrip().endswith("accuracy 1.00")


def test_benchmark_runs_and_reports_every_line():
    text = run_example("benchmark.py", "--quick", "--repeats", "1", "--samples", "20")
    for line in ("digits [64, 32, 10]  tinybackprop", "plain-loop reference", "hand-written loop",
                 "XOR [2, 8, 1]  tinybackprop", "inference (predict)"):
        assert line in text, line
    assert text.count("ns/weight op") == 7
