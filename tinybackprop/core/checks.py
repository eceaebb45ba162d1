"""Checks at the boundary: every argument is checked once, where it enters.

The network's constructor, ``train``, ``predict``, ``load`` and the command line
call these; the math (``tinybackprop.core.backprop``, ``tinybackprop.fast.kernels``) then
runs unchecked.  Each problem is a ``TinyBackpropError`` (a ``ValueError``) or,
for a value of the wrong type, a ``TypeError``, whose message names the
argument, the layer and the sizes expected and got.

>>> check_sizes([4, 8, 3])
[4, 8, 3]
>>> check_sizes([4])
Traceback (most recent call last):
    ...
tinybackprop.core.errors.TinyBackpropError: sizes [4] has 1 layer(s); a network needs at least two (inputs and outputs), e.g. [4, 3]
"""
import math

from .activations import ACTIVATIONS
from .errors import TinyBackpropError, unknown_name
from .losses import LOSSES

# The output activations each loss can take (the losses' registry says; None is any).
OUTPUTS_FOR_LOSS = dict((name, LOSSES[name]["outputs"] or tuple(sorted(ACTIVATIONS))) for name in LOSSES)
# How far a cross_entropy target may sum from 1 (rounding of probabilities).
TARGET_SUM = 1e-6
# The most weights and biases a network may have: a pure-Python step over 10 million
# takes seconds, and their lists take some 300 MB on CPython.  A size read from a
# file or a flag is checked against this before anything is allocated.
MAX_PARAMETERS = 10 ** 7


def check_sizes(sizes):
    """sizes as a new list, after checking it is [n_0, ..., n_L] of positive ints, L >= 1."""
    if not isinstance(sizes, (list, tuple)):
        raise TypeError("sizes must be a list of layer sizes such as [4, 8, 3], got %r" % (sizes,))
    if len(sizes) < 2:
        raise TinyBackpropError("sizes %r has %d layer(s); a network needs at least two "
                                "(inputs and outputs), e.g. [4, 3]" % (list(sizes), len(sizes)))
    for l, n in enumerate(sizes):
        if not isinstance(n, int) or isinstance(n, bool) or n < 1:
            raise TinyBackpropError("sizes[%d] is %r: every layer size must be a positive int"
                                    % (l, n))
    parameters = parameter_count(sizes)
    if parameters > MAX_PARAMETERS:
        raise TinyBackpropError("sizes %r make %d weights and biases, more than the %d this "
                                "library trains (in pure Python)" % (list(sizes), parameters, MAX_PARAMETERS))
    return list(sizes)


def parameter_count(sizes):
    """The weights and biases of a network of these sizes: n_l (n_(l-1) + 1) for each layer l."""
    return sum(sizes[l] * (sizes[l - 1] + 1) for l in range(1, len(sizes)))


def check_activations(activations, sizes):
    """A list of L activation names, from one name or a list of L names, for layers of sizes."""
    L = len(sizes) - 1
    if isinstance(activations, str):
        activations = [activations] * L
    if not isinstance(activations, (list, tuple)) or len(activations) != L:
        raise TinyBackpropError("activations must be one name or a list of %d names (one per "
                                "layer 1..%d), got %r" % (L, L, activations))
    for l in range(1, L + 1):
        name = activations[l - 1]
        if name not in ACTIVATIONS:
            raise unknown_name("activation", name, ACTIVATIONS)
        if name == "softmax" and sizes[l] == 1:
            raise TinyBackpropError("layer %d is softmax with one neuron, whose output is always 1; "
                                    "for two classes use one sigmoid output, or two softmax outputs" % l)
    return list(activations)


def check_loss(loss, output_activation):
    """The loss name, after checking it exists and can take the output activation."""
    if loss not in LOSSES:
        raise unknown_name("loss", loss, LOSSES)
    if output_activation not in OUTPUTS_FOR_LOSS[loss]:
        raise TinyBackpropError(
            "loss %r cannot take a %r output layer: it needs outputs in (0, 1)%s; use a %s "
            "output layer, or loss 'mse'" % (
                loss, output_activation, " that sum to 1" if loss == "cross_entropy" else "",
                " or ".join(repr(name) for name in OUTPUTS_FOR_LOSS[loss])))
    return loss


def check_list(value, n, name, meaning):
    """Check that value is a list of n entries; meaning says what the entries are."""
    if not isinstance(value, list):
        raise TypeError("%s must be a list of %d %s, got %s"
                        % (name, n, meaning, type(value).__name__))
    if len(value) != n:
        raise TinyBackpropError("%s has %d entries, expected %d %s" % (name, len(value), n, meaning))


