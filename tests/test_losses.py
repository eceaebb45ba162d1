"""Losses: the definitions of docs/math.md on hand values, and their gradients."""
import math

from helpers import close, for_this_width
from tinybackprop.core.losses import CLAMP, LOSSES, loss_gradient, loss_value

H = for_this_width(1e-6, 1.0 / 3.0)  # the finite-difference step: 1e-6, or 8e-4 for 32-bit floats
DIFFERENCE = for_this_width(1e-8, 2.0 / 3.0)  # a central difference with this step is good to about this
LAST_BIT = for_this_width(1e-16)  # two roundings of one number may differ in the last bit


def test_values_by_hand():
    # mse: mean over the 2 outputs: ((0.5 - 0)^2 + (1 - 1)^2) / 2 = 0.125
    assert loss_value("mse", [0.5, 1.0], [0.0, 1.0]) == 0.125
    # binary cross-entropy: (-log 0.5 - log(1 - 0.25)) / 2 = (0.693147 + 0.287682) / 2
    assert close(loss_value("binary_cross_entropy", [0.5, 0.25], [1.0, 0.0]),
                 (math.log(2.0) - math.log(0.75)) / 2, LAST_BIT)
    # cross-entropy: -sum y log a = -log 0.25, not divided by the 3 outputs
    assert close(loss_value("cross_entropy", [0.25, 0.25, 0.5], [1.0, 0.0, 0.0]),
                 math.log(4.0), LAST_BIT)


def test_gradients_by_hand():
    assert loss_gradient("mse", [0.5, 1.0], [0.0, 1.0]) == [0.5, 0.0]  # 2 (a - y) / n
    # (a - y) / (n a (1 - a)) = -0.5 / (1 * 0.25) = -2
    assert loss_gradient("binary_cross_entropy", [0.5], [1.0]) == [-2.0]
    assert loss_gradient("cross_entropy", [0.25, 0.75], [1.0, 0.0]) == [-4.0, -0.0]


def test_gradients_match_finite_differences():
    a, y = [0.3, 0.6, 0.1], [0.2, 0.7, 0.1]
    for name in LOSSES:
        g = loss_gradient(name, a, y)
        for i in range(3):
            up, down = list(a), list(a)
            up[i] += H
            down[i] -= H
            numerical = (loss_value(name, up, y) - loss_value(name, down, y)) / (2 * H)
            assert close(g[i], numerical, DIFFERENCE), (name, i)


def test_log_of_zero_is_guarded():
    # -log CLAMP = 27.0 (12.0 with 32-bit floats): large, finite
    assert close(loss_value("cross_entropy", [0.0, 1.0], [1.0, 0.0]), -math.log(CLAMP), LAST_BIT)
    # Saturated outputs on the wrong side: log(1 - a) at a = 1, and a = 0 in the gradient's
    # denominator a (1 - a), both clamped.
    both = (-math.log(1.0 - (1.0 - CLAMP)) - math.log(CLAMP)) / 2  # 1 - CLAMP is rounded
    assert close(loss_value("binary_cross_entropy", [1.0, 0.0], [0.0, 1.0]), both, LAST_BIT)
    assert all(math.isfinite(g) for g in loss_gradient("binary_cross_entropy", [1.0, 0.0], [0.0, 1.0]))
    assert 1.0 - CLAMP != 1.0  # the clamp exists at this float width
