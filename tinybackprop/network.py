"""The network: forward propagation, the output error, the delta recursion, backprop.

Notation (design.md).  Layers count from 0 (the input) to L (the output); layer l
has n_l neurons.  Python lists count from 0, so

    net.weights[l - 1] is W^l, shape (n_l, n_(l-1)): W^l[i][j] connects neuron j
                       of layer l-1 to neuron i of layer l;
    net.biases[l - 1]  is b^l, length n_l;

while the lists that ``feedforward`` and ``deltas`` return are indexed by l
itself: a[0] = x, a[l] = a^l, z[l] = z^l, delta[l] = delta^l (z[0] and delta[0]
are None: layer 0 has no weights).

    z^l = W^l a^(l-1) + b^l,   a^l = sigma(z^l)                  feedforward
    delta^L = dL/da^L ⊙ sigma'(z^L)   (the Jacobian for softmax)  output_delta
    delta^l = ((W^(l+1))^T delta^(l+1)) ⊙ sigma'(z^l)             deltas
    dL/dW^l = delta^l (a^(l-1))^T,   dL/db^l = delta^l            backprop
"""
import math

from .activations import ACTIVATIONS, activate, delta_from
from .errors import TinyBackpropError, unknown_name
from .losses import LOSSES, loss_gradient, loss_value
from .matrix import affine, outer, transpose_times
from .rng import Random

# The output activations each loss can take: the cross-entropies take log a, so
# they need outputs in (0, 1); cross_entropy also needs them to sum to 1.
OUTPUTS_FOR_LOSS = {
    "mse": tuple(sorted(ACTIVATIONS)),
    "binary_cross_entropy": ("sigmoid", "softmax"),
    "cross_entropy": ("softmax",),
}
HE_INIT = ("relu", "leaky_relu")  # He et al. (2015) init; Glorot (2010) for the rest


class Network:
    """A fully connected network with its weights, biases, activations and loss.

    sizes        [n_0, n_1, ..., n_L]: inputs, then the neurons of each layer.
    activations  one name for every layer, or a list of L names, one per layer:
                 sigmoid, tanh, relu, leaky_relu, identity, softmax.
    loss         mse, binary_cross_entropy or cross_entropy.
    seed         the seed of the initial weights (a non-negative int).
    weights, biases  optional: start from these instead of random weights, shaped
                 as sizes says; the lists become the network's own (training
                 changes them in place).

    Weights start uniform in [-r, r] with r = sqrt(6 / (n_(l-1) + n_l)) (Glorot)
    or, for relu and leaky_relu, r = sqrt(6 / n_(l-1)) (He); biases start at 0.

    Five attributes carry what is needed to use the model on raw data; they are
    saved in the model file and are None until someone sets them:
    ``scaling`` ({"mean": [...], "std": [...]}, x = (raw - mean) / std),
    ``classes`` (a name for each output), ``feature_names``, ``target_name``,
    ``target_scaling`` ({"mean": m, "std": s}: a regression's y = (raw - m) / s).

    >>> net = Network([2, 3, 1], activations="tanh", seed=0)
    >>> [len(W) for W in net.weights], [len(W[0]) for W in net.weights]
    ([3, 1], [2, 3])
    >>> net.predict([0.5, -0.5]) == net.predict([0.5, -0.5])
    True
    """

    def __init__(self, sizes, activations="sigmoid", loss="mse", seed=0, weights=None, biases=None):
        self.sizes = check_sizes(sizes)
        self.activations = check_activations(activations, len(self.sizes) - 1)
        self.loss = check_loss(loss, self.activations[-1])
        if weights is None and biases is None:
            self.weights, self.biases = initial_parameters(self.sizes, self.activations, Random(seed))
        else:
            self.weights, self.biases = check_parameters(self.sizes, weights, biases)
        self.scaling = None
        self.classes = None
        self.feature_names = None
        self.target_name = None
        self.target_scaling = None

    def __repr__(self):
        return "Network(%r, activations=%r, loss=%r)" % (self.sizes, self.activations, self.loss)

    def forward(self, x):
        """(z, a) for one sample x: z[l] = z^l and a[l] = a^l for l = 0..L (z[0] is None)."""
        check_vector(x, self.sizes[0], "x", "layer 0 (the input)")
        return feedforward(self, x)

    def predict(self, x):
        """a^L, the output for one sample x (a list of n_L numbers)."""
        check_vector(x, self.sizes[0], "x", "layer 0 (the input)")
        return feedforward(self, x)[1][len(self.sizes) - 1]  # a^L

    def backprop(self, x, y):
        """(gW, gb): dL/dW^l and dL/db^l for one sample, shaped like weights and biases."""
        check_sample(self, x, y, "")
        z, a = feedforward(self, x)
        delta = deltas(self, z, a, y)
        gW, gb = [], []
        for l in range(1, len(self.sizes)):
            gW.append(outer(delta[l], a[l - 1]))  # dL/dW^l = delta^l (a^(l-1))^T
            gb.append(list(delta[l]))  # dL/db^l = delta^l
        return gW, gb

    def evaluate(self, samples):
        """(mean loss, accuracy) over samples, a sequence of (x, y) pairs.

        The accuracy is None when the network is not a classifier (see ``correct``).
        """
        check_samples(self, samples, "samples")
        return evaluate(self, samples)

    def train(self, samples, epochs=10, lr=0.1, batch_size=1, shuffle=True, seed=0,
              validation=None, callback=None, step_callback=None, history="all"):
        """Stochastic gradient descent on samples; see ``tinybackprop.training.train``."""
        from .training import train
        return train(self, samples, epochs=epochs, lr=lr, batch_size=batch_size,
                     shuffle=shuffle, seed=seed, validation=validation, callback=callback,
                     step_callback=step_callback, history=history)

    def save(self, path):
        """Write the model to path as JSON, atomically; see ``tinybackprop.modelfile``."""
        from .modelfile import save
        save(self, path)


