"""Backpropagation: the forward pass, the output error, the delta recursion, the gradients, a step.

Layers count from 0 (the input) to L (the output); layer l has n_l neurons.
Python lists count from 0, so ``net.weights[l - 1]`` is W^l, of shape
(n_l, n_(l-1)) (W^l[i][j] connects neuron j of layer l-1 to neuron i of layer
l), and ``net.biases[l - 1]`` is b^l.  The lists made here are indexed by l
itself: a[0] = x, a[l] = a^l, z[l] = z^l, delta[l] = delta^l (z[0] and
delta[0] are None: layer 0 has no weights).

    z^l = W^l a^(l-1) + b^l,   a^l = sigma(z^l)                  feedforward
    delta^L = dL/da^L ⊙ sigma'(z^L)   (the Jacobian for softmax)  output_delta
    delta^l = ((W^(l+1))^T delta^(l+1)) ⊙ sigma'(z^l)             deltas
    dL/dW^l = delta^l (a^(l-1))^T,   dL/db^l = delta^l            backprop
    Delta W^l = -lr dL/dW^l,   Delta b^l = -lr dL/db^l            SGD.changes
    W^l <- W^l + Delta W^l,    b^l <- b^l + Delta b^l             step

This is the reference, the text to read beside the article: plain loops
(``tinybackprop.core.matrix``), no checks (``tinybackprop.core.checks`` checks
every argument once, where it enters), nothing that is there for speed.
``train(..., fast=False)`` runs ``step`` for every sample; ``tinybackprop.fast``
makes the same step by faster means, tested equal to this one.
"""
import math

from .activations import ACTIVATIONS, delta_from
from .floats import LARGEST
from .losses import LOSSES
from .matrix import add_inplace, affine, outer, scale, transpose_times, zeros


def feedforward(net, x):
    """(z, a) with a[0] = x and, for l = 1..L, z[l] = W^l a^(l-1) + b^l, a[l] = sigma(z^l)."""
    z = [None]
    a = [x]  # a^0 = x
    for l in range(1, len(net.sizes)):
        sigma = ACTIVATIONS[net.activations[l - 1]]["sigma"]
        z.append(affine(net.weights[l - 1], a[l - 1], net.biases[l - 1]))  # z^l = W^l a^(l-1) + b^l
        a.append(sigma(z[l]))  # a^l = sigma(z^l)
    return z, a


def output_delta(activation, loss, z, a, y):
    """delta^L = dL/dz^L = dL/da^L ⊙ sigma'(z^L), or the softmax Jacobian's J^T dL/da^L;
    for the pairs in SHORT_FORMS, their exact short form."""
    short_form = SHORT_FORMS.get((activation, loss))
    if short_form is not None:
        return short_form(z, a, y)
    return delta_from(activation, z, a, LOSSES[loss]["gradient"](a, y))


def sigmoid_binary_cross_entropy_delta(z, a, y):
    """delta^L = (a - y) / n: sigma' = a (1 - a) cancels the denominator of
    dL/da = (a - y) / (n a (1 - a)), so nothing is divided by a (1 - a)."""
    n = len(a)
    return [(a_i - y_i) / n for a_i, y_i in zip(a, y)]


def softmax_cross_entropy_delta(z, a, y):
    """delta^L = a sum(y) - y, which is J^T (-y / a): a - y for a target summing to 1."""
    y_sum = 0.0
    for y_i in y:
        y_sum += y_i
    return [a_i * y_sum - y_i for a_i, y_i in zip(a, y)]


# The (output activation, loss) pairs whose delta^L has an exact short form, and
# its function (written out for explain in written.py).
SHORT_FORMS = {
    ("sigmoid", "binary_cross_entropy"): sigmoid_binary_cross_entropy_delta,
    ("softmax", "cross_entropy"): softmax_cross_entropy_delta,
}


def deltas(net, z, a, y):
    """delta[l] = delta^l = dL/dz^l for l = 1..L (delta[0] is None), by the delta recursion.

    Every delta^l uses the weights as they are now: a step changes the weights
    only after all deltas are known.
    """
    L = len(net.sizes) - 1
    delta = [None] * (L + 1)
    delta[L] = output_delta(net.activations[L - 1], net.loss, z[L], a[L], y)
    for l in range(L - 1, 0, -1):
        g = transpose_times(net.weights[l], delta[l + 1])  # (W^(l+1))^T delta^(l+1); weights[l] is W^(l+1)
        delta[l] = delta_from(net.activations[l - 1], z[l], a[l], g)  # ... ⊙ sigma'(z^l)
    return delta


