"""Matrix and vector routines on plain lists: the loops, as the math reads.

A vector is a flat list of floats, read as a column vector.  A matrix is a list
of rows: ``M[i][j]`` is row i, column j, and ``W`` of shape (n, m) has n rows of
m numbers.  Every routine returns a new list unless its name ends in
``_inplace``.

These are the reference: plain index loops, the same on every interpreter.
``tinybackprop.fast.kernels`` has faster forms of the sums that training spends its
time in, tested equal to these.

>>> affine([[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0], [0.5, -0.5])
[3.5, 6.5]
>>> transpose_times([[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0])
[4.0, 6.0]
"""


def affine(W, a, b):
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


def transpose_times(W, d):
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


def add_inplace(v, u):
    """v <- v + u, in place, for vectors v and u of one length; returns None."""
    for i in range(len(v)):
        v[i] += u[i]


def zeros(n, m=None):
    """A vector of n zeros, or with m given an (n, m) matrix of zeros."""
    if m is None:
        return [0.0] * n
    return [[0.0] * m for _ in range(n)]


def copy_matrix(M):
    """A new matrix with the same numbers as M (rows copied, not shared)."""
    return [row[:] for row in M]