# -- The math, unchecked: callers check the arguments once, at the boundary ----

def feedforward(net, x, z1=None):
    """(z, a) with a[0] = x and, for l = 1..L, z[l] = W^l a^(l-1) + b^l, a[l] = sigma(z^l).

    z1, if given, is z^1 computed by the caller (training with deferred updates
    of W^1 does that, see ``training.first_layer_z``); the rest is as above.
    """
    z = [None]
    a = [x]  # a^0 = x
    for l in range(1, len(net.sizes)):
        if l == 1 and z1 is not None:
            z.append(z1)
        else:
            z.append(affine(net.weights[l - 1], a[l - 1], net.biases[l - 1]))  # z^l = W^l a^(l-1) + b^l
        a.append(activate(net.activations[l - 1], z[l]))  # a^l = sigma(z^l)
    return z, a


def output_delta(activation, loss, z, a, y):
    """delta^L = dL/dz^L = dL/da^L ⊙ sigma'(z^L), or the softmax Jacobian's J^T dL/da^L.

    Two pairs have a short form that is exact and avoids dividing by a (1 - a):
    sigmoid with binary_cross_entropy, where sigma' = a (1 - a) cancels the
    denominator of dL/da = (a - y) / (n a (1 - a)), leaving (a - y) / n; and
    softmax with cross_entropy, where J^T (-y / a) = a sum(y) - y, which is
    a - y for a target that sums to 1.
    """
    if activation == "sigmoid" and loss == "binary_cross_entropy":
        n = len(a)
        return [(a_i - y_i) / n for a_i, y_i in zip(a, y)]
    if activation == "softmax" and loss == "cross_entropy":
        y_sum = 0.0
        for y_i in y:
            y_sum += y_i
        return [a_i * y_sum - y_i for a_i, y_i in zip(a, y)]
    return delta_from(activation, z, a, loss_gradient(loss, a, y))


