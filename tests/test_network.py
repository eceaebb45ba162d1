"""The network on cases small enough to work out by hand, shapes and seeds."""
from helpers import close, for_this_width, raises
import tinybackprop as tb
from tinybackprop.core.errors import TinyBackpropError
from tinybackprop.core.floats import LARGEST
from tinybackprop.core.network import argmax

EXACT = for_this_width(1e-15)  # these cases are built from numbers that floats hold exactly


def net_1_1_1():
    # A 1-1-1 sigmoid network with mse, chosen so that both z's are 0 and
    # every number below is exact in binary.
    net = tb.Network([1, 1, 1], activations="sigmoid", loss="mse")
    net.weights = [[[0.5]], [[2.0]]]
    net.biases = [[-1.5], [-1.0]]
    return net


def test_forward_1_1_1_by_hand():
    # z^1 = W^1 x + b^1 = 0.5 * 3 - 1.5 = 0        a^1 = sigmoid(0) = 0.5
    # z^2 = W^2 a^1 + b^2 = 2 * 0.5 - 1 = 0         a^2 = sigmoid(0) = 0.5
    z, a = net_1_1_1().forward([3.0])
    assert z == [None, [0.0], [0.0]]
    assert a == [[3.0], [0.5], [0.5]]


def test_backprop_1_1_1_by_hand():
    # L = (a^2 - y)^2 = (0.5 - 1)^2 = 0.25;  dL/da^2 = 2 (a^2 - y) = -1
    # delta^2 = dL/da^2 * sigmoid'(z^2) = -1 * 0.5 * (1 - 0.5) = -0.25
    # delta^1 = W^2 delta^2 * sigmoid'(z^1) = 2 * -0.25 * 0.25 = -0.125
    # dL/dW^2 = delta^2 a^1 = -0.125      dL/db^2 = -0.25
    # dL/dW^1 = delta^1 x = -0.375        dL/db^1 = -0.125
    gW, gb = net_1_1_1().backprop([3.0], [1.0])
    assert gW == [[[-0.375]], [[-0.125]]]
    assert gb == [[-0.125], [-0.25]]


def test_sgd_step_1_1_1_by_hand():
    # With lr = 1: W^1 = 0.5 + 0.375 = 0.875, b^1 = -1.5 + 0.125 = -1.375,
    #              W^2 = 2 + 0.125 = 2.125,   b^2 = -1 + 0.25 = -0.75.
    # The mean loss of the epoch is the loss before the step, 0.25.
    net = net_1_1_1()
    history = net.train([([3.0], [1.0])], epochs=1, lr=1.0)
    assert net.weights == [[[0.875]], [[2.125]]]
    assert net.biases == [[-1.375], [-0.75]]
    assert history[0]["loss"] == 0.25


def net_2_2_1():
    # relu hidden layer, sigmoid output, binary cross-entropy.
    net = tb.Network([2, 2, 1], activations=["relu", "sigmoid"], loss="binary_cross_entropy")
    net.weights = [[[0.5, -0.25], [-1.0, 0.25]], [[2.0, 3.0]]]
    net.biases = [[0.5, 0.0], [-1.0]]
    return net


def test_forward_2_2_1_by_hand():
    # z^1 = [0.5*1 - 0.25*2 + 0.5, -1*1 + 0.25*2 + 0] = [0.5, -0.5]
    # a^1 = relu(z^1) = [0.5, 0]
    # z^2 = 2*0.5 + 3*0 - 1 = 0;  a^2 = sigmoid(0) = 0.5
    z, a = net_2_2_1().forward([1.0, 2.0])
    assert z[1] == [0.5, -0.5] and a[1] == [0.5, 0.0]
    assert z[2] == [0.0] and a[2] == [0.5]


def test_backprop_2_2_1_by_hand():
    # L = -[1 log 0.5 + 0 log 0.5] = log 2.  Short form: delta^2 = (a - y)/n = -0.5
    # (W^2)^T delta^2 = [2 * -0.5, 3 * -0.5] = [-1, -1.5]; relu'(z^1) = [1, 0]
    # delta^1 = [-1, 0]   (the second unit is off: no gradient flows through it)
    # dL/dW^2 = delta^2 (a^1)^T = [[-0.25, 0]]        dL/db^2 = [-0.5]
    # dL/dW^1 = delta^1 x^T = [[-1, -2], [0, 0]]      dL/db^1 = [-1, 0]
    gW, gb = net_2_2_1().backprop([1.0, 2.0], [1.0])
    assert gW == [[[-1.0, -2.0], [0.0, 0.0]], [[-0.25, 0.0]]]
    assert gb == [[-1.0, 0.0], [-0.5]]


