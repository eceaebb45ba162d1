"""Small helpers shared by the tests; no pytest, so the core tests run anywhere."""
import os

from tinybackprop.core.floats import DOUBLE_EPSILON, EPSILON
from tinybackprop.core.rng import Random


def for_this_width(tolerance, power=1.0):
    """A tolerance written for 64-bit floats, for this interpreter's floats.

    Unchanged where floats are 64-bit; where they are 32-bit, times
    (eps / 2^-52)^power = 2^(29 power): rounding errors grow as eps (power 1),
    a central difference's error as eps^(2/3), its best step as eps^(1/3).
    """
    return tolerance * (EPSILON / DOUBLE_EPSILON) ** power


def raises(kind, function, *args, **kwargs):
    """Call function(*args, **kwargs), which must raise kind; return the message."""
    try:
        function(*args, **kwargs)
    except kind as e:
        return str(e)
    raise AssertionError("expected %s from %r" % (kind.__name__, function))


def close(u, v, tolerance):
    """|u - v| <= tolerance * max(1, |u|, |v|) for numbers, or every entry of
    (nested) lists of them."""
    if isinstance(u, (list, tuple)):
        return len(u) == len(v) and all(close(u_i, v_i, tolerance) for u_i, v_i in zip(u, v))
    return abs(u - v) <= tolerance * max(1.0, abs(u), abs(v))


def temp_path(name):
    """A path for a scratch file of this test run."""
    folder = os.getenv("TMPDIR") or "/tmp"
    return folder + "/tinybackprop-test-" + name


def remove(path):
    try:
        os.remove(path)
    except OSError:
        pass


def random_matrix(rng, n, m):
    return [[rng.uniform(-1.0, 1.0) for _ in range(m)] for _ in range(n)]


def random_vector(rng, n):
    return [rng.uniform(-1.0, 1.0) for _ in range(n)]


XOR = [([0.0, 0.0], [0.0]), ([0.0, 1.0], [1.0]), ([1.0, 0.0], [1.0]), ([1.0, 1.0], [0.0])]


def seeded(seed):
    return Random(seed)
