"""Activation functions sigma and their derivatives.

Each activation maps the vector z^l to a^l = sigma(z^l).  For the backward pass
each element-wise activation also has ``<name>_prime(z, a)``, the vector of
sigma'(z_i); it is given a = sigma(z) too, since sigmoid and tanh have cheap
derivatives in terms of a.  Softmax is not element-wise (every a_i depends on
every z_j), so the backward pass goes through its Jacobian instead:
``delta_from`` is the one place that tells the two apart.

>>> sigmoid([0.0])
[0.5]
>>> softmax([1.0, 1.0])
[0.5, 0.5]
"""
import math

from .matrix import hadamard


def _sigmoid(t):
    # Two forms of 1/(1+e^-t) so that exp only ever sees t <= 0: no overflow
    # for any finite t (on MicroPython a large exp raises ValueError).
    if t >= 0.0:
        return 1.0 / (1.0 + math.exp(-t))
    e = math.exp(t)
    return e / (1.0 + e)


def sigmoid(z):
    """sigma(z)_i = 1 / (1 + e^(-z_i)), in (0, 1)."""
    return [_sigmoid(z_i) for z_i in z]


def sigmoid_prime(z, a):
    """sigma'(z) = sigma(z) (1 - sigma(z)) = a (1 - a)."""
    return [a_i * (1.0 - a_i) for a_i in a]


def tanh(z):
    """tanh(z)_i, in (-1, 1)."""
    return [math.tanh(z_i) for z_i in z]


def tanh_prime(z, a):
    """tanh'(z) = 1 - tanh(z)^2 = 1 - a^2."""
    return [1.0 - a_i * a_i for a_i in a]


def relu(z):
    """relu(z)_i = max(0, z_i)."""
    return [z_i if z_i > 0.0 else 0.0 for z_i in z]


def relu_prime(z, a):
    """relu'(z) = 1 for z > 0, else 0 (taken as 0 at exactly z = 0)."""
    return [1.0 if z_i > 0.0 else 0.0 for z_i in z]


LEAKY_SLOPE = 0.01  # the slope of leaky_relu for z <= 0


def leaky_relu(z):
    """leaky_relu(z)_i = z_i for z_i > 0, else 0.01 z_i."""
    return [z_i if z_i > 0.0 else LEAKY_SLOPE * z_i for z_i in z]


def leaky_relu_prime(z, a):
    """leaky_relu'(z) = 1 for z > 0, else 0.01 (taken as 0.01 at exactly z = 0)."""
    return [1.0 if z_i > 0.0 else LEAKY_SLOPE for z_i in z]


def identity(z):
    """identity(z) = z (a new list)."""
    return list(z)


def identity_prime(z, a):
    """identity'(z) = 1."""
    return [1.0] * len(z)


def softmax(z):
    """softmax(z)_i = e^(z_i) / sum_j e^(z_j): positive, summing to 1.

    Shifted by max z first: the result is the same, and exp never sees a
    positive number, so it cannot overflow.
    """
    z_max = max(z)
    e = [math.exp(z_i - z_max) for z_i in z]
    total = sum(e)
    return [e_i / total for e_i in e]


def softmax_jacobian_times(a, g):
    """J^T g for the softmax Jacobian J_ij = da_i/dz_j = a_i (1[i=j] - a_j).

    J is symmetric, and (J g)_i = a_i (g_i - sum_j a_j g_j): O(n), not O(n^2).
    """
    a_dot_g = 0.0
    for j in range(len(a)):
        a_dot_g += a[j] * g[j]
    return [a_i * (g_i - a_dot_g) for a_i, g_i in zip(a, g)]


# The registry: every part of the library that takes an activation by name (the
# network, explain, export, the command line, the fast path) finds it here.  For
# each name: sigma; sigma' as a function of (z, a) (None for softmax, whose
# derivative is its Jacobian); the helpers sigma's code calls, which export copies
# along with it.  How the library writes each one out is in written.py.
ACTIVATIONS = {
    "sigmoid": {"sigma": sigmoid, "prime": sigmoid_prime, "helpers": (_sigmoid,)},
    "tanh": {"sigma": tanh, "prime": tanh_prime, "helpers": ()},
    "relu": {"sigma": relu, "prime": relu_prime, "helpers": ()},
    "leaky_relu": {"sigma": leaky_relu, "prime": leaky_relu_prime, "helpers": ()},
    "identity": {"sigma": identity, "prime": identity_prime, "helpers": ()},
    "softmax": {"sigma": softmax, "prime": None, "helpers": ()},  # see softmax_jacobian_times
}
ELEMENT_WISE = tuple(sorted(name for name in ACTIVATIONS if ACTIVATIONS[name]["prime"] is not None))


def delta_from(name, z, a, g):
    """dL/dz from g = dL/da, where a = sigma(z): g ⊙ sigma'(z), or J^T g for softmax.

    >>> delta_from("identity", [3.0], [3.0], [0.5])
    [0.5]
    """
    if name == "softmax":
        return softmax_jacobian_times(a, g)
    return hadamard(g, ACTIVATIONS[name]["prime"](z, a))
