"""What the running interpreter has, probed once: the sums and steps of the fast path
choose their form from these (docs/speed.md has the measurements).

    sumprod      math.sumprod (CPython 3.12+: a dot product in C), or None
    mul          operator.mul (absent on MicroPython), or None
    itemgetter, compress   operator.itemgetter and itertools.compress, or None each
    CPYTHON      True on CPython
    MICROPYTHON  True on MicroPython
"""
try:
    from math import sumprod
except ImportError:
    sumprod = None
try:
    from operator import mul
except ImportError:
    mul = None
try:
    from itertools import compress
    from operator import itemgetter
except ImportError:
    compress = itemgetter = None
try:
    from sys import implementation
    CPYTHON = implementation.name == "cpython"
    MICROPYTHON = implementation.name == "micropython"
except ImportError:
    CPYTHON = MICROPYTHON = False