def test_sgd_step_2_2_1_by_hand():
    # lr = 0.5: W^1 = [[0.5 + 0.5, -0.25 + 1], [-1, 0.25]] = [[1, 0.75], [-1, 0.25]]
    #           b^1 = [0.5 + 0.5, 0] = [1, 0];  W^2 = [[2 + 0.125, 3]];  b^2 = [-1 + 0.25]
    # and the loss before the step is log 2 = 0.6931471805599453.
    net = net_2_2_1()
    history = net.train([([1.0, 2.0], [1.0])], epochs=1, lr=0.5)
    assert net.weights == [[[1.0, 0.75], [-1.0, 0.25]], [[2.125, 3.0]]]
    assert net.biases == [[1.0, 0.0], [-0.75]]
    assert close(history[0]["loss"], 0.6931471805599453, EXACT)


def test_softmax_cross_entropy_short_form_by_hand():
    # z^1 = [0, 0] (all weights 0) so a^1 = softmax = [0.5, 0.5]; y = [0, 1]:
    # delta^1 = a - y = [0.5, -0.5], L = -log 0.5
    net = tb.Network([2, 2], activations="softmax", loss="cross_entropy")
    net.weights = [[[0.0, 0.0], [0.0, 0.0]]]
    gW, gb = net.backprop([1.0, -2.0], [0.0, 1.0])
    assert gb == [[0.5, -0.5]]
    assert gW == [[[0.5, -1.0], [-0.5, 1.0]]]


def test_same_seed_same_weights_different_seed_different():
    a = tb.Network([4, 5, 3], activations="tanh", seed=7)
    b = tb.Network([4, 5, 3], activations="tanh", seed=7)
    c = tb.Network([4, 5, 3], activations="tanh", seed=8)
    assert a.weights == b.weights
    assert a.weights != c.weights


def test_initial_weights_within_glorot_and_he_limits():
    # Glorot: r = sqrt(6 / (4 + 6)) = 0.7746;  He (relu): r = sqrt(6 / 4) = 1.2247
    glorot = tb.Network([4, 6], activations="tanh").weights[0]
    he = tb.Network([4, 6], activations="relu").weights[0]
    assert max(abs(w) for row in glorot for w in row) <= (6.0 / 10) ** 0.5
    assert max(abs(w) for row in he for w in row) <= (6.0 / 4) ** 0.5
    assert max(abs(w) for row in he for w in row) > (6.0 / 10) ** 0.5  # wider than Glorot
    assert tb.Network([4, 6]).biases == [[0.0] * 6]


def test_wrong_input_length_names_layer_and_sizes():
    net = tb.Network([3, 4, 2])
    message = raises(ValueError, net.predict, [1.0, 2.0])
    assert "layer 0" in message and "has 2 numbers" in message and "3" in message
    message = raises(ValueError, net.backprop, [1.0, 2.0, 3.0], [1.0, 0.0, 0.0])
    assert "layer 2 (the output)" in message and "has 3 numbers" in message and "2 neurons" in message


def test_wrong_sample_in_training_names_sample():
    net = tb.Network([2, 1])
    samples = [([0.0, 1.0], [1.0]), ([0.0], [1.0])]
    message = raises(TinyBackpropError, net.train, samples)
    assert "samples[1]" in message and "layer 0" in message


def test_non_numbers_and_non_finite_inputs_refused():
    net = tb.Network([2, 1])
    assert "not a number" in raises(TypeError, net.predict, [1.0, "2"])
    assert "finite" in raises(ValueError, net.predict, [1.0, float("nan")])
    assert "list" in raises(TypeError, net.predict, 3.0)
    # check_vector first tries every number at once (types, then a finite sum);
    # each of these must fall through to the loop that names the culprit.
    assert "x[1] is True" in raises(TypeError, net.predict, [1.0, True])
    assert "x[0] is inf" in raises(ValueError, net.predict, [float("inf"), -1.0])
    assert "x[1] is -inf" in raises(ValueError, net.predict, [0.0, float("-inf")])
    assert "x[0] is an int of 401 digits" in raises(ValueError, net.predict, [10 ** 400, 0.0])  # beyond a float
    # Ints beyond a float's range that cancel: their sum, 0, is finite; each is still refused.
    assert "x[0] is an int of 401 digits" in raises(ValueError, net.predict, [10 ** 400, -10 ** 400])
    assert "lr" in raises(ValueError, net.train, [([0.0, 1.0], [1.0])], lr=10 ** 400)
    assert len(net.predict([LARGEST, LARGEST])) == 1  # each finite, though their sum is not
    assert len(net.predict([3, -2])) == 1  # ints are numbers


