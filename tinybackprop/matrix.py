"""Matrix and vector routines on plain lists.

A vector is a flat list of floats, read as a column vector.  A matrix is a list
of rows: ``M[i][j]`` is row i, column j, and ``W`` of shape (n, m) has n rows of
m numbers.  Every routine returns a new list unless its name ends in
``_inplace``.

Each routine is first written as a plain index loop, exactly as the math reads
(``affine_loop``, ``transpose_times_loop``, ...).  These loops are the reference.
Where the running interpreter has a faster idiom for the same sum, the public
name (``affine``, ``transpose_times``) points at it instead; the choice is made
once, below, and the tests check every fast form against its loop.

Measured on the development machine, ns per multiply-add, (32, 64) matrix:

    idiom                      CPython 3.11  CPython 3.12  PyPy 3.9  MicroPython
    index loop (reference)          33            32          1.1        133
    sum(map(operator.mul, ..))      24            32          5.8          -
    math.sumprod (3.12+)             -            11           -           -

so CPython 3.12+ uses ``math.sumprod``, older CPython ``sum(map(mul, ...))``,
and PyPy and MicroPython (which has no ``operator`` module) the loops.

>>> affine([[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0], [0.5, -0.5])
[3.5, 6.5]
>>> transpose_times([[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0])
[4.0, 6.0]
"""
import sys

try:
    from math import sumprod  # CPython 3.12+: a dot product in C
except ImportError:
    sumprod = None
try:
    from operator import mul  # absent on MicroPython
except ImportError:
    mul = None


# -- The reference loops ---------------------------------------------------

def affine_loop(W, a, b):
    """z = W a + b: z_i = sum_j W_ij a_j + b_i.  W (n, m), a (m), b (n) -> z (n)."""
    z = []
    m = len(a)
    for i in range(len(W)):
        row = W[i]
        s = 0.0
        for j in range(m):
            s += row[j] * a[j]
        z.append(s + b[i])
    return z


def transpose_times_loop(W, d):
    """W^T d: (W^T d)_j = sum_i W_ij d_i.  W (n, m), d (n) -> (m).

    The sums are built row by row (out += d_i W_i), which adds the same terms
    in the same order as a column-by-column loop, but walks each row once.
    """
    m = len(W[0])
    out = [0.0] * m
    for i in range(len(W)):
        row, d_i = W[i], d[i]
        for j in range(m):
            out[j] += row[j] * d_i
    return out


# -- The fast forms, chosen once for the running interpreter -----------------

def _affine_sumprod(W, a, b):
    return [sumprod(row, a) + b_i for row, b_i in zip(W, b)]


def _transpose_times_sumprod(W, d):
    return [sumprod(column, d) for column in zip(*W)]  # zip(*W) yields W's columns


def _affine_map(W, a, b):
    return [sum(map(mul, row, a)) + b_i for row, b_i in zip(W, b)]


def _transpose_times_map(W, d):
    return [sum(map(mul, column, d)) for column in zip(*W)]


if sumprod is not None:
    IDIOM = "math.sumprod"
    SHORTEST, _affine_fast, _transpose_times_fast = 4, _affine_sumprod, _transpose_times_sumprod
elif mul is not None and sys.implementation.name == "cpython":
    IDIOM = "sum(map(operator.mul))"
    SHORTEST, _affine_fast, _transpose_times_fast = 8, _affine_map, _transpose_times_map
else:
    IDIOM = "index loops"  # fastest on PyPy (the JIT) and MicroPython
    SHORTEST, _affine_fast, _transpose_times_fast = 0, affine_loop, transpose_times_loop


# A call of sumprod or sum(map) costs about as much as a few loop turns, so
# sums of fewer than SHORTEST terms (a narrow layer, one output) are faster as
# the loop.  With this and the row-order loop above, XOR [2, 8, 1] went from
# 68.7k to 77.0k samples/s on CPython 3.11 (examples/benchmark.py, one machine).

def affine(W, a, b):
    """z = W a + b by the fastest form for this interpreter and size (see above)."""
    if len(a) < SHORTEST:  # each z_i is a sum of len(a) terms
        return affine_loop(W, a, b)
    return _affine_fast(W, a, b)


def transpose_times(W, d):
    """W^T d by the fastest form for this interpreter and size (see above)."""
    if len(d) < SHORTEST:  # each entry is a sum of len(d) terms
        return transpose_times_loop(W, d)
    return _transpose_times_fast(W, d)


if SHORTEST == 0:  # the loops everywhere: skip the dispatch
    affine, transpose_times = affine_loop, transpose_times_loop


def dot(u, v):
    """u . v = sum_i u_i v_i for two sequences of one length (math.sumprod on 3.12+).

    >>> dot([1.0, 2.0], [3.0, 4.0])
    11.0
    """
    s = 0.0
    for i in range(len(u)):
        s += u[i] * v[i]
    return s


if sumprod is not None:
    dot = sumprod  # noqa: F811  (the same sum in C, its intermediates in extended precision)


# -- Routines that are loops on every interpreter ----------------------------

def outer(u, v):
    """u v^T: M_ij = u_i v_j.  u (n), v (m) -> M (n, m).

    >>> outer([1.0, 2.0], [3.0, 4.0, 5.0])
    [[3.0, 4.0, 5.0], [6.0, 8.0, 10.0]]
    """
    return [[u_i * v_j for v_j in v] for u_i in u]


def hadamard(u, v):
    """The element-wise product u ⊙ v: (u ⊙ v)_i = u_i v_i.

    >>> hadamard([1.0, 2.0], [3.0, 4.0])
    [3.0, 8.0]
    """
    return [u_i * v_i for u_i, v_i in zip(u, v)]


def scale(c, v):
    """c v for a number c and a vector v.

    >>> scale(0.5, [2.0, -4.0])
    [1.0, -2.0]
    """
    return [c * v_i for v_i in v]


def add_scaled_inplace(v, c, u):
    """v <- v + c u, in place, for vectors v and u of one length; returns None."""
    for i in range(len(v)):
        v[i] += c * u[i]


def add_outer_inplace(M, c, u, v):
    """M <- M + c u v^T, in place: M_ij += (c u_i) v_j; returns None.

    With c = -lr, u = delta and v = a this is the SGD step W <- W - lr delta a^T
    without building the gradient matrix.  No idiom beats the index loop here
    on any interpreter measured, so this loop is also the fast form.

    Where v_j = 0 the change (c u_i) v_j is 0, so those columns are skipped:
    the result is the same, and inputs and relu outputs are often half zeros
    (digits pixels are 49% zeros).
    """
    nonzero = [j for j in range(len(v)) if v[j] != 0.0]
    for i in range(len(M)):
        row = M[i]
        c_i = c * u[i]
        for j in nonzero:
            row[j] += c_i * v[j]


def zeros(n, m=None):
    """A vector of n zeros, or with m given an (n, m) matrix of zeros."""
    if m is None:
        return [0.0] * n
    return [[0.0] * m for _ in range(n)]


def copy_matrix(M):
    """A new matrix with the same numbers as M (rows copied, not shared)."""
    return [row[:] for row in M]
