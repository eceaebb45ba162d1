"""A small seeded random number generator, the same on every interpreter.

MicroPython's ``random`` has no ``Random``, ``gauss`` or ``shuffle``, and
CPython's Mersenne Twister is not what other interpreters use; so the library
carries its own: xoshiro128** (Blackman and Vigna, 2018), whose state is four
32-bit words, seeded from the seed by SplitMix64 (Steele, Lea and Flood, 2014)
as its authors advise.  Integer arithmetic only, so the same seed gives
bit-for-bit the same draws on CPython, PyPy and MicroPython.

On a 32-bit board an int of more than 30 bits is an object on the heap, and a
generator that makes one at every draw fills a small heap with garbage around
the weights it draws, until no large block is left.  So each 32-bit word is
kept as two 16-bit halves (hi, lo), and a draw uses no int above 2^27.

>>> r = Random(0)
>>> 0.0 <= r.random() < 1.0
True
>>> Random(0).permutation(5) == Random(0).permutation(5)
True
"""
import math

from .floats import BITS

MASK16 = 0xFFFF
MASK64 = (1 << 64) - 1  # used only by splitmix64, once per seed
TWO_53 = 9007199254740992.0  # 2^53: a double holds every integer below it exactly
TWO_32 = 65536 * 65536  # below(n) draws from 2^32 numbers


def splitmix64(state):
    """(next state, output): one step of SplitMix64 on a 64-bit int (for seeding only).

    >>> hex(splitmix64(0)[1])
    '0xe220a8397b1dcdaf'
    """
    state = (state + 0x9E3779B97F4A7C15) & MASK64
    z = ((state ^ (state >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return state, z ^ (z >> 31)


class Random:
    """A xoshiro128** stream of numbers for one seed (a non-negative int)."""

    def __init__(self, seed=0):
        if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
            raise TypeError("seed must be a non-negative int, got %r" % (seed,))
        state, first = splitmix64(seed & MASK64)
        state, second = splitmix64(state)
        # s = [s0 hi, s0 lo, s1 hi, s1 lo, s2 hi, s2 lo, s3 hi, s3 lo]: 128 bits, never all 0
        # (SplitMix64's output is a bijection of its state, so at most one output is 0).
        self.s = [(first >> 48) & MASK16, (first >> 32) & MASK16, (first >> 16) & MASK16,
                  first & MASK16, (second >> 48) & MASK16, (second >> 32) & MASK16,
                  (second >> 16) & MASK16, second & MASK16]

    def next32(self):
        """The next 32-bit output, as (high 16 bits, low 16 bits).

        One step of xoshiro128**; each block is the 32-bit statement in its
        comment, done on 16-bit halves (mod 2^32).
        """
        s = self.s
        # result = rotl(s1 * 5, 7) * 9
        lo = s[3] * 5
        hi = (s[2] * 5 + (lo >> 16)) & MASK16
        lo &= MASK16
        hi, lo = ((hi << 7) | (lo >> 9)) & MASK16, ((lo << 7) | (hi >> 9)) & MASK16
        lo *= 9
        result = ((hi * 9 + (lo >> 16)) & MASK16, lo & MASK16)
        # t = s1 << 9
        t_hi, t_lo = ((s[2] << 9) | (s[3] >> 7)) & MASK16, (s[3] << 9) & MASK16
        # s2 ^= s0;  s3 ^= s1;  s1 ^= s2;  s0 ^= s3;  s2 ^= t
        s[4] ^= s[0]
        s[5] ^= s[1]
        s[6] ^= s[2]
        s[7] ^= s[3]
        s[2] ^= s[4]
        s[3] ^= s[5]
        s[0] ^= s[6]
        s[1] ^= s[7]
        s[4] ^= t_hi
        s[5] ^= t_lo
        # s3 = rotl(s3, 11)
        hi, lo = s[6], s[7]
        s[6], s[7] = ((hi << 11) | (lo >> 5)) & MASK16, ((lo << 11) | (hi >> 5)) & MASK16
        return result

    def random(self):
        """A float in [0, 1) from two draws: their top 53 bits over 2^53, exact.

        Where floats are narrower (24 significant bits for 32-bit floats) it is
        the top BITS bits over 2^BITS instead, so it stays exact and below 1,
        and still uses two draws: the streams stay in step across interpreters.
        """
        a_hi, a_lo = self.next32()
        b_hi, b_lo = self.next32()
        a = (a_hi << 5) | (a_lo >> 11)  # the top 21 bits of the first draw
        if BITS >= 53:
            return ((a * 65536.0 + b_hi) * 65536.0 + b_lo) / TWO_53  # (a 2^32 + b) / 2^53
        k = BITS - 21  # 3 for 32-bit floats: bits taken from the second draw's top
        return ((a << k) | (b_hi >> (16 - k))) / (1 << BITS)

    def uniform(self, low, high):
        """A float in [low, high)."""
        return low + (high - low) * self.random()

    def normal(self, mean=0.0, std=1.0):
        """A float from N(mean, std^2), by the Box-Muller transform."""
        u1 = 1.0 - self.random()  # in (0, 1]: log(u1) is finite
        u2 = self.random()
        return mean + std * math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)

    def below(self, n):
        """An int in [0, n), for 1 <= n <= 2^32, from one draw r: r mod n.

        Computed as ((hi mod n) 2^16 + lo) mod n, which keeps every int below
        n 2^16.  The modulo's bias, below n / 2^32, is nil here.
        """
        if not 1 <= n <= TWO_32:
            raise ValueError("below(n) needs 1 <= n <= 2^32, got %r" % (n,))
        hi, lo = self.next32()
        return ((hi % n) * 65536 + lo) % n

    def shuffle_inplace(self, items):
        """Put the list items in random order, in place (Fisher-Yates shuffle); returns None."""
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]

    def permutation(self, n):
        """A new list of 0..n-1 in random order."""
        order = list(range(n))
        self.shuffle_inplace(order)
        return order
