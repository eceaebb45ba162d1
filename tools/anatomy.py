"""The library's shape, measured: what a student reads for one step, and how the layers import.

    python tools/anatomy.py            # the table of issue 23's figures
    python tools/anatomy.py --json     # the same, as JSON (tests/test_layout.py reads it)

- The reference step: one per-sample step of ``net.train(samples, fast=False)`` on
  XOR [2, 4, 1] (tanh, sigmoid, binary cross-entropy), traced with ``sys.setprofile``:
  the package functions that the core's ``step`` calls for each sample (comprehensions
  are not counted as functions), the files they are in, and the code lines of those
  files (lines holding code: not blank, not only a comment, not a docstring); and,
  apart, the functions the epoch loop calls for each sample outside the step (the
  epoch's accuracy).
- The modules such a run loads (a fresh process): the fast path must not be one of them.
- Import circles: every ``import`` of one package module by another, at any depth
  (inside functions too), as a graph; each strongly connected set of two or more
  modules is a circle.
- The README's size in bytes.
"""
import ast
import json
import os
import subprocess
import sys
import tokenize

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = os.path.join(ROOT, "tinybackprop")

TRACE = r"""
import sys
sys.path.insert(0, %(root)r)
import tinybackprop as tb
samples = [([0.0, 0.0], [0.0]), ([0.0, 1.0], [1.0]), ([1.0, 0.0], [1.0]), ([1.0, 1.0], [0.0])]
net = tb.Network([2, 4, 1], activations=["tanh", "sigmoid"], loss="binary_cross_entropy", seed=1)
EPOCHS = 5
calls, loop_calls = {}, {}
COMPREHENSIONS = ("<listcomp>", "<dictcomp>", "<setcomp>", "<genexpr>")
depth = [0]  # > 0 while the core's step runs
def profile(frame, event, arg):
    code = frame.f_code
    if not code.co_filename.startswith(%(package)r) or code.co_name in COMPREHENSIONS:
        return
    key = (code.co_filename, code.co_name)
    is_step = code.co_name == "step" and code.co_filename.endswith("backprop.py")
    if event == "call":
        if is_step:
            depth[0] += 1
        counts = calls if depth[0] > 0 else loop_calls
        counts[key] = counts.get(key, 0) + 1
    elif event == "return" and is_step:
        depth[0] -= 1
sys.setprofile(profile)
net.train(samples, epochs=EPOCHS, lr=0.1, fast=False)
sys.setprofile(None)
def named(counts):
    return sorted("%%s:%%s" %% (f[len(%(package)r) + 1:], n) for (f, n), c in counts.items()
                  if c >= EPOCHS * len(samples))
per_sample, loop = named(calls), named(loop_calls)
loaded = sorted(m for m in sys.modules if m.startswith("tinybackprop"))
import json
print(json.dumps({"per_sample": per_sample, "loop": loop, "loaded": loaded}))
"""


def code_lines(path):
    """The lines of path that hold code: not blank, not only a comment, not a docstring."""
    with open(path, "rb") as f:
        tokens = list(tokenize.tokenize(f.readline))
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                docstrings.update(range(body[0].lineno, body[0].end_lineno + 1))
    lines = set()
    skip = (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
            tokenize.ENCODING, tokenize.ENDMARKER)
    for token in tokens:
        if token.type not in skip:
            for line in range(token.start[0], token.end[0] + 1):
                if line not in docstrings:
                    lines.add(line)
    return len(lines)


def modules():
    """{module name: path} for every .py file of the package."""
    found = {}
    for folder, _, files in os.walk(PACKAGE):
        for name in files:
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                parts = os.path.relpath(path, ROOT)[:-3].split(os.sep)
                if parts[-1] == "__init__":
                    parts.pop()
                found[".".join(parts)] = path
    return found


def imports_of(name, path, known):
    """The package modules that the module called name imports, anywhere in its text."""
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    is_package = path.endswith("__init__.py")
    here = name.split(".") if is_package else name.split(".")[:-1]
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[:len(here) - (node.level - 1)]
                base = ".".join(base + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            targets = []
            for alias in node.names:
                full = base + "." + alias.name
                targets.append(full if full in known else base)
        else:
            continue
        for target in targets:
            if target in known and target != name:
                out.add(target)
    return out


def circles():
    """The import circles: each strongly connected set of two or more modules (Tarjan)."""
    known = modules()
    graph = {name: imports_of(name, path, known) for name, path in known.items()}
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def reference_step():
    """The per-sample functions and loaded modules of a fast=False run, from a fresh process."""
    out = subprocess.run([sys.executable, "-c", TRACE % {"root": ROOT, "package": PACKAGE}],
                         stdout=subprocess.PIPE, universal_newlines=True, check=True)
    return json.loads(out.stdout)


def measure():
    step = reference_step()
    files = sorted(set(entry.split(":")[0] for entry in step["per_sample"]))
    with open(os.path.join(ROOT, "README.md"), "rb") as f:
        readme = len(f.read())
    return {"functions": len(step["per_sample"]), "per_sample": step["per_sample"], "files": files,
            "loop": step["loop"],
            "code_lines": sum(code_lines(os.path.join(PACKAGE, name)) for name in files),
            "loaded": step["loaded"], "circles": circles(), "modules": len(modules()),
            "package_code_lines": sum(code_lines(path) for path in modules().values()),
            "readme_bytes": readme}


def main():
    figures = measure()
    if "--json" in sys.argv:
        print(json.dumps(figures, indent=1))
        return
    print("reference step (train fast=False, XOR [2, 4, 1]): %d functions per sample in %d files, "
          "%d code lines" % (figures["functions"], len(figures["files"]), figures["code_lines"]))
    for entry in figures["per_sample"]:
        print("    " + entry)
    print("the epoch loop's own calls per sample, outside the step: %s" % ", ".join(figures["loop"]))
    print("modules loaded by that run: %s" % ", ".join(figures["loaded"]))
    print("import circles: %d" % len(figures["circles"]))
    for group in figures["circles"]:
        print("    " + " <-> ".join(group))
    print("package: %d modules, %d code lines; README.md %d bytes"
          % (figures["modules"], figures["package_code_lines"], figures["readme_bytes"]))


if __name__ == "__main__":
    main()
