"""The minimal board core as one module, tinybackprop.py, for the smallest boards.

    python tools/onefile.py OUT.py

On a board every module costs heap when imported, whatever it holds: the
module, its dict and its entry in sys.modules, about 80 bytes on the emulated
Cortex-M3, and each name one module imports from another takes a slot in the
importer's dict too.  The minimal core is 16 modules (tools/layout.py's
minimal_board_files), so importing it takes 6,352 bytes of heap, most of it for
being 16 modules.  This writes the same code as one module: the modules' text,
one after another in the order they import each other, with each import of one
of them dropped (the name is the one module's global already) and each import
of a module outside the minimal core made absolute, so that it raises
ImportError as it does on a board that did not freeze that module (the library
falls back, or says which file is missing).  Nothing else changes: the math,
the checks and the messages are the package's own lines.

Freeze OUT.py as tinybackprop.py (or mpy-cross it, tools/mpy.py's way) instead
of the package: `import tinybackprop as tb`, `tb.Network`, `net.train` and
`net.predict` work as in the README.  Only the package's submodules
(tinybackprop.core.matrix, ...) are not there to import.

Two names are defined by two modules, on purpose: Network (tinybackprop.Network
subclasses the core's, imported as Math) and load (tinybackprop.load, as the
package's top defines it last).  Any other name defined twice stops the tool:
the one module would silently keep the last.
"""
import ast
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))

from layout import minimal_board_files  # noqa: E402

SHARED = {"Network": "tinybackprop.Network subclasses the core's Network (imported as Math)",
          "load": "tinybackprop.load is the package top's, defined last, as the package has it"}


def module_name(path):
    """tinybackprop/core/matrix.py -> tinybackprop.core.matrix (a package's __init__.py: the package)."""
    parts = path[:-3].split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def absolute(node, name, is_package):
    """The module an ImportFrom node of module name imports from, as an absolute name."""
    if node.level == 0:
        return node.module
    base = name.split(".")
    if not is_package:
        base = base[:-1]  # a module's relative imports start from its package
    base = base[:len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(path, inside):
    """[(node, source module, [(name, asname, whole module?)])] of every relative or
    tinybackprop import in path; "whole module" when `from package import module`."""
    name, is_package = module_name(path), path.endswith("__init__.py")
    tree = ast.parse(open(os.path.join(ROOT, path)).read(), path)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.level > 0 or (node.module or "").startswith("tinybackprop")):
            source = absolute(node, name, is_package)
            names = [(a.name, a.asname, source + "." + a.name in inside) for a in node.names]
            found.append((node, source, names))
    return tree, found


def at_import(tree):
    """The statements a module runs when imported: its top level, and the bodies of its top-level ifs."""
    run = []
    for node in tree.body:
        run.append(node)
        if isinstance(node, ast.If):
            run += node.body + node.orelse
    return run


def order(paths, inside):
    """paths in an order where every module comes after the modules it imports when imported."""
    needs = {}
    for path in paths:
        tree, found = imports_of(path, inside)
        run = set(id(node) for node in at_import(tree))
        needs[module_name(path)] = set()
        for node, source, names in found:
            if id(node) in run:
                needs[module_name(path)] |= set(source + "." + name if whole else source
                                                for name, _, whole in names) & inside
    done, result = [], []
    while len(result) < len(paths):
        ready = [p for p in paths if module_name(p) not in done and needs[module_name(p)] <= set(done)]
        if not ready:
            sys.exit("onefile.py: the modules import each other in a circle: %s"
                     % ", ".join(sorted(set(needs) - set(done))))
        result.append(ready[0])  # among the ready, the first listed
        done.append(module_name(ready[0]))
    return result


def rewritten(path, inside):
    """path's text with its imports of the one module's modules dropped and the rest made absolute."""
    lines = open(os.path.join(ROOT, path)).read().split("\n")
    tree, found = imports_of(path, inside)
    for node, source, names in sorted(found, key=lambda f: f[0].lineno, reverse=True):
        first, last = node.lineno - 1, node.end_lineno - 1
        indent = lines[first][:node.col_offset]
        if indent.strip() or lines[last][node.end_col_offset:].strip()[:1] not in ("", "#"):
            sys.exit("onefile.py: %s:%d: an import that shares its line; write it on lines of its own"
                     % (path, node.lineno))
        if source in inside or all(whole for _, _, whole in names):
            kept = ["%s = %s" % (asname, name) for name, asname, _ in names if asname and asname != name]
            replacement = [indent + line for line in kept] or ([indent + "pass"] if indent else [])
        else:
            if any(whole for _, _, whole in names):
                sys.exit("onefile.py: %s:%d: imports a module of the one file with others" % (path, node.lineno))
            aliases = ", ".join(name + (" as " + asname if asname else "") for name, asname, _ in names)
            replacement = [indent + "from %s import %s" % (source, aliases)]
        lines[first:last + 1] = replacement
    return "\n".join(lines)


def defined(text, path):
    """The names a module's text defines at its top level (def, class, assignment)."""
    names = set()
    for node in ast.parse(text, path).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                for leaf in ast.walk(target):
                    if isinstance(leaf, ast.Name):
                        names.add(leaf.id)
    return names


def one_file(paths=None):
    """The text of the one module made of paths (the minimal board core by default)."""
    paths = list(paths or minimal_board_files())
    inside = set(module_name(p) for p in paths)
    parts = ['"""tinybackprop\'s minimal board core in one module, written by tools/onefile.py from\n'
             'the package\'s own files (each section below names its file).  Read those: this is\n'
             'their text, with the imports between them dropped."""\n']
    owner = {}
    for path in order(paths, inside):
        text = rewritten(path, inside)
        for name in defined(text, path):
            if name in owner and name not in SHARED and not name.startswith("__"):
                sys.exit("onefile.py: %s and %s both define %r: in one module the last would win; "
                         "rename one" % (owner[name], path, name))
            owner[name] = path
        parts.append("\n# ---- %s " % path + "-" * max(3, 70 - len(path)) + "\n" + text.rstrip("\n") + "\n")
    return "".join(parts)


def main():
    if len(sys.argv) != 2 or sys.argv[1].startswith("-"):
        sys.exit(__doc__.split("\n\n")[1])
    folder = os.path.dirname(os.path.abspath(sys.argv[1]))
    if not os.path.isdir(folder):
        sys.exit("onefile.py: %s: no such folder to write into" % folder)
    text = one_file()
    compile(text, sys.argv[1], "exec")  # a syntax error here is the tool's: stop before writing
    tmp = sys.argv[1] + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, sys.argv[1])
    print("%s: %d bytes, %d lines, the minimal core's %d modules"
          % (sys.argv[1], len(text.encode()), text.count("\n"), len(minimal_board_files())))


if __name__ == "__main__":
    main()
