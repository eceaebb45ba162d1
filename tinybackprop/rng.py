"""A small seeded random number generator, the same on every interpreter.

MicroPython's ``random`` has no ``Random``, ``gauss`` or ``shuffle``, and
CPython's Mersenne Twister is not what other interpreters use; so the library
carries its own: SplitMix64 (Steele, Lea and Flood, 2014), a 64-bit counter
passed through a mixing function.  Integer arithmetic only, so the same seed
gives bit-for-bit the same numbers on CPython, PyPy and MicroPython (whose
integers grow past 64 bits like CPython's; the mask keeps them at 64).

>>> r = Random(0)
>>> r.next64()
16294208416658607535
>>> Random(0).permutation(5) == Random(0).permutation(5)
True
"""
import math

MASK64 = (1 << 64) - 1
TWO_53 = 9007199254740992.0  # 2^53: a double holds every integer below it exactly


class Random:
    """A SplitMix64 stream of numbers for one seed (a non-negative int)."""

    def __init__(self, seed=0):
        if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
            raise TypeError("seed must be a non-negative int, got %r" % (seed,))
        self.state = seed & MASK64

    def next64(self):
        """The next integer in [0, 2^64)."""
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def random(self):
        """A float in [0, 1): the top 53 bits over 2^53, exact on every interpreter."""
        return (self.next64() >> 11) / TWO_53

    def uniform(self, low, high):
        """A float in [low, high)."""
        return low + (high - low) * self.random()

    def normal(self, mean=0.0, std=1.0):
        """A float from N(mean, std^2), by the Box-Muller transform."""
        u1 = 1.0 - self.random()  # in (0, 1]: log(u1) is finite
        u2 = self.random()
        return mean + std * math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)

    def below(self, n):
        """An int in [0, n).  The modulo's bias is below n / 2^64: nil here."""
        return self.next64() % n

    def permutation(self, n):
        """A new list of 0..n-1 in random order (Fisher-Yates shuffle)."""
        order = list(range(n))
        for i in range(n - 1, 0, -1):
            j = self.below(i + 1)
            order[i], order[j] = order[j], order[i]
        return order
