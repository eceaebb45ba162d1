"""The Python interpreters present on this machine, for the cross-interpreter tests (CPython only).

pyenv's CPython 3.6+, pypy3 and micropython, found on PATH or, for the last two,
in a .venv*/bin of the repository (where .ci/run installs MicroPython); and any
listed in the environment variable TINYBACKPROP_EXTRA_PYTHONS (paths separated
by os.pathsep), such as the 32-bit-float MicroPython that tools/board.py builds.
"""
import glob
import os
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def find(name):
    """The path of the command name, or None."""
    path = shutil.which(name)
    if path is None:
        local = sorted(glob.glob(os.path.join(ROOT, ".venv*", "bin", name)))
        path = local[0] if local else None
    return path


def interpreters():
    """Paths of the interpreters present, this one first."""
    found = [sys.executable]
    pyenv = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    by_version = sorted((tuple(int(part) for part in version.split(".") if part.isdigit()), version)
                        for version in os.listdir(os.path.join(pyenv, "versions"))
                        if version.startswith("3.")) if os.path.isdir(pyenv) else []
    for _, version in by_version:
        python = os.path.join(pyenv, "versions", version, "bin", "python3")
        if os.path.exists(python):
            found.append(python)
    for name in ("pypy3", "micropython"):
        if find(name) is not None:
            found.append(find(name))
    for path in os.environ.get("TINYBACKPROP_EXTRA_PYTHONS", "").split(os.pathsep):
        if path:
            assert os.path.exists(path), "TINYBACKPROP_EXTRA_PYTHONS names %s, which is not there" % path
            found.append(path)
    return found
