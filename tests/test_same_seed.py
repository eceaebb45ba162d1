"""Same seed, same trained weights, on every interpreter found (to 1e-12).

Runs tests/same_seed.py under this Python and under every other interpreter
present: pyenv's CPython 3.6+, pypy3, micropython (on PATH or in a .venv*/bin of
the repository, where .ci/run installs it).  Their math libraries may round
exp and tanh differently in the last bit, hence a tolerance, not equality.
"""
import glob
import os
import shutil
import subprocess
import sys

from helpers import close

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(ROOT, "tests", "same_seed.py")
AGREEMENT = 1e-12


def interpreters():
    """Paths of the interpreters present, this one first."""
    found = [sys.executable]
    pyenv = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    found += sorted(glob.glob(os.path.join(pyenv, "versions", "3.*", "bin", "python3")))
    for name in ("pypy3", "micropython"):
        path = shutil.which(name)
        if path is None:
            local = glob.glob(os.path.join(ROOT, ".venv*", "bin", name))
            path = local[0] if local else None
        if path is not None:
            found.append(path)
    return found


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
