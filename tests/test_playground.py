"""The playground page (tools/playground.py) trains in headless Chromium, on MicroPython's
WebAssembly port, to CPython's numbers.

Needs the runtime (npm ci --prefix tools/playground) and Chromium; .ci/run installs
both and sets TINYBACKPROP_REQUIRE_PLAYGROUND and TINYBACKPROP_REQUIRE_BROWSER, so that
there a missing one fails instead of skipping.
"""
import os
import json
import re
import subprocess
import sys

import pytest

import tinybackprop as tb
from devtools import wait_for_text
from interpreters import ROOT
from test_picture import chromium

RUNTIME = os.path.join(ROOT, "tools", "playground", "node_modules", "@micropython",
                       "micropython-webassembly-pyscript", "micropython.wasm")
XOR = [([0.0, 0.0], [0.0]), ([0.0, 1.0], [1.0]), ([1.0, 0.0], [1.0]), ([1.0, 1.0], [0.0])]
# Measured: the page's loss and weights match CPython's to about 2e-15 (relative); the
# port's float repr and its own libm (exp, tanh) may differ in the last bits.
TOLERANCE = 1e-9

CASES = [  # the URL's settings: the example, other shapes and losses, a rule and batches
    {"sizes": "2,4,1", "activations": "tanh,sigmoid", "loss": "binary_cross_entropy", "lr": "0.1",
     "epochs": "300", "seed": "3"},
    {"sizes": "2,3,1", "activations": "sigmoid,sigmoid", "loss": "mse", "lr": "0.5", "epochs": "200", "seed": "1"},
    {"sizes": "2,8,1", "activations": "relu,sigmoid", "loss": "binary_cross_entropy", "lr": "0.05",
     "epochs": "100", "seed": "0"},
    {"sizes": "2,4,4,1", "activations": "tanh,tanh,sigmoid", "loss": "binary_cross_entropy", "lr": "0.05",
     "epochs": "150", "seed": "2", "rule": "momentum", "batch_size": "2"},
]


def page(tmp_path):
    """The page built by tools/playground.py into tmp_path, or a skip where it cannot be."""
    if not os.path.exists(RUNTIME):
        assert not os.environ.get("TINYBACKPROP_REQUIRE_PLAYGROUND"), "%s: not installed" % RUNTIME
        pytest.skip("the playground's runtime is not installed: npm ci --prefix tools/playground")
    path = str(tmp_path / "playground.html")
    out = subprocess.run([sys.executable, "tools/playground.py", path], cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, universal_newlines=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return path


def native(case):
    """The last history record and the network CPython trains with the case's settings."""
    net = tb.Network([int(n) for n in case["sizes"].split(",")], activations=case["activations"].split(","),
                     loss=case["loss"], seed=int(case["seed"]))
    settings = {"epochs": int(case["epochs"]), "lr": float(case["lr"])}
    if "rule" in case:
        settings["rule"], settings["batch_size"] = case["rule"], int(case["batch_size"])
    history = net.train(XOR, **settings)
    return history[len(history) - 1], net


def close(a, b):
    return abs(a - b) <= TOLERANCE * max(1.0, abs(b))


def test_the_page_is_one_file_with_the_librarys_own_text_and_nothing_from_outside(tmp_path):
    path = page(tmp_path)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//|url\(\s*["']?(https?:)?//|fetch\(""", text)
    files = json.loads(re.search(r'<script type="application/json" id="files">(.*?)</script>', text, re.S).group(1))
    with open(os.path.join(ROOT, "tinybackprop", "core", "backprop.py"), encoding="utf-8") as f:
        assert files["/lib/tinybackprop/core/backprop.py"] == f.read()  # the very text a reader reads
    assert "/lib/playground_driver.py" in files and not any("/front/" in name for name in files)


def test_the_url_contract_gives_cpythons_loss_and_weights_in_chromium(tmp_path):
    if chromium() is None:
        assert not os.environ.get("TINYBACKPROP_REQUIRE_BROWSER"), "Chromium was found by .ci/run, not here"
        pytest.skip("no Chromium here (.ci/run installs Debian's chromium)")
    path = page(tmp_path)
    for k, case in enumerate(CASES):
        query = "&".join("%s=%s" % (name, case[name]) for name in sorted(case))
        text = wait_for_text(chromium(), "file://%s?autorun=xor&%s" % (path, query),
                             'document.getElementById("result").textContent', str(tmp_path / ("profile%d" % k)))
        found = json.loads(text)
        assert "error" not in found, (case, found)
        record, net = native(case)
        assert found["epoch"] == record["epoch"] == int(case["epochs"])
        assert close(found["loss"], record["loss"]), (case, found["loss"], record["loss"])
        assert found["accuracy"] == record["accuracy"]
        for l in range(len(net.weights)):
            assert all(close(found["weights"][l][i][j], net.weights[l][i][j])
                       for i in range(len(net.weights[l])) for j in range(len(net.weights[l][i]))), (case, l)
            assert all(close(found["biases"][l][i], net.biases[l][i]) for i in range(len(net.biases[l])))
