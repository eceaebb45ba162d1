"""The examples in the docstrings run and print what they show (CPython's doctest)."""
import doctest
import importlib
import os

from interpreters import ROOT

PACKAGE = os.path.join(ROOT, "tinybackprop")


def module_names():
    """Every module of the package, in every folder, but __main__ (it runs the command line)."""
    names = []
    for folder, _, files in os.walk(PACKAGE):
        for name in sorted(files):
            if name.endswith(".py") and name != "__main__.py":
                parts = os.path.relpath(os.path.join(folder, name), ROOT)[:-3].split(os.sep)
                names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return sorted(names)


def test_docstring_examples():
    tried = 0
    for name in module_names():
        module = importlib.import_module(name)
        failures, attempts = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert failures == 0, name
        tried += attempts
    assert tried >= 15, tried  # the modules do carry examples
