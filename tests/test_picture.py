"""The picture of a step: SVG, the HTML page, the notebook forms, and the page in a real browser.

The numbers the page shows are checked against the library's own forward pass, deltas
and step (tinybackprop.core.backprop), not against the page's generator.  The browser test
runs Chromium headless (Debian's chromium; .ci/run installs it) on the page with the
hash #selftest, which presses the right-arrow key and points at neuron 0 of layer 1 in
each stage, then reads what the page shows from the DOM; it is skipped where there is
no Chromium.
"""
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree

import tinybackprop as tb
from interpreters import ROOT
from test_cli import run
from tinybackprop.core.backprop import SGD, deltas, feedforward, step
from tinybackprop.core.matrix import copy_matrix
from tinybackprop.seeing.picture import STAGES, all_stages_svg, step_page, step_svg
from tinybackprop.seeing.trace import Writer

SVG = "{http://www.w3.org/2000/svg}"
X, Y, LR = [0.5, -1.0, 0.25, 2.0], [0.0, 1.0, 0.0], 0.5


def fixed_network():
    return tb.Network([4, 3, 3], activations=["tanh", "softmax"], loss="cross_entropy", seed=7)


def expected(net, precision=4):
    """The numbers of neuron 0 of layer 1 in each stage, from the library's reference step."""
    n = Writer(False, precision).number
    z, a = feedforward(net, X)
    delta = deltas(net, z, a, Y)
    after = tb.Network(net.sizes, net.activations, net.loss, weights=[copy_matrix(W) for W in net.weights],
                       biases=[list(b) for b in net.biases])
    step(after, [(X, Y)], SGD(LR))
    return {"forward": [n(z[1][0]), n(a[1][0])] + ["%s×%s" % (n(net.weights[0][0][j]), n(X[j])) for j in range(4)],
            "backward": [n(delta[1][0])] + [n(delta[1][0] * X[j]) for j in range(4)],
            "update": [n(after.biases[0][0])] + [n(after.weights[0][0][j]) for j in range(4)]}


def neuron_equations(page):
    """{stage: equation of neuron 0 of layer 1}, as the page carries them (no JavaScript)."""
    found = {}
    for stage in STAGES:
        section = page.split('<section class="stage" id="%s">' % stage, 1)[1].split("</section>", 1)[0]
        found[stage] = re.search(r'data-l="1" data-i="0" data-equation="([^"]*)"', section).group(1)
    return found


def test_the_page_carries_the_librarys_numbers_and_nothing_from_outside():
    net = fixed_network()
    page = step_page(net, X, Y, LR)
    for stage, text in neuron_equations(page).items():
        for number in expected(net)[stage]:
            assert number in text, (stage, number, text)
    assert page.count('<section class="stage"') == 3 and page.count('class="neuron"') == 3 * 10
    for outside in ("src=", "href=", "url(", "@import", "<link", "http://", "https://"):
        assert outside not in page.replace('xmlns="http://www.w3.org/2000/svg"', ""), outside
    numbers = json.loads(page.split('<script type="application/json" id="numbers">', 1)[1].split("</script>", 1)[0])
    assert numbers["W_after"][1] == [[float(v) for v in row] for row in numbers["W_after"][1]]


def test_svg_pictures_are_well_formed_and_wide_networks_are_heat_maps():
    net = fixed_network()
    for stage in STAGES:
        root = ElementTree.fromstring(step_svg(net, X, Y, LR, stage).split("\n", 1)[1])
        assert root.get("data-stage") == stage
        assert len([e for e in root.iter(SVG + "line") if e.get("class") == "edge"]) == 4 * 3 + 3 * 3
    root = ElementTree.fromstring(all_stages_svg(net, X, Y, LR).split("\n", 1)[1])
    assert len([e for e in root.iter(SVG + "svg") if e.get("class") == "network"]) == 3
    wide = tb.Network([20, 16, 3], activations=["tanh", "softmax"], loss="cross_entropy")
    root = ElementTree.fromstring(step_svg(wide, [0.1] * 20, Y, LR, "backward").split("\n", 1)[1])
    cells = [e for e in root.iter(SVG + "rect") if e.get("class") == "cell"]
    assert len(cells) == 20 * 16 + 16 * 3 and root.get("class") == "network heat"
    ElementTree.fromstring(net._repr_svg_())  # a notebook shows the network itself


