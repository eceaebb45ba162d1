"""The package's layout in one place: which folders are which layer, and what a board freezes.

    python tools/layout.py                  # each layer, its folder and modules
    python tools/layout.py --package-json   # write package.json (mip's list) from BOARD

BOARD is the one list of what runs on a board: the core and the layers a board
trains with (training, the fast path, model files), whole folders, plus the
package's own top-level modules.  tools/board.py freezes it, package.json (written
from it here) gives it to mip, and tests/test_layout.py checks that package.json,
the folders and this list agree.
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = os.path.join(ROOT, "tinybackprop")

# folder: its role (README.md's Layout section says the same, one line each)
LAYERS = (
    ("core", "the minimal library: matrix, activations, losses, backprop, the Network's math, rng, floats, errors, checks; the notation they are written out in"),
    ("training", "the epoch loop, update rules and schedules, early stopping, the gradient check"),
    ("fast", "the fast path: interpreter probes, kernels, the generated step"),
    ("files", "model files, and writing a file whole or not at all"),
    ("data", "CSV rows, tables, columns and preprocessing, the bundled data sets"),
    ("seeing", "a step's numbers (trace), pictures and the HTML page, plots"),
    ("export", "a model as a standalone Python module, int8 or a C header"),
    ("front", "the estimators and the command line"),
)
TOP = ("__init__.py", "__main__.py", "network.py", "version.py")  # the package's own modules

BOARD_FOLDERS = ("core", "training", "fast", "files")
BOARD_TOP = ("__init__.py", "network.py", "version.py")
# The least a board that trains by plain SGD and predicts needs: the core, the package's
# top modules and the plain epoch loop.  Without the rest, fast=True takes the core's step,
# and the update rules, schedules, save, the gradient check and history="all" are what it
# cannot do.
MINIMAL_TRAINING = ("__init__.py", "epochs.py", "settings.py")  # no history.py: a board keeps the last record
MINIMAL_CORE_OMITS = ("written.py",)  # the notation: for explain, the exports and the generated step


def minimal_board_files():
    """The minimal board core, as paths from the repository's root (a subset of board_files)."""
    core = [path for path in modules_of("core") if os.path.basename(path) not in MINIMAL_CORE_OMITS]
    return (["tinybackprop/" + name for name in BOARD_TOP] + core +
            ["tinybackprop/training/" + name for name in MINIMAL_TRAINING])


def modules_of(folder):
    """The .py files of one folder of the package, as paths from the repository's root."""
    path = os.path.join(PACKAGE, folder)
    return ["tinybackprop/%s/%s" % (folder, name) for name in sorted(os.listdir(path)) if name.endswith(".py")]


def board_files():
    """What a board freezes (and mip installs), as paths from the repository's root."""
    files = ["tinybackprop/" + name for name in BOARD_TOP]
    for folder in BOARD_FOLDERS:
        files += modules_of(folder)
    return files


def package_json():
    """package.json's text: mip's list of the board's files, each at the same path on the board."""
    with open(os.path.join(PACKAGE, "version.py")) as f:
        version = [line.split('"')[1] for line in f if line.startswith("__version__")][0]
    data = {"urls": [[path, path] for path in board_files()], "version": version}
    return json.dumps(data, indent=2) + "\n"


def main():
    if "--package-json" in sys.argv:
        with open(os.path.join(ROOT, "package.json"), "w") as f:
            f.write(package_json())
        print("package.json: %d files" % len(board_files()))
        return
    for folder, role in LAYERS:
        print("tinybackprop/%s/  %s%s" % (folder, role, "  [board]" if folder in BOARD_FOLDERS else ""))
        for path in modules_of(folder):
            print("    " + path)


if __name__ == "__main__":
    main()
