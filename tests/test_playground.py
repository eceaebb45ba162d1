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
from interpreters import ROOT
from test_picture import chromium
from tinybackprop.data.rows import one_hot
from tinybackprop.data.toy import two_moons
from tinybackprop.seeing.trace import trace

sys.path.insert(0, os.path.join(ROOT, "tools"))
from devtools import wait_for_text  # noqa: E402

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
    {"data": "moons", "sizes": "2,8,2", "activations": "tanh,softmax", "loss": "cross_entropy", "lr": "0.1",
     "epochs": "20", "seed": "0"},
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


def data(name, n_out):
    """The (x, y) samples of XOR, or of two moons as the page draws them (200 points, noise
    0.15, seed 1; docs/playground.md): targets [k] for one output, one-hot for two."""
    if name == "xor":
        return XOR
    xs, labels = two_moons(200, 0.15, 1)
    classes = sorted(set(labels))
    return [(x, [float(classes.index(label))] if n_out == 1 else one_hot(classes.index(label), n_out))
            for x, label in zip(xs, labels)]


def browser_page(tmp_path):
    """The page, where Chromium is (else a skip, or a failure in CI)."""
    if chromium() is None:
        assert not os.environ.get("TINYBACKPROP_REQUIRE_BROWSER"), "Chromium was found by .ci/run, not here"
        pytest.skip("no Chromium here (.ci/run installs Debian's chromium)")
    return page(tmp_path)


def native(case):
    """The last history record and the network CPython trains with the case's settings."""
    net = tb.Network([int(n) for n in case["sizes"].split(",")], activations=case["activations"].split(","),
                     loss=case["loss"], seed=int(case["seed"]))
    settings = {"epochs": int(case["epochs"]), "lr": float(case["lr"])}
    if "rule" in case:
        settings["rule"], settings["batch_size"] = case["rule"], int(case["batch_size"])
    history = net.train(data(case.get("data", "xor"), net.sizes[len(net.sizes) - 1]), **settings)
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
    path = browser_page(tmp_path)
    for k, case in enumerate(CASES):
        query = "&".join("%s=%s" % (name, case[name]) for name in sorted(case) if name != "data")
        text = wait_for_text(chromium(), "file://%s?autorun=%s&%s" % (path, case.get("data", "xor"), query),
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


def test_one_step_after_training_is_the_librarys_with_its_source_lines(tmp_path):
    case = CASES[0]
    query = "&".join("%s=%s" % (name, case[name]) for name in sorted(case))
    path = browser_page(tmp_path)
    text = wait_for_text(chromium(), "file://%s?autorun=xor&%s&step=1" % (path, query),
                         'document.getElementById("step-result").textContent', str(tmp_path / "profile"))
    found = json.loads(text)
    record, net = native(case)
    t = trace(net, XOR[0][0], XOR[0][1], float(case["lr"]))  # the step on sample 0, at the rate trained with
    assert found["sample"] == 0
    assert close(found["loss"], t["loss"]) and close(found["loss_after"], t["loss_after"])
    with open(os.path.join(ROOT, "tinybackprop", "core", "backprop.py"), encoding="utf-8") as f:
        lines = f.read().split("\n")
    # Each stage's highlighted lines start at its function's def: feedforward, output_delta,
    # deltas, backprop, then SGD.changes and step for the update.
    starts = [[lines[first - 1].strip().split("(")[0] for first, last in stage] for stage in found["lines"]]
    assert starts == [["def feedforward"], ["def output_delta"], ["def deltas"], ["def backprop"],
                      ["def changes", "def step"]]
    assert lines[found["lines"][2][0][1] - 1].strip() == "return delta"  # the recursion, to its end


def test_a_setting_that_does_not_fit_the_data_is_named_in_the_page(tmp_path):
    path = browser_page(tmp_path)
    text = wait_for_text(chromium(), "file://%s?autorun=iris&sizes=4,8,2&activations=tanh,softmax&loss=cross_entropy"
                         "&lr=0.1&epochs=5" % path, 'document.getElementById("result").textContent',
                         str(tmp_path / "profile"))
    assert json.loads(text) == {"error": "ValueError: iris has 3 classes: the last layer size must be 3, not 2"}


def test_the_page_answers_while_it_trains_and_draws_each_epoch(tmp_path):
    # The worker trains; the page's own thread answers the DevTools protocol in between
    # and shows the epochs as they end, before the result is there.
    path = browser_page(tmp_path)
    text = wait_for_text(chromium(), "file://%s?autorun=spirals&sizes=2,16,16,1&activations=tanh,tanh,sigmoid"
                         "&loss=binary_cross_entropy&lr=0.03&epochs=500" % path,
                         '(document.getElementById("status").textContent.indexOf("epoch ") === 0 && '
                         '!document.getElementById("result").textContent && '
                         'document.querySelector("#curve polyline")) ? '
                         'document.getElementById("status").textContent : ""', str(tmp_path / "profile"), poll=0.05)
    epoch = int(text.split()[1].rstrip(":"))
    assert 1 <= epoch < 500, text