def backprop(net, x, y):
    """(gW, gb, a) for one sample: dL/dW^l and dL/db^l, shaped like the weights and
    biases, and the activations a[0..L] of the forward pass (a[L] is the output)."""
    z, a = feedforward(net, x)
    delta = deltas(net, z, a, y)
    gW, gb = [], []
    for l in range(1, len(net.sizes)):
        gW.append(outer(delta[l], a[l - 1]))  # dL/dW^l = delta^l (a^(l-1))^T
        gb.append(list(delta[l]))  # dL/db^l = delta^l
    return gW, gb, a


def mean_gradient(net, batch):
    """(gW, gb, results): the mean of dL/dW^l and dL/db^l over batch, a list of two or
    more (x, y) pairs, and each sample's (loss, a^L), all at the weights from before
    the step.  A last, shorter batch uses its own size."""
    L = len(net.sizes) - 1
    gW = [zeros(len(W), len(W[0])) for W in net.weights]  # sums of dL/dW^l over the batch
    gb = [zeros(len(b)) for b in net.biases]
    results = []
    for x, y in batch:
        gW_x, gb_x, a = backprop(net, x, y)
        for l in range(1, L + 1):
            for i in range(len(gW[l - 1])):
                add_inplace(gW[l - 1][i], gW_x[l - 1][i])  # sum of dL/dW^l
            add_inplace(gb[l - 1], gb_x[l - 1])  # sum of dL/db^l
        results.append((LOSSES[net.loss]["loss"](a[L], y), a[L]))
    m = 1.0 / len(batch)  # the mean, (1/B) sum
    return [[scale(m, row) for row in G] for G in gW], [scale(m, g) for g in gb], results


class SGD:
    """Plain stochastic gradient descent: every weight moves by -lr times its gradient.

    An update rule turns the gradients of a step into the changes it makes.
    This is the reference rule; momentum, Adam and weight decay
    (``tinybackprop.training.rules``) are other classes with a ``changes``
    method, and the step below does not change.
    """

    def __init__(self, lr):
        self.lr = lr

    def changes(self, gW, gb):
        """(Delta W, Delta b): Delta W^l = -lr dL/dW^l and Delta b^l = -lr dL/db^l."""
        return ([[[-self.lr * g for g in row] for row in G] for G in gW],  # Delta W^l = -lr dL/dW^l
                [[-self.lr * g for g in g_b] for g_b in gb])  # Delta b^l = -lr dL/db^l


# A change of a weight beyond this is divergence, not learning: the square root
# of the largest float, 1.3e154 with 64-bit floats and 1.8e19 with 32-bit ones,
# so that a weight and an activation of that size still have a finite product.
MAX_CHANGE = math.sqrt(LARGEST)


def step(net, batch, rule):
    """One step on batch, a list of (x, y) pairs (a single pair: the article's per-sample
    SGD), with the update rule rule, in place.

    Returns each sample's (loss, a^L) from before the step; or None, changing
    nothing, if a loss is not finite or a change would exceed MAX_CHANGE.
    """
    L = len(net.sizes) - 1
    if len(batch) == 1:  # per-sample SGD: the one sample's gradient
        x, y = batch[0]
        gW, gb, a = backprop(net, x, y)
        results = [(LOSSES[net.loss]["loss"](a[L], y), a[L])]  # L(a^L, y)
    else:  # a mini-batch: the mean of its samples' gradients
        gW, gb, results = mean_gradient(net, batch)
    dW, db = rule.changes(gW, gb)
    if not within_bounds(results, dW, db):
        return None
    for l in range(1, L + 1):
        W = net.weights[l - 1]
        for i in range(len(W)):
            add_inplace(W[i], dW[l - 1][i])  # W^l <- W^l + Delta W^l
        add_inplace(net.biases[l - 1], db[l - 1])  # b^l <- b^l + Delta b^l
    return results


def within_bounds(results, dW, db):
    """Is every loss finite and every change at most MAX_CHANGE?  (False for NaN too.)"""
    for loss, a_L in results:
        if not math.isfinite(loss):
            return False
    for l in range(len(dW)):
        for row in dW[l] + [db[l]]:
            for change in row:
                if not abs(change) <= MAX_CHANGE:
                    return False
    return True
