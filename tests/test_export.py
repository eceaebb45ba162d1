"""The exported standalone module predicts what the library predicts, on CPython and MicroPython."""
import json
import os
import subprocess
import sys

from helpers import close
from interpreters import ROOT, find
from tinybackprop.cli import fit
from tinybackprop.data import dataset_path, read_table, scale
from tinybackprop.network import argmax

AGREEMENT = 1e-12  # the library may sum W a with math.sumprod, the module with a plain loop

DRIVER = """import sys, json
sys.path.insert(0, sys.argv[1])
import iris_model
for line in sys.stdin:
    x = json.loads(line)
    print(json.dumps([iris_model.predict(x), iris_model.outputs(x)]))
"""


def iris_model():
    """[4, 6, 3] sigmoid/softmax trained on all of iris, with scaling and names, as `train` makes it."""
    table = read_table(dataset_path("iris"))
    rows = list(range(len(table["xs"])))
    net, history = fit(table, rows, [], [6], "sigmoid", 10, 0.05, 1, 2)
    return net, table["xs"]


def run_exported(python, folder, xs):
    driver = os.path.join(folder, "driver.py")
    with open(driver, "w") as f:
        f.write(DRIVER)
    out = subprocess.run([python, driver, folder], input="".join(json.dumps(x) + "\n" for x in xs),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    return [json.loads(line) for line in out.stdout.splitlines()]


def test_exported_module_predicts_as_the_library(tmp_path):
    net, xs = iris_model()
    model = str(tmp_path / "iris.json")
    net.save(model)
    out = subprocess.run([sys.executable, "-m", "tinybackprop", "export", model, "--out",
                          str(tmp_path / "iris_model.py")], cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, universal_newlines=True)
    assert out.returncode == 0, out.stderr
    assert "wrote" in out.stdout
    source = (tmp_path / "iris_model.py").read_text()
    assert "import math" in source and "tinybackprop" not in source.split('"""', 2)[2]
    expected = [net.predict(scale(net.scaling, x)) for x in xs]
    pythons = [sys.executable] + [p for p in [find("micropython")] if p is not None]
    for python in pythons:
        results = run_exported(python, str(tmp_path), xs)
        assert len(results) == len(xs) == 150
        for (name, a), a_library in zip(results, expected):
            assert close(a, a_library, AGREEMENT), python
            assert name == net.classes[argmax(a_library)], python
    assert len({name for name, a in results}) == 3  # not one answer for everything


def test_export_of_a_bad_model_fails_cleanly(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    out = subprocess.run([sys.executable, "-m", "tinybackprop", "export", str(bad), "--out",
                          str(tmp_path / "m.py")], cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, universal_newlines=True)
    assert out.returncode == 2 and "'format' is missing" in out.stderr
    assert "Traceback" not in out.stderr and not (tmp_path / "m.py").exists()
