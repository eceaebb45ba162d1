"""The network: its layers, weights and loss, made and checked; the math it runs.

``Network`` holds the sizes, the activations, the loss, the weights and biases
(``net.weights[l - 1]`` is W^l, ``net.biases[l - 1]`` is b^l), and nothing else.
Its methods check their arguments (``tinybackprop.core.checks``) and then run
the math of ``tinybackprop.core.backprop``.  Training, model files and pictures
are layers around it: ``tinybackprop.Network`` (``tinybackprop/network.py``) is
this class with ``train`` and ``save``.
"""
import math

from .backprop import backprop, feedforward
from .checks import (check_activations, check_loss, check_parameters, check_sample, check_samples,
                     check_sizes, check_vector)
from .losses import loss_value
from .rng import Random

HE_INIT = ("relu", "leaky_relu")  # He et al. (2015) init; Glorot (2010) for the rest


class Network:
    """A fully connected network with its weights, biases, activations and loss.

    sizes        [n_0, n_1, ..., n_L]: inputs, then the neurons of each layer.
    activations  one name for every layer, or a list of L names, one per layer:
                 sigmoid, tanh, relu, leaky_relu, identity, softmax.
    loss         mse, binary_cross_entropy or cross_entropy.
    seed         the seed of the initial weights (a non-negative int).
    weights, biases  optional: start from these instead of random weights, shaped
                 as sizes says; the lists become the network's own: any int in
                 them is made a float there, once, and training changes them in
                 place.

    Weights start uniform in [-r, r] with r = sqrt(6 / (n_(l-1) + n_l)) (Glorot)
    or, for relu and leaky_relu, r = sqrt(6 / n_(l-1)) (He); biases start at 0.

    >>> net = Network([2, 3, 1], activations="tanh", seed=0)
    >>> [len(W) for W in net.weights], [len(W[0]) for W in net.weights]
    ([3, 1], [2, 3])
    >>> net.predict([0.5, -0.5]) == net.predict([0.5, -0.5])
    True
    """

    def __init__(self, sizes, activations="sigmoid", loss="mse", seed=0, weights=None, biases=None):
        self.sizes = check_sizes(sizes)
        self.activations = check_activations(activations, self.sizes)
        self.loss = check_loss(loss, self.activations[-1])
        if weights is None and biases is None:
            self.weights, self.biases = initial_parameters(self.sizes, self.activations, Random(seed))
        else:
            self.weights, self.biases = check_parameters(self.sizes, weights, biases)
            floats_inplace(self.weights, self.biases)

    def __repr__(self):
        return "Network(%r, activations=%r, loss=%r)" % (self.sizes, self.activations, self.loss)

    def forward(self, x):
        """(z, a) for one sample x: z[l] = z^l and a[l] = a^l for l = 0..L (z[0] is None)."""
        check_vector(x, self.sizes[0], "x", "layer 0 (the input)")
        return feedforward(self, x)

    def predict(self, x):
        """a^L, the output for one sample x (a list of n_L numbers)."""
        check_vector(x, self.sizes[0], "x", "layer 0 (the input)")
        return feedforward(self, x)[1][len(self.sizes) - 1]

    def backprop(self, x, y):
        """(gW, gb): dL/dW^l and dL/db^l for one sample, shaped like weights and biases."""
        check_sample(self, x, y, "")
        gW, gb, a = backprop(self, x, y)
        return gW, gb

    def evaluate(self, samples):
        """(mean loss, accuracy) over samples, a sequence of (x, y) pairs.

        The accuracy is None when the network is not a classifier (see ``correct``).
        """
        check_samples(self, samples, "samples")
        return loss_and_accuracy(self, samples)


def floats_inplace(weights, biases):
    """Make every int in the (checked) weights and biases a float, in place.

    Checked ints fit in a float; converting them once here means every later
    sum is a sum of floats, as with weights the network drew itself.
    """
    for l in range(len(weights)):
        for row in weights[l] + [biases[l]]:
            for j in range(len(row)):
                if not isinstance(row[j], float):
                    row[j] = float(row[j])


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
    return net.activations[len(net.activations) - 1] in ("sigmoid", "softmax")


def argmax(v):
    """The index of the largest number in v (the first, on a tie).

    >>> argmax([0.1, 0.7, 0.2, 0.7])
    1
    """
    # Two builtins, not a Python loop: in train's per-sample loop PyPy's JIT compiled the
    # loop's data-dependent branch at a cost of a tenth of the digits benchmark.
    largest = max(v)  # as a loop would: a later number replaces it only if it is larger
    if largest != largest:  # NaN: only when v[0] is NaN, since nothing compares larger
        return 0
    return v.index(largest)  # the first place that holds it


def predicted_class(a):
    """The class index an output a stands for: for one output, 1 if a_0 >= 0.5
    else 0; for several, the index of the largest."""
    if len(a) == 1:
        return 1 if a[0] >= 0.5 else 0
    return argmax(a)


def correct(a, y):
    """Is output a right for target y (one-hot, or 0/1 for one output)?"""
    return predicted_class(a) == predicted_class(y)


def loss_and_accuracy(net, samples, outputs=None):
    """(mean loss, accuracy or None) over samples, without checking them; outputs(net, x)
    gives a^L (by default the reference forward pass: ``Network.predict``)."""
    total, right = 0.0, 0
    for x, y in samples:
        a_L = outputs(net, x) if outputs is not None else feedforward(net, x)[1][len(net.sizes) - 1]
        total += loss_value(net.loss, a_L, y)
        right += correct(a_L, y)
    m = len(samples)
    return total / m, (right / m if is_classifier(net) else None)
