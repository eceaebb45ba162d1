"""Losses L(a, y) of one sample, and their gradients dL/da.

a = a^L is the network's output, y the target, both of length n = n_L.  A batch's
loss is the mean of its samples' losses (docs/math.md):

    mse                   L = (1/n) sum_i (a_i - y_i)^2
    binary_cross_entropy  L = (1/n) sum_i -[y_i log a_i + (1 - y_i) log(1 - a_i)]
    cross_entropy         L = -sum_i y_i log a_i        (with a softmax output)

These match PyTorch's MSELoss, BCELoss and CrossEntropyLoss (on the logits z^L
with probability targets) for one sample in float64.

>>> mse([0.5, 1.0], [0.0, 1.0])
0.125
>>> mse_gradient([0.5, 1.0], [0.0, 1.0])
[0.5, 0.0]
"""
import math

from .floats import EPSILON

# log(0) is -inf: the cross-entropies clamp a to [CLAMP, 1 - CLAMP] first, so a
# saturated output gives a large but finite loss.  CLAMP = eps^(3/4) is far
# enough from 0 and 1 that 1 - CLAMP is a float of its own, and 1 - a near it
# keeps eps / CLAMP = eps^(1/4) of relative accuracy: 1.8e-12 with 64-bit floats
# (-log CLAMP = 27.0), 6.4e-6 with 32-bit ones (12.0), where 1e-12 would round
# 1 - 1e-12 to 1 and log(1 - a) to log(0).
CLAMP = EPSILON ** 0.75


def _clamp(a_i):
    if a_i < CLAMP:
        return CLAMP
    if a_i > 1.0 - CLAMP:
        return 1.0 - CLAMP
    return a_i


def mse(a, y):
    """L = (1/n) sum_i (a_i - y_i)^2."""
    total = 0.0
    for a_i, y_i in zip(a, y):
        total += (a_i - y_i) * (a_i - y_i)
    return total / len(a)


def mse_gradient(a, y):
    """dL/da_i = (2/n) (a_i - y_i)."""
    c = 2.0 / len(a)
    return [c * (a_i - y_i) for a_i, y_i in zip(a, y)]


def binary_cross_entropy(a, y):
    """L = (1/n) sum_i -[y_i log a_i + (1 - y_i) log(1 - a_i)], a clamped by CLAMP."""
    total = 0.0
    for a_i, y_i in zip(a, y):
        a_i = _clamp(a_i)
        total -= y_i * math.log(a_i) + (1.0 - y_i) * math.log(1.0 - a_i)
    return total / len(a)


def binary_cross_entropy_gradient(a, y):
    """dL/da_i = (1/n) (a_i - y_i) / (a_i (1 - a_i)), a clamped by CLAMP."""
    n = len(a)
    g = []
    for a_i, y_i in zip(a, y):
        a_i = _clamp(a_i)
        g.append((a_i - y_i) / (a_i * (1.0 - a_i) * n))
    return g


def cross_entropy(a, y):
    """L = -sum_i y_i log a_i, a clamped below by CLAMP."""
    total = 0.0
    for a_i, y_i in zip(a, y):
        if y_i != 0.0:  # 0 log a is 0, even where a is 0
            total -= y_i * math.log(_clamp(a_i))
    return total


def cross_entropy_gradient(a, y):
    """dL/da_i = -y_i / a_i, a clamped below by CLAMP."""
    return [-y_i / _clamp(a_i) for a_i, y_i in zip(a, y)]


# The registry: for each name, L and dL/da as functions of (a, y), and the output
# activations it takes (None: any; the cross-entropies take log a, so they need
# outputs in (0, 1), and cross_entropy also needs them to sum to 1).  L written out
# for explain is in written.py.
LOSSES = {
    "mse": {"loss": mse, "gradient": mse_gradient, "outputs": None},
    "binary_cross_entropy": {"loss": binary_cross_entropy, "gradient": binary_cross_entropy_gradient,
                             "outputs": ("sigmoid", "softmax")},
    "cross_entropy": {"loss": cross_entropy, "gradient": cross_entropy_gradient, "outputs": ("softmax",)},
}


def loss_value(name, a, y):
    """L(a, y) for the loss called name."""
    return LOSSES[name]["loss"](a, y)


def loss_gradient(name, a, y):
    """dL/da for the loss called name."""
    return LOSSES[name]["gradient"](a, y)
