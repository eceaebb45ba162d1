"""MicroPython: the fast path's loops compiled to machine code by @micropython.native.

The loops below are kernels.py's and core/matrix.py's, the same statements in
the same order (the same numbers to the bit: tests/test_fast.py checks each
against its original).  They are kept here as text because MicroPython keeps no
source of a compiled function, and compiled at run time, not in a module: a
.mpy with native code needs mpy-cross --march for the board's processor, and a
port without the native emitter would refuse the whole module.  ``compiled()``
compiles them where the port has the emitter and the heap has NATIVE_HEAP bytes
free (compiling costs heap a board has not); elsewhere the loops stay bytecode.

On the unix port, per-sample SGD on digits [64, 32, 10] whose pixels are all
non-zero, by valgrind's count (docs/speed.md): 8.8 million instructions a
sample as bytecode, against 7.0 for the benchmark's hand-tuned loop compiled
natively.
"""
NATIVE_HEAP = 96 * 1024  # bytes free to compile (the source, its parse, its code)

SOURCE = '''
def nonzero_indices(v):
    return [j for j in range(len(v)) if v[j] != 0.0]

def affine(W, a, b):
    z = []
    m = len(a)
    for i in range(len(W)):
        row = W[i]
        s = 0.0
        for j in range(m):
            s += row[j] * a[j]
        z.append(s + b[i])
    return z

def affine_skipping_zeros(W, a, b, nonzero):
    z = []
    for i in range(len(W)):
        row = W[i]
        s = 0.0
        for j in nonzero:
            s += row[j] * a[j]
        z.append(s + b[i])
    return z

def transpose_times(W, d):
    m = len(W[0])
    out = [0.0] * m
    for i in range(len(W)):
        row, d_i = W[i], d[i]
        for j in range(m):
            out[j] += row[j] * d_i
    return out

def add_outer_inplace(M, c, u, v, nonzero=None):
    if nonzero is None:
        nonzero = nonzero_indices(v)
    for i in range(len(M)):
        row = M[i]
        c_i = c * u[i]
        for j in nonzero:
            row[j] += c_i * v[j]

def add_scaled_inplace(v, c, u):
    for i in range(len(v)):
        v[i] += c * u[i]
'''
NAMES = ("nonzero_indices", "affine", "affine_skipping_zeros", "transpose_times", "add_outer_inplace",
         "add_scaled_inplace")


def compiled(decorator="@micropython.native"):
    """{name: function} of SOURCE's loops compiled with decorator, or None where the port
    has no such emitter (SyntaxError), the heap has not NATIVE_HEAP free, or the
    interpreter is not MicroPython (elsewhere the decorator means nothing)."""
    import gc
    import sys
    if sys.implementation.name != "micropython":
        return None
    gc.collect()
    if gc.mem_free() < NATIVE_HEAP:
        return None
    namespace = {}
    try:
        exec(SOURCE.replace("\ndef ", "\n" + decorator + "\ndef "), namespace)
    except (SyntaxError, MemoryError):
        return None
    return dict((name, namespace[name]) for name in NAMES)