def deltas(net, z, a, y):
    """delta[l] = delta^l = dL/dz^l for l = 1..L (delta[0] is None), by the delta recursion.

    Every delta^l uses the weights as they are now: callers update the weights
    only after all deltas of a step are known.
    """
    L = len(net.sizes) - 1
    delta = [None] * (L + 1)
    delta[L] = output_delta(net.activations[L - 1], net.loss, z[L], a[L], y)
    for l in range(L - 1, 0, -1):
        g = transpose_times(net.weights[l], delta[l + 1])  # (W^(l+1))^T delta^(l+1); weights[l] is W^(l+1)
        delta[l] = delta_from(net.activations[l - 1], z[l], a[l], g)  # ... ⊙ sigma'(z^l)
    return delta


def initial_parameters(sizes, activations, rng):
    """Weights uniform in [-r, r] (Glorot, or He for the relu family), biases zero."""
    weights, biases = [], []
    for l in range(1, len(sizes)):
        n_in, n_out = sizes[l - 1], sizes[l]
        if activations[l - 1] in HE_INIT:
            r = math.sqrt(6.0 / n_in)
        else:
            r = math.sqrt(6.0 / (n_in + n_out))
        weights.append([[rng.uniform(-r, r) for j in range(n_in)] for i in range(n_out)])
        biases.append([0.0] * n_out)
    return weights, biases


def is_classifier(net):
    """True when the outputs are class scores: a sigmoid or softmax output layer."""
    return net.activations[-1] in ("sigmoid", "softmax")


def argmax(v):
    """The index of the largest number in v (the first, on a tie)."""
    best = 0
    for i in range(1, len(v)):
        if v[i] > v[best]:
            best = i
    return best


def predicted_class(a):
    """The class index an output a stands for: for one output, 1 if a_0 >= 0.5
    else 0; for several, the index of the largest."""
    if len(a) == 1:
        return 1 if a[0] >= 0.5 else 0
    return argmax(a)


def correct(a, y):
    """Is output a right for target y (one-hot, or 0/1 for one output)?"""
    return predicted_class(a) == predicted_class(y)


def evaluate(net, samples):
    """(mean loss, accuracy or None) over samples, without checking them."""
    total, right = 0.0, 0
    for x, y in samples:
        a_L = feedforward(net, x)[1][-1]
        total += loss_value(net.loss, a_L, y)
        right += correct(a_L, y)
    m = len(samples)
    return total / m, (right / m if is_classifier(net) else None)


# -- Checks at the boundary -----------------------------------------------------

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
    return list(sizes)


def check_activations(activations, L):
    """A list of L activation names, from one name or a list of L names."""
    if isinstance(activations, str):
        activations = [activations] * L
    if not isinstance(activations, (list, tuple)) or len(activations) != L:
        raise TinyBackpropError("activations must be one name or a list of %d names (one per "
                                "layer 1..%d), got %r" % (L, L, activations))
    for name in activations:
        if name not in ACTIVATIONS:
            raise unknown_name("activation", name, ACTIVATIONS)
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
    if set(map(type, v)) <= PLAIN_NUMBERS and finite_sum(v):
        return  # the usual case, without a Python loop: 1.7 us, not 9.1, for 64 numbers (CPython 3.11)
    for i in range(n):
        v_i = v[i]
        if not isinstance(v_i, (int, float)) or isinstance(v_i, bool):
            raise TypeError("%s%s[%d] is %r, not a number" % (where, name, i, v_i))
        if not finite_sum([v_i]):
            raise TinyBackpropError("%s%s[%d] is %r: every number must be finite and fit in a float"
                                    % (where, name, i, v_i))


PLAIN_NUMBERS = {int, float}  # exactly these types; bool, a subclass of int, is refused below


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
    if net.loss == "cross_entropy" and abs(sum(y) - 1.0) > 1e-6:
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
        check_sample(net, pair[0], pair[1], "%s[%d]: " % (what, k))
