"""MicroPython: the fast path's loops compiled to machine code by @micropython.native.

The loops are kernels.py's and core/matrix.py's own: ``compiled()`` reads their
text from those files (MicroPython keeps no source of a compiled function) and
compiles it again with the decorator, so there is one text of each loop.  It is
done at run time, not in a module of native code: a .mpy with native code needs
mpy-cross --march for the board's processor, and a port without the native
emitter would refuse the whole module.  kernels.py calls it only where the heap
has room to compile (kernels.NATIVE_HEAP); on a board, whose modules are frozen
(no file to read), or without the emitter, the loops stay bytecode.
tests/test_fast.py checks the machine code's numbers against the bytecode's and
matrix.py's, to the bit.

On the unix port, per-sample SGD on digits [64, 32, 10] whose pixels are all
non-zero, by valgrind's count (docs/speed.md): 8.8 million instructions a
sample as bytecode, 7.9 as machine code, against 7.0 for the benchmark's
hand-tuned loop compiled natively.
"""
import sys

# (file of the package, the functions of it that are compiled), in the order they are read
LOOPS = (("core/matrix.py", ("affine", "transpose_times")),
         ("fast/kernels.py", ("nonzero_indices", "affine_skipping_zeros", "add_outer_inplace",
                              "add_scaled_inplace", "usual_samples")))


def function_source(path, name):
    """The text of the top-level function name in the file path: from its def line to the
    next line that is neither indented nor blank."""
    lines, found = [], False
    with open(path) as f:
        for line in f:
            if line.startswith("def %s(" % name):
                found = True
            elif found and line.strip() and not line.startswith(" "):
                break
            if found:
                lines.append(line)
    if not found:
        raise ValueError("%s has no function %s" % (path, name))
    return "".join(lines)


def compiled(decorator="@micropython.native"):
    """{name: function} of the LOOPS compiled with decorator, or None where the port has no
    such emitter (SyntaxError), the files cannot be read (frozen modules), the heap runs
    out, or the interpreter is not MicroPython (elsewhere the decorator means nothing)."""
    if sys.implementation.name != "micropython":
        return None
    package = __file__.rsplit("/", 2)[0]  # .../tinybackprop
    namespace = {}
    try:
        for path, names in LOOPS:
            for name in names:
                exec(decorator + "\n" + function_source(package + "/" + path, name), namespace)
    except (OSError, SyntaxError, MemoryError):
        return None
    return dict((name, namespace[name]) for path, names in LOOPS for name in names)