def check_parameters(sizes, weights, biases):
    """(weights, biases) after checking W^l is n_l rows of n_(l-1) finite numbers, b^l n_l."""
    L = len(sizes) - 1
    check_list(weights, L, "weights", "matrices (one per layer 1..%d)" % L)
    check_list(biases, L, "biases", "vectors (one per layer 1..%d)" % L)
    for l in range(1, L + 1):
        W = weights[l - 1]  # W^l
        check_list(W, sizes[l], "weights[%d]" % (l - 1), "rows (layer %d has %d neurons)" % (l, sizes[l]))
        for i in range(sizes[l]):
            check_vector(W[i], sizes[l - 1], "weights[%d][%d]" % (l - 1, i), "layer %d" % (l - 1))
        check_vector(biases[l - 1], sizes[l], "biases[%d]" % (l - 1), "layer %d" % l)
    return weights, biases


def check_vector(v, n, name, layer, where=""):
    """Check that v is a list or tuple of n finite numbers, for the layer named."""
    if not isinstance(v, (list, tuple)):
        raise TypeError("%s%s must be a list of %d numbers, got %s"
                        % (where, name, n, type(v).__name__))
    if len(v) != n:
        raise TinyBackpropError("%s%s has %d number%s, but %s has %d neurons: give %d"
                                % (where, name, len(v), "" if len(v) == 1 else "s", layer, n, n))
    if only_floats(v) and finite_sum(v):
        return  # the usual case, checked by one sum (several times faster than the loop below)
    for i in range(n):
        v_i = v[i]
        if not isinstance(v_i, (int, float)) or isinstance(v_i, bool):
            raise TypeError("%s%s[%d] is %r, not a number" % (where, name, i, v_i))
        if not finite_sum([v_i]):
            shown = repr(v_i) if isinstance(v_i, float) else "an int of %d digits" % len(str(abs(v_i)))
            raise TinyBackpropError("%s%s[%d] is %s: every number must be finite and fit in a float"
                                    % (where, name, i, shown))


def only_floats(v):
    """Is every entry of v a float?  Only a list of floats alone is checked by one sum:
    ints of opposite signs beyond a float's range (10**400, -10**400) sum to a finite 0,
    so ints are checked one by one.  (This loop takes 1.6 us for 64 floats on CPython
    3.11, as set(map(type, v)) does, and 0.16 us on PyPy, a third of it.)"""
    for v_i in v:
        if type(v_i) is not float:
            return False
    return True


def finite_sum(v):
    """Is sum(v) finite?  Then so is every number in v: an inf or a NaN makes any sum inf or NaN."""
    try:
        return math.isfinite(sum(v))
    except OverflowError:  # an int too large for a float
        return False


def check_sample(net, x, y, where):
    """Check one (x, y) pair against the network's sizes and its loss's target range."""
    check_vector(x, net.sizes[0], "x", "layer 0 (the input)", where)
    L = len(net.sizes) - 1
    check_vector(y, net.sizes[L], "y", "layer %d (the output)" % L, where)
    if net.loss in ("binary_cross_entropy", "cross_entropy"):
        for i in range(len(y)):
            if not 0.0 <= y[i] <= 1.0:
                raise TinyBackpropError("%sy[%d] is %r: %s targets must lie in [0, 1]"
                                        % (where, i, y[i], net.loss))
    if net.loss == "cross_entropy" and abs(sum(y) - 1.0) > TARGET_SUM:
        raise TinyBackpropError("%sy sums to %r: cross_entropy targets are one-hot or "
                                "probabilities that sum to 1" % (where, sum(y)))


def check_samples(net, samples, what):
    """Check every (x, y) pair of samples once, before any work is done with them."""
    if not isinstance(samples, (list, tuple)) or len(samples) == 0:
        raise TinyBackpropError("%s must be a non-empty list of (x, y) pairs" % what)
    for k in range(len(samples)):
        pair = samples[k]
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise TinyBackpropError("%s[%d] must be an (x, y) pair, got %r" % (what, k, pair))
        try:
            check_sample(net, pair[0], pair[1], "")
        except (TinyBackpropError, TypeError):  # again, naming the sample: its name is made
            check_sample(net, pair[0], pair[1], "%s[%d]: " % (what, k))  # only when needed


def check_learning_rate(lr, name="lr"):
    """lr, after checking that it is a finite number above 0 that fits in a float."""
    if not isinstance(lr, (int, float)) or isinstance(lr, bool) or not finite_sum([lr]) or lr <= 0:
        shown = repr(lr) if not isinstance(lr, int) or abs(lr) < 10 ** 20 else "an int of %d digits" % len(str(abs(lr)))
        raise TinyBackpropError("%s is %s: the learning rate must be a finite number above 0, "
                                "such as 0.1" % (name, shown))
    return lr
