"""The Python examples of the README and of docs/ run as written and say what they claim;
every local link resolves."""
import contextlib
import io
import os
import re

import tinybackprop as tb

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
README = os.path.join(ROOT, "README.md")
DOCS = os.path.join(ROOT, "docs")
README_MOST_BYTES = 12000  # the rest is in docs/, linked from it


def pages():
    """README.md first, then every page of docs/."""
    return [README] + sorted(os.path.join(DOCS, name) for name in os.listdir(DOCS) if name.endswith(".md"))


def text_of(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def python_blocks():
    """The ```python blocks of the README, then of the docs pages (the tour comes first)."""
    return [block for path in pages() for block in re.findall(r"```python\n(.*?)```", text_of(path), re.S)]


def test_the_readme_is_short_and_every_local_link_resolves():
    assert len(text_of(README).encode("utf-8")) <= README_MOST_BYTES
    linked = set()
    for path in pages():
        for target in re.findall(r"\]\(([^)#]+)\)", text_of(path)):
            if "://" in target:
                continue
            assert os.path.exists(os.path.join(os.path.dirname(path), target)), (path, target)
            linked.add(os.path.normpath(os.path.join(os.path.dirname(path), target)))
    for page in pages()[1:]:  # every docs page is reachable from the README
        assert os.path.normpath(page) in linked, page


def run(block, namespace):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, "README.md", "exec"), namespace)
    return out.getvalue()


def test_the_tour_runs_and_learns_xor(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    tour = python_blocks()[0]
    namespace = {}
    output = run(tour, namespace)
    # The lines the README marks "# True" print True.
    assert output.count("True") == tour.count("# True") == 2
    assert "False" not in output
    assert namespace["history"][-1]["accuracy"] == 1.0
    net = namespace["net"]
    for x, y in namespace["samples"]:
        assert (net.predict(x)[0] > 0.5) == (y[0] == 1.0)
    assert os.path.exists("xor.json")


def test_the_pytorch_snippet_round_trips(tmp_path, monkeypatch):
    try:
        import torch  # noqa: F401
    except ImportError:
        import pytest
        pytest.skip("torch is not installed")
    monkeypatch.chdir(tmp_path)
    snippet = [b for b in python_blocks() if "torch" in b]
    assert len(snippet) == 1
    net = tb.Network([4, 6, 3], activations=["relu", "softmax"], loss="cross_entropy", seed=2)
    net.save("model.json")
    run(snippet[0], {})
    back = tb.load("model_from_torch.json")
    x = [0.1, 0.2, -0.3, 0.4]
    assert back.predict(x) == net.predict(x)


def test_the_estimator_block_runs_as_it_says(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    block = [b for b in python_blocks() if "tb.Classifier(" in b][0]
    namespace = {}
    output = run(block, namespace).splitlines()
    assert output[0] == "['setosa', 'versicolor', 'virginica']"
    assert output[1:4] == ["True", "1.0", "True"]
    assert output[4] == "['x0', 'x1', 'x2', 'x3']"
    assert output[5] == str(sorted(tb.Classifier().get_params()))
    assert isinstance(tb.load("flowers.json"), tb.Classifier)


def test_the_estimators_signature_in_the_readme_is_the_code_s():
    # The README lists Classifier's parameters and defaults; they must be the code's own
    # (it once still said lr=0.01 after the default became 0.03).
    import inspect
    text = text_of(os.path.join(DOCS, "csv.md"))
    written = re.search(r"`tb\.Classifier\((.*?)\)` and `tb\.Regressor", text, re.S).group(1)
    written = " ".join(written.split())
    actual = ", ".join("%s=%r" % (name, p.default) if not isinstance(p.default, str) else '%s="%s"' % (name, p.default)
                       for name, p in inspect.signature(tb.Classifier.__init__).parameters.items() if name != "self")
    assert written == actual, (written, actual)


def test_the_xor_seed_counts_of_the_api_page_are_what_training_gives():
    text = " ".join(text_of(os.path.join(DOCS, "api.md")).split())
    found = re.search(r"with lr=0\.1 from (\d+) of 50 seeds tried .*? with lr=0\.5, from (\d+) of 50", text)
    samples = [([0.0, 0.0], [0.0]), ([0.0, 1.0], [1.0]), ([1.0, 0.0], [1.0]), ([1.0, 1.0], [0.0])]
    for lr, claimed in ((0.1, int(found.group(1))), (0.5, int(found.group(2)))):
        learned = 0
        for seed in range(50):
            net = tb.Network([2, 4, 1], activations=["tanh", "sigmoid"], loss="binary_cross_entropy", seed=seed)
            net.train(samples, epochs=500, lr=lr, history="none")
            learned += all((net.predict(x)[0] > 0.5) == (y[0] > 0.5) for x, y in samples)
        assert learned == claimed, (lr, learned, claimed)
