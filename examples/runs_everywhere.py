"""The README's "Runs everywhere" table, from a real run: python examples/runs_everywhere.py [--quick]

For every interpreter found (pyenv's CPython 3.6+, pypy3, micropython; see
tests/interpreters.py) runs the portable core tests (tests/portable.py) and the
benchmark (examples/benchmark.py), and prints one Markdown row each: version,
tests passed, and the median training samples/s of XOR [2, 8, 1] and digits
[64, 32, 10].  Takes a few minutes an interpreter; --quick runs the benchmark with
--quick (3 repeats, fewer samples).
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))

from interpreters import interpreters  # noqa: E402


def run(python, script, *args):
    command = [python] + (["-X", "heapsize=8M"] if "micropython" in os.path.basename(python) else [])
    out = subprocess.run(command + [os.path.join(ROOT, script)] + list(args),
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         universal_newlines=True, timeout=1800)
    return out.stdout


def main():
    print("| interpreter | core tests (tests/portable.py) | XOR [2, 8, 1] samples/s "
          "| digits [64, 32, 10] samples/s | idiom |")
    print("|---|---|---|---|---|")
    for python in interpreters()[1:]:  # the first is this one, found again by pyenv
        tests = run(python, "tests/portable.py")
        bench = run(python, "examples/benchmark.py", *[a for a in sys.argv[1:] if a == "--quick"])
        name = re.search(r"interpreter: (.*)", tests)
        counts = re.search(r"(\d+) passed, (\d+) failed", tests)
        idiom = re.search(r"idiom: (.*)", bench)
        rates = {}
        for title in ("XOR", "digits"):
            found = re.search(r"^%s \[[0-9, ]+\]  tinybackprop .*\s(\d+)  \(\d+\.\.\d+\)" % title,
                              bench, re.M)
            rates[title] = found.group(1) if found else "failed"
        print("| %s | %s | %s | %s | %s |" % (
            name.group(1) if name else python,
            "%s passed, %s failed" % counts.groups() if counts else "did not run",
            rates["XOR"], rates["digits"], idiom.group(1) if idiom else "?"))
        sys.stdout.flush()


main()
