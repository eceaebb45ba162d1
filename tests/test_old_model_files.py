"""Model files written by an earlier tinybackprop load and predict as they did then.

tests/models/ holds files saved on 2026-12-01 (commit c208c13, before the Network and the
table's preprocessing became two objects) by tests/models/make.py, and expected.json, the
outputs a^L and the answers they gave.  Later versions must read them as they are.
"""
import json
import os
import subprocess
import sys

import tinybackprop as tb
from tinybackprop.network import load as load_network

from helpers import close
from interpreters import ROOT

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "models")
SAME = 1e-12  # the same arithmetic in the same order: equal but for the last bit at most


def expected():
    with open(os.path.join(HERE, "expected.json")) as f:
        return json.load(f)


def test_a_networks_file_loads_as_the_network_it_was():
    case = expected()["xor.json"]
    net = tb.load(os.path.join(HERE, "xor.json"))
    assert isinstance(net, tb.Network)
    for x, a in zip(case["x"], case["outputs"]):
        assert close(net.predict(x), a, SAME)
    assert net.predict([0.0, 1.0])[0] > 0.5 > net.predict([1.0, 1.0])[0]  # it had learned XOR


def test_table_models_load_as_estimators_that_answer_as_before():
    for name, kind in (("flowers.json", tb.Classifier), ("cars.json", tb.Regressor)):
        case = expected()[name]
        model = tb.load(os.path.join(HERE, name))
        assert isinstance(model, kind), name
        assert close(model.outputs(case["rows"]), case["outputs"], SAME), name
        answers = model.predict(case["rows"])
        if kind is tb.Classifier:
            assert answers == case["answers"]
        else:
            assert close(answers, case["answers"], SAME)
        # the Network alone, as a board reads it, computes the same a^L from the same x
        net = load_network(os.path.join(HERE, name))
        assert net.sizes == model.network.sizes and net.weights == model.network.weights


def test_the_command_line_predicts_from_the_old_files_as_before(tmp_path):
    case = expected()["flowers.json"]
    rows = tmp_path / "rows.csv"
    rows.write_text("petal,colour,stem\n" + "".join(",".join(r) + "\n" for r in case["rows"]))
    done = subprocess.run([sys.executable, "-m", "tinybackprop", "predict", os.path.join(HERE, "flowers.json"),
                           str(rows)], env=dict(os.environ, PYTHONPATH=ROOT), stdout=subprocess.PIPE,
                          universal_newlines=True)
    assert done.returncode == 0
    out = done.stdout.splitlines()
    assert out[0] == "prediction,short,tall"
    assert [line.split(",")[0] for line in out[1:]] == case["answers"]
