"""Activations: values, derivatives against finite differences, no overflow."""
import math

from helpers import close, for_this_width
from tinybackprop.core import activations
from tinybackprop.core.activations import ACTIVATIONS, delta_from
from tinybackprop.core.floats import LARGEST

H = for_this_width(1e-6, 1.0 / 3.0)  # the finite-difference step: 1e-6, or 8e-4 for 32-bit floats
DIFFERENCE = for_this_width(1e-8, 2.0 / 3.0)  # a central difference with this step is good to about this
LAST_BIT = for_this_width(1e-16)  # two roundings of one number may differ in the last bit
FEW_BITS = for_this_width(1e-15)
POINTS = [-3.0, -0.7, -0.01, 0.02, 0.5, 2.5]


def test_values_by_hand():
    assert activations.sigmoid([0.0]) == [0.5]
    assert close(activations.sigmoid([2.0]), [1.0 / (1.0 + math.exp(-2.0))], LAST_BIT)
    assert activations.relu([-1.0, 0.0, 2.0]) == [0.0, 0.0, 2.0]
    assert activations.leaky_relu([-2.0, 3.0]) == [-0.02, 3.0]
    assert activations.identity([1.5]) == [1.5]
    assert close(activations.tanh([0.5]), [0.46211715726000974], LAST_BIT)
    # softmax([0, log 3]) = [1/4, 3/4]
    assert close(activations.softmax([0.0, math.log(3.0)]), [0.25, 0.75], FEW_BITS)


def test_derivatives_at_zero_as_documented():
    assert activations.relu_prime([0.0], [0.0]) == [0.0]
    assert activations.leaky_relu_prime([0.0], [0.0]) == [0.01]
    assert activations.sigmoid_prime([0.0], [0.5]) == [0.25]


def test_element_wise_derivatives_match_finite_differences():
    for name in ACTIVATIONS:
        if name == "softmax":
            continue
        for z in POINTS:
            numerical = (ACTIVATIONS[name]["sigma"]([z + H])[0] - ACTIVATIONS[name]["sigma"]([z - H])[0]) / (2 * H)
            a = ACTIVATIONS[name]["sigma"]([z])
            assert close(delta_from(name, [z], a, [1.0])[0], numerical, DIFFERENCE), (name, z)


def test_softmax_jacobian_matches_finite_differences():
    # J^T g, column by column of J: dL/dz_j for L = g . softmax(z)
    z, g = [0.3, -1.2, 2.0], [0.5, -1.0, 2.0]
    a = activations.softmax(z)
    analytic = delta_from("softmax", z, a, g)
    for j in range(3):
        up, down = list(z), list(z)
        up[j] += H
        down[j] -= H
        L_up = sum(g_i * a_i for g_i, a_i in zip(g, activations.softmax(up)))
        L_down = sum(g_i * a_i for g_i, a_i in zip(g, activations.softmax(down)))
        assert close(analytic[j], (L_up - L_down) / (2 * H), DIFFERENCE)


def test_no_overflow_for_any_finite_input():
    big = LARGEST  # 9e307, or 1.7e38 with 32-bit floats
    assert activations.sigmoid([-big, -1000.0, 1000.0, big]) == [0.0, 0.0, 1.0, 1.0]
    a = activations.softmax([1000.0, 1000.0, -big])
    assert a == [0.5, 0.5, 0.0]
    assert close(sum(activations.softmax([710.0, 0.0, -5.0])), 1.0, FEW_BITS)
