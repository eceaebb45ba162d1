"""The seeded generator: the published SplitMix64 values, ranges, permutations."""
from tinybackprop.rng import Random


def test_splitmix64_reference_values():
    # The first outputs of SplitMix64 for seed 0, as published with the
    # reference C code (0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f).
    r = Random(0)
    assert [r.next64() for _ in range(3)] == [0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4,
                                              0x06C45D188009454F]


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
