"""Same seed, same trained weights, on every interpreter found (to 1e-12).

Runs tests/same_seed.py under this Python and under every other interpreter
present: pyenv's CPython 3.6+, pypy3, micropython (on PATH or in a .venv*/bin of
the repository, where .ci/run installs it), and those named in
TINYBACKPROP_EXTRA_PYTHONS (.ci/run adds MicroPython built with 32-bit floats).
Their math libraries may round exp and tanh differently in the last bit, hence a
tolerance, not equality.  An interpreter whose floats are 32-bit rounds every
step of training to 24 bits instead of 53; its weights must agree with the
64-bit ones to AGREEMENT_PER_EPSILON times its own epsilon (1.2e-5; measured
here 1.3e-6 at worst, over the 147 numbers).
"""
import os
import subprocess

from helpers import close
from interpreters import interpreters

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(ROOT, "tests", "same_seed.py")
AGREEMENT = 1e-12
AGREEMENT_PER_EPSILON = 100


def trained_weights(python):
    out = subprocess.run([python, SCRIPT], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         universal_newlines=True, timeout=600)
    assert out.returncode == 0, (python, out.stderr)
    lines = out.stdout.split("\n")
    epsilon = float(lines[1].replace("epsilon: ", ""))
    return lines[0].replace("interpreter: ", ""), epsilon, [float(w) for w in lines[2:] if w]


def test_same_seed_gives_the_same_weights_on_every_interpreter():
    names = []
    reference = None
    for python in interpreters():
        name, epsilon, weights = trained_weights(python)
        names.append("%s (epsilon %.1e)" % (name, epsilon))
        if reference is None:
            assert epsilon < 1e-15, "the reference run needs 64-bit floats"
            reference = weights
            # [4, 6, 5, 3]: 6*4+6 + 5*6+5 + 3*5+3 = 83; [4, 5, 4, 3]: 5*4+5 + 4*5+4 + 3*4+3 = 64
            assert len(reference) == 83 + 64
        assert len(weights) == len(reference), name
        tolerance = AGREEMENT if epsilon < 1e-15 else AGREEMENT_PER_EPSILON * epsilon
        assert close(weights, reference, tolerance), (name, epsilon)
    print("same weights on: " + ", ".join(names))
