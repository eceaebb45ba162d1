"""The examples in the docstrings run and print what they show (CPython's doctest)."""
import doctest
import importlib
import os

from interpreters import ROOT

MODULES = sorted(name[:-3] for name in os.listdir(os.path.join(ROOT, "tinybackprop"))
                 if name.endswith(".py") and name not in ("__main__.py",))


def test_docstring_examples():
    tried = 0
    for name in MODULES:
        module = importlib.import_module("tinybackprop" if name == "__init__" else "tinybackprop." + name)
        failures, attempts = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert failures == 0, name
        tried += attempts
    assert tried >= 15, tried  # the modules do carry examples
