"""Write the playground: one self-contained HTML page that trains with the library's own code.

    npm ci --prefix tools/playground      # the runtime, once (pinned in its package-lock.json)
    python3 tools/playground.py OUT.html [--screenshots FOLDER]

The page holds MicroPython's WebAssembly port (npm's
@micropython/micropython-webassembly-pyscript, MIT) and the library's own .py files,
unchanged, with the page's Python side (tools/playground/driver.py) and its script and
style (tools/playground/page.js, worker.js, page.css).  Opened from file://, with no
network and no server, its Web Worker starts the runtime, writes those files into
the runtime's file system and trains there while the page draws each epoch.

The URL contract, for tests and links:

    OUT.html?autorun=xor&sizes=2,4,1&activations=tanh,sigmoid&loss=binary_cross_entropy&lr=0.1&epochs=300&seed=3

trains tb.Network(sizes, activations=..., loss=..., seed=seed).train(XOR, epochs=...,
lr=...) (XOR's four samples in the usual order; the library's defaults for everything
else) and writes the last history record, with "weights" and "biases", as JSON into
the element with id "result".  tests/test_playground.py opens the page so in
headless Chromium and compares with CPython; &step=1 then makes one SGD step and writes
its numbers into the element "step-result".  --screenshots FOLDER also writes the
pictures of docs/playground.md there (SCREENSHOTS).  docs/playground.md has the design.
"""
import base64
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tinybackprop.files.atomic import write_atomically  # noqa: E402

HERE = os.path.join(ROOT, "tools", "playground")
RUNTIME = os.path.join(HERE, "node_modules", "@micropython", "micropython-webassembly-pyscript")
# The layers a page runs: the math, training, the fast path, files and pictures, and of
# data/ the rows and the generated sets with iris.  Not front/ (the command line needs
# argparse and csv, which the port lacks) nor export/.
LAYERS = ("core", "training", "fast", "files", "seeing")
OTHERS = ("__init__.py", "network.py", "version.py", "data/__init__.py", "data/rows.py", "data/toy.py",
          "data/datasets/iris.csv")


def library_files():
    """{path in the runtime's file system: text} of the library's files the page runs,
    and of the page's own Python side, driver.py, as /lib/playground_driver.py."""
    files = {}
    package = os.path.join(ROOT, "tinybackprop")
    names = list(OTHERS) + [layer + "/" + name for layer in LAYERS
                            for name in sorted(os.listdir(os.path.join(package, layer))) if name.endswith(".py")]
    for name in names:
        with open(os.path.join(package, *name.split("/")), encoding="utf-8") as f:
            files["/lib/tinybackprop/" + name] = f.read()
    with open(os.path.join(HERE, "driver.py"), encoding="utf-8") as f:
        files["/lib/playground_driver.py"] = f.read()
    return files


def read(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return f.read()


def page():
    """The page's text.  Raises SystemExit naming the command when the runtime is missing."""
    module, wasm = os.path.join(RUNTIME, "micropython.mjs"), os.path.join(RUNTIME, "micropython.wasm")
    if not (os.path.exists(module) and os.path.exists(wasm)):
        raise SystemExit("%s: not found; install the runtime with: npm ci --prefix tools/playground" % RUNTIME)
    with open(module, "rb") as f:
        runtime = base64.b64encode(f.read()).decode("ascii")
    with open(wasm, "rb") as f:
        wasm_base64 = base64.b64encode(f.read()).decode("ascii")
    # Inside a <script> or <style> element only "</script" or "</style" would end it: the
    # JSON writes every "</" as "<\/", the runtime goes in base64, and the page's own
    # script and style are refused if they hold either.
    parts = {"STYLE": read("page.css"), "SCRIPT": read("page.js"), "WORKER": read("worker.js"),
             "RUNTIME": runtime, "WASM": wasm_base64,
             "FILES": json.dumps(library_files(), sort_keys=True).replace("</", "<\\/")}
    text = read("page.html")
    for name in parts:
        if name in ("STYLE", "SCRIPT", "WORKER") and ("</script" in parts[name].lower() or
                                                    "</style" in parts[name].lower()):
            raise SystemExit("tools/playground/: the %s holds an end tag that would end its element "
                             "early" % name.lower())
        text = text.replace("{{%s}}" % name, parts[name])
    return text


# The screenshots of docs/playground.md: (file, the URL's query, JavaScript run once the
# step is shown): two moons trained, and XOR's first step at the delta recursion.
SCREENSHOTS = (
    ("playground-train.png", "autorun=moons&sizes=2,8,1&activations=tanh,sigmoid&loss=binary_cross_entropy"
                             "&lr=0.1&epochs=100&seed=0&step=1", "window.scrollTo(0, 0)"),
    ("playground-step.png", "autorun=xor&sizes=2,4,1&activations=tanh,sigmoid&loss=binary_cross_entropy"
                            "&lr=0.1&epochs=300&seed=3&step=1",
     'document.getElementById("stages").children[2].click(); '
     'document.getElementById("stepper").scrollIntoView()'),
)


def screenshots(path, folder):
    """Write SCREENSHOTS of the page at path into folder, in headless Chromium."""
    import shutil
    import tempfile
    from devtools import wait_for_text
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise SystemExit("--screenshots needs Chromium (Debian's chromium package)")
    for name, query, then in SCREENSHOTS:
        profile = tempfile.mkdtemp()
        try:
            wait_for_text(browser, "file://%s?%s" % (os.path.abspath(path), query),
                          'document.getElementById("step-result").textContent', profile,
                          screenshot=os.path.join(folder, name), then=then)
        finally:
            shutil.rmtree(profile, ignore_errors=True)
        print("wrote %s" % os.path.join(folder, name))


def main():
    args = sys.argv[1:]
    folder = None
    if len(args) == 3 and args[1] == "--screenshots":
        folder = args.pop(2)
        args.pop(1)
    if len(args) != 1 or args[0].startswith("-"):
        raise SystemExit("usage: python3 tools/playground.py OUT.html [--screenshots FOLDER]")
    text = page()
    write_atomically(args[0], text)
    print("wrote %s (%d bytes)" % (args[0], len(text.encode("utf-8"))))
    if folder is not None:
        screenshots(args[0], folder)


if __name__ == "__main__":
    main()
