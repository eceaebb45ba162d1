"""Write the README's pictures of one step: python tools/screenshots.py

The walkthrough's step (a [2, 3, 2] sigmoid network, seed 0, x = [0.5, -1],
y = [1, 0], lr 0.5: `python -m tinybackprop explain`'s default) as docs/step.html
and docs/step.svg, and a screenshot of each stage of the page in headless
Chromium as docs/step-forward.png, docs/step-backward.png, docs/step-update.png,
each with neuron 0 of layer 1 selected.
"""
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, ROOT)

import tinybackprop as tb  # noqa: E402
from tinybackprop.seeing.picture import STAGES, all_stages_svg, step_page  # noqa: E402

DOCS = os.path.join(ROOT, "docs")


def main():
    net = tb.Network([2, 3, 2], activations="sigmoid", loss="mse", seed=0)
    x, y, lr = [0.5, -1.0], [1.0, 0.0], 0.5
    page = os.path.join(DOCS, "step.html")
    with open(page, "w", encoding="utf-8") as f:
        f.write(step_page(net, x, y, lr))
    with open(os.path.join(DOCS, "step.svg"), "w", encoding="utf-8") as f:
        f.write(all_stages_svg(net, x, y, lr))
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        sys.exit("no Chromium found: the page and the SVG are written, the screenshots are not")
    profile = tempfile.mkdtemp()
    for stage in STAGES:
        shot = os.path.join(DOCS, "step-%s.png" % stage)
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--hide-scrollbars", "--user-data-dir=" + profile, "--window-size=1250,520",
                        "--screenshot=" + shot, "file://%s#%s-select" % (os.path.abspath(page), stage)],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120, check=True)
        print("wrote", os.path.relpath(shot, ROOT))
    shutil.rmtree(profile, ignore_errors=True)


main()