def test_explain_returns_the_text_which_a_notebook_shows_as_the_page():
    net = fixed_network()
    shown = tb.explain(net, X, Y, LR)
    assert isinstance(shown, str) and shown.startswith("One SGD step of Network([4, 3, 3]")
    assert shown._repr_markdown_() == tb.explain(net, X, Y, LR, format="markdown")
    html = shown._repr_html_()
    assert html.startswith("<style>") and html.count('<section class="stage"') == 3 and "<script>" in html


def test_explain_writes_the_page_and_the_picture_from_the_command_line(tmp_path):
    page, picture = str(tmp_path / "step.html"), str(tmp_path / "step.svg")
    out = run("explain", "--sizes", "4,3,3", "--activations", "tanh,softmax", "--loss", "cross_entropy",
              "--seed", "7", "--x", "0.5,-1,0.25,2", "--y", "0,1,0", "--lr", "0.5", "--format", "html",
              "--out", page)
    assert out.returncode == 0, out.stderr
    with open(page, encoding="utf-8") as f:
        assert f.read() == step_page(fixed_network(), X, Y, LR)
    assert run("explain", "--format", "svg", "--out", picture).returncode == 0
    ElementTree.parse(picture)
    model = str(tmp_path / "m.json")
    fixed_network().save(model)
    out = run("explain", "--model", model, "--x", "0.5,-1,0.25,2", "--y", "0,1,0", "--lr", "0.5", "--format", "html")
    assert out.returncode == 0 and out.stdout == step_page(fixed_network(), X, Y, LR)


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def browse(page_path, fragment, tmp_path, screenshot=None):
    """Chromium headless on the page: the DOM after its script ran, and optionally a screenshot."""
    flags = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--user-data-dir=" + str(tmp_path / "profile"), "--window-size=1300,900"]
    url = "file://" + os.path.abspath(page_path) + fragment
    if screenshot:
        subprocess.run(flags + ["--screenshot=" + screenshot, url], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=120)
        return None
    return subprocess.run(flags + ["--dump-dom", url], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=120).stdout


def test_in_a_real_browser_the_keys_step_through_the_stages_and_show_the_numbers(tmp_path):
    if chromium() is None:
        assert not os.environ.get("TINYBACKPROP_REQUIRE_BROWSER"), "Chromium was found by .ci/run, not here"
        import pytest
        pytest.skip("no Chromium here (.ci/run installs Debian's chromium)")
    net = fixed_network()
    path = str(tmp_path / "step.html")
    with open(path, "w", encoding="utf-8") as f:
        f.write(step_page(net, X, Y, LR))
    dom = browse(path, "#selftest", tmp_path)
    body = re.search(r"<body[^>]*>", dom).group(0)
    assert 'data-ready="yes"' in body and "data-error" not in body, body  # the script ran, no error
    seen = json.loads(re.search(r'<pre id="selftest" hidden="">(.*?)</pre>', dom, re.S).group(1)
                      .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("&quot;", '"'))
    assert [s["stage"] for s in seen] == list(STAGES)  # the right-arrow key moved through them
    for s in seen:
        for number in expected(net)[s["stage"]]:
            assert number in s["panel"], (s["stage"], number, s["panel"])
    for stage in STAGES:
        shot = str(tmp_path / ("%s.png" % stage))
        browse(path, "#" + stage, tmp_path, screenshot=shot)
        with open(shot, "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n"


def test_the_pages_in_docs_are_what_explain_writes_today():
    # docs/step.html and docs/step.svg are explain's default step, kept in the repository
    # to look at; they must not drift from page.css, page.js and the picture code.
    from tinybackprop.seeing.picture import all_stages_svg, step_page
    net = tb.Network([2, 3, 2], seed=0)  # explain's default network and sample
    with open(os.path.join(ROOT, "docs", "step.html"), encoding="utf-8") as f:
        assert f.read() == step_page(net, [0.5, -1.0], [1.0, 0.0], 0.5, 4)
    with open(os.path.join(ROOT, "docs", "step.svg"), encoding="utf-8") as f:
        assert f.read() == all_stages_svg(net, [0.5, -1.0], [1.0, 0.0], 0.5, 4)