def test_sizes_beyond_the_bound_are_refused_before_anything_is_allocated():
    # [20000, 20000, 2]: 400 million weights, gigabytes of lists; refused at once.
    message = raises(ValueError, tb.Network, [20000, 20000, 2])
    assert "400060002 weights and biases" in message and "10000000" in message


def test_a_softmax_of_one_neuron_is_refused():
    # Its output is always 1: cross-entropy would be 0 and accuracy 1.0 whatever the data.
    assert "always 1" in raises(ValueError, tb.Network, [2, 1], activations="softmax", loss="cross_entropy")
    assert "layer 1 is softmax" in raises(ValueError, tb.Network, [2, 1, 2], activations=["softmax", "softmax"])


def test_bad_sizes_and_names_refused():
    assert "at least two" in raises(ValueError, tb.Network, [3])
    assert "sizes[1]" in raises(ValueError, tb.Network, [3, 0])
    assert "did you mean 'sigmoid'" in raises(ValueError, tb.Network, [2, 1], activations="sigmod")
    assert "mse" in raises(ValueError, tb.Network, [2, 1], loss="mean_squared")
    assert "2 names" in raises(ValueError, tb.Network, [2, 2, 1], activations=["tanh"])
    assert "softmax" in raises(ValueError, tb.Network, [2, 3], activations="tanh", loss="cross_entropy")
    assert "sigmoid" in raises(ValueError, tb.Network, [2, 1], activations="relu",
                               loss="binary_cross_entropy")


def test_network_from_given_weights():
    # W^1 = [[1, 2]], b^1 = [0.5]: z = 1*3 + 2*(-1) + 0.5 = 1.5 with the identity.
    W, b = [[[1.0, 2.0]]], [[0.5]]
    net = tb.Network([2, 1], activations="identity", weights=W, biases=b)
    assert net.predict([3.0, -1.0]) == [1.5]
    assert net.weights is W and net.biases is b  # adopted, not copied
    message = raises(ValueError, tb.Network, [2, 1], weights=[[[1.0, 2.0, 3.0]]], biases=b)
    assert "weights[0][0] has 3 numbers, but layer 0 has 2 neurons" in message
    message = raises(ValueError, tb.Network, [2, 2], weights=[[[1.0, 2.0]]], biases=[[0.0, 0.0]])
    assert "weights[0] has 1 entries, expected 2 rows (layer 1 has 2 neurons)" in message
    assert "biases must be a list" in raises(TypeError, tb.Network, [2, 1], weights=W)


def test_ints_among_given_weights_become_floats_once():
    # 2**53 + 1 is an int no float holds: it becomes the float 2**53, the nearest.
    W, b = [[[1, 2 ** 53 + 1]]], [[0]]
    net = tb.Network([2, 1], activations="identity", weights=W, biases=b)
    assert net.weights == [[[1.0, 2.0 ** 53]]] and net.biases == [[0.0]]
    assert type(net.weights[0][0][1]) is float and type(net.biases[0][0]) is float
    assert net.predict([0.0, 1.0]) == [2.0 ** 53]


def test_argmax_is_the_first_largest_as_a_loop_finds_it():
    # argmax uses max and index; a loop that keeps the first strictly larger number is the
    # definition: the two agree on ties, -0.0 against 0.0, inf, and NaN anywhere (a NaN
    # first is kept, since nothing compares larger; a NaN later never replaces a number).
    def by_loop(v):
        best = 0
        for i in range(1, len(v)):
            if v[i] > v[best]:
                best = i
        return best
    values = [float("nan"), 0.0, -0.0, 1.0, -1.0, float("inf")]
    tried = 0
    for n in (1, 2, 3):
        for k in range(len(values) ** n):
            v = [values[k // len(values) ** i % len(values)] for i in range(n)]
            assert argmax(v) == by_loop(v), v
            tried += 1
    assert tried == 6 + 36 + 216
    assert argmax((0.2, 0.5, 0.5)) == 1  # a tuple as well
