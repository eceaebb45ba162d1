"""What the running interpreter's floats can hold: measured here, not assumed.

CPython, PyPy and most MicroPython builds have 64-bit floats (IEEE double:
53 significant bits, about 16 digits, up to 1.8e308).  Many boards' MicroPython
has 32-bit floats (single: 24 bits, about 7 digits, up to 3.4e38).  Every
constant that depends on the width (the loss's log clamp, the divergence bound,
the gradient check's step and tolerance, the tests' tolerances) is derived from
the two numbers below, so one source suits both widths.

No module of the package holds a float literal that single precision cannot
represent: a board's firmware stores a frozen module's float constants in 32 bits,
and a literal such as 1e100 stops the build.

>>> EPSILON in (2.0 ** -52, 2.0 ** -23)
True
>>> BITS in (53, 24)
True
"""
import math


def machine_epsilon():
    """(eps, bits): the gap between 1.0 and the next float, 2^-52 (2.2e-16) for doubles and
    2^-23 (1.2e-7) for singles, and the significant bits, 53 or 24."""
    eps, bits = 1.0, 1
    while 1.0 + eps / 2.0 != 1.0:
        eps /= 2.0
        bits += 1
    return eps, bits


def largest_power_of_two():
    """The largest power of two a float holds: 2^1023 (8.99e307) for doubles, 2^127 (1.7e38)
    for singles.  (The largest float is just under twice that.)"""
    x = 1.0
    while math.isfinite(x * 2.0):
        x *= 2.0
    return x


EPSILON, BITS = machine_epsilon()
LARGEST = largest_power_of_two()
DOUBLE_EPSILON = 2.0 ** -52  # EPSILON where floats are 64-bit: the width the tests were written for
