"""Same seed, same trained weights, on every interpreter found (to 1e-12).

Runs tests/same_seed.py under this Python and under every other interpreter
present: pyenv's CPython 3.6+, pypy3, micropython (on PATH or in a .venv*/bin of
the repository, where .ci/run installs it).  Their math libraries may round
exp and tanh differently in the last bit, hence a tolerance, not equality.
"""
import os
import subprocess

from helpers import close
from interpreters import interpreters

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(ROOT, "tests", "same_seed.py")
AGREEMENT = 1e-12


def trained_weights(python):
    out = subprocess.run([python, SCRIPT], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         universal_newlines=True, timeout=600)
    assert out.returncode == 0, (python, out.stderr)
    lines = out.stdout.split("\n")
    return lines[0].replace("interpreter: ", ""), [float(w) for w in lines[1:] if w]


def test_same_seed_gives_the_same_weights_on_every_interpreter():
    names = []
    reference = None
    for python in interpreters():
        name, weights = trained_weights(python)
        names.append(name)
        if reference is None:
            reference = weights
            # [4, 6, 5, 3]: 6*4+6 + 5*6+5 + 3*5+3 = 83; [4, 5, 4, 3]: 5*4+5 + 4*5+4 + 3*4+3 = 64
            assert len(reference) == 83 + 64
        assert len(weights) == len(reference), name
        assert close(weights, reference, AGREEMENT), name
    print("same weights on: " + ", ".join(names))
