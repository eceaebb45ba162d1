"""The seeded generator: published SplitMix64 and xoshiro128** values, ranges, permutations."""
from tinybackprop.core.floats import BITS
from tinybackprop.core.rng import Random, splitmix64


def test_splitmix64_reference_values():
    # The first outputs of SplitMix64 for seed 0, as published with the
    # reference C code (0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f).
    state, outputs = 0, []
    for _ in range(3):
        state, z = splitmix64(state)
        outputs.append(z)
    assert outputs == [0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F]


def test_xoshiro128starstar_reference_values():
    # From the state s0..s3 = 964d4a0c d40ab895 ad7fdecb 3006f0f0, the public-domain
    # reference C code gives f1391922 6fe53806 a5be2840 f510ee70 and then the state
    # fc65379c 52006d70 87487639 f1908343 (test data published with a 6502 port,
    # github.com/edorfaus/xoshiro-6502).  First: rotl(s1 * 5, 7) * 9 with
    # s1 * 5 = 0x4236b9ae9 -> 0x236b9ae9, rotl 7 -> 0xb5cd7491, * 9 -> 0xf1391922 (mod 2^32).
    r = Random(0)
    words = [0x964D4A0C, 0xD40AB895, 0xAD7FDECB, 0x3006F0F0]
    r.s = [half for w in words for half in (w >> 16, w & 0xFFFF)]
    outputs = [r.next32() for _ in range(4)]
    assert outputs == [(0xF139, 0x1922), (0x6FE5, 0x3806), (0xA5BE, 0x2840), (0xF510, 0xEE70)]
    assert r.s == [0xFC65, 0x379C, 0x5200, 0x6D70, 0x8748, 0x7639, 0xF190, 0x8343]


def test_every_int_of_a_draw_is_small():
    # On a 32-bit board an int above 2^30 is a heap object: none may appear, in the
    # state or in what a draw returns.
    r = Random(2 ** 40 + 7)
    for _ in range(500):
        r.next32()
        assert all(0 <= v < 65536 for v in r.s)
    assert all(0 <= v < 65536 for v in r.next32())


def test_random_stays_below_1_for_the_largest_draws():
    # Two draws of all ones: the top 53 bits over 2^53 (or BITS over 2^BITS) is 1 - 2^-BITS.
    r = Random(0)
    r.next32 = lambda: (0xFFFF, 0xFFFF)
    assert r.random() == 1.0 - 2.0 ** -min(BITS, 53)
    r.next32 = lambda: (0, 0)
    assert r.random() == 0.0


def test_below_covers_its_range_evenly():
    r = Random(9)
    counts = [0] * 5
    for _ in range(5000):
        counts[r.below(5)] += 1
    assert all(900 < c < 1100 for c in counts)  # expected 1000 each, sd 28
    assert r.below(1) == 0
    big = 3 * 10 ** 9  # above 2^30: computed exactly all the same
    assert all(0 <= r.below(big) < big for _ in range(100))
    for bad in (0, 65536 * 65536 + 1):
        try:
            r.below(bad)
        except ValueError:
            continue
        raise AssertionError("below(%d) accepted" % bad)


def test_random_is_in_unit_interval_and_uniform_in_range():
    r = Random(5)
    values = [r.random() for _ in range(2000)]
    assert min(values) >= 0.0 and max(values) < 1.0
    assert 0.45 < sum(values) / len(values) < 0.55  # mean of 2000 uniforms: sd 0.0065
    assert all(-2.0 <= r.uniform(-2.0, 3.0) < 3.0 for _ in range(100))


def test_normal_has_mean_0_and_std_1():
    r = Random(11)
    n, total, squares = 4000, 0.0, 0.0  # running sums: small heaps hold no 4000-list
    for _ in range(n):
        v = r.normal()
        total += v
        squares += v * v
    mean = total / n
    var = squares / n - mean * mean
    assert abs(mean) < 0.06 and 0.9 < var < 1.1  # sd of the mean 0.016


def test_permutation_is_a_permutation_and_repeats_by_seed():
    p = Random(3).permutation(50)
    assert sorted(p) == list(range(50)) and p != list(range(50))
    assert Random(3).permutation(50) == p
    assert Random(4).permutation(50) != p


def test_seed_must_be_a_non_negative_int():
    for bad in (-1, 1.5, "1", None, True):
        try:
            Random(bad)
        except TypeError:
            continue
        raise AssertionError("seed %r accepted" % (bad,))
