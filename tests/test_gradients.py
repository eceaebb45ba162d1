"""Backprop against central finite differences, for every activation and loss."""
import tinybackprop as tb
from helpers import random_vector, seeded
from tinybackprop.core.activations import ACTIVATIONS
from tinybackprop.training.gradcheck import STEP, TOLERANCE
from tinybackprop.core.losses import loss_value
from tinybackprop.core.checks import OUTPUTS_FOR_LOSS

PERTURBATION = 1000 * TOLERANCE  # a deliberate error in one gradient entry: 1e-3 for 64-bit floats
CAUGHT = min(1000 * TOLERANCE, 0.5)  # the check must show it this clearly (a relative error is at most 2)


def random_case(rng, hidden, depth, output, loss):
    """A [3, 4 (depth times), 3] network with random weights and biases, and a sample."""
    net = tb.Network([3] + [4] * depth + [3], activations=[hidden] * depth + [output],
                     loss=loss, seed=rng.below(1000))
    for b in net.biases:
        for i in range(len(b)):
            b[i] = rng.uniform(-0.5, 0.5)
    x = random_vector(rng, 3)
    if loss == "mse":
        y = random_vector(rng, 3)
    elif loss == "binary_cross_entropy":
        y = [rng.random() for _ in range(3)]
    else:
        y = [0.0, 1.0, 0.0]
    return net, x, y


def test_every_activation_and_loss_matches_finite_differences():
    # Every hidden activation, every output activation each loss accepts,
    # 1 to 3 hidden layers: 162 networks.
    rng = seeded(2024)
    checked = 0
    for loss in OUTPUTS_FOR_LOSS:
        for output in OUTPUTS_FOR_LOSS[loss]:
            for hidden in ACTIVATIONS:
                for depth in (1, 2, 3):
                    net, x, y = random_case(rng, hidden, depth, output, loss)
                    error = tb.gradient_check(net, x, y)
                    assert error < TOLERANCE, (loss, output, hidden, depth, error)
                    checked += 1
    assert checked == 6 * (6 + 2 + 1) * 3


def test_a_kink_within_the_step_is_stepped_around():
    # [1, 1, 1], relu then identity, mse: z^1 = W^1 x + b^1 = 0.5 + (STEP / 4 - 0.5), just
    # above relu's kink.  A step h = STEP on W^1 crosses it: the plain central
    # difference sees relu's slope 1 on one side and 0 on the other, about half of
    # the gradient.  The check shrinks the step until both passes stay above 0.
    net = tb.Network([1, 1, 1], activations=["relu", "identity"], loss="mse",
                     weights=[[[0.5]], [[2.0]]], biases=[[STEP / 4 - 0.5], [0.0]])
    x, y = [1.0], [1.0]
    params = net.weights[0][0]
    plain = (loss_after(net, x, y, params, 0.5 + STEP) - loss_after(net, x, y, params, 0.5 - STEP)) / (2 * STEP)
    gW, gb = net.backprop(x, y)
    assert abs(plain - gW[0][0][0]) > 0.3 * abs(gW[0][0][0])  # the plain difference is far off
    assert tb.gradient_check(net, x, y) < TOLERANCE


def loss_after(net, x, y, params, value):
    """The loss with params[0] set to value (then restored)."""
    old = params[0]
    params[0] = value
    z, a = net.forward(x)
    params[0] = old
    return loss_value(net.loss, a[2], y)


def test_gradient_check_catches_a_wrong_gradient():
    net, x, y = random_case(seeded(1), "tanh", 2, "softmax", "cross_entropy")
    right = net.backprop

    def wrong(x, y):
        gW, gb = right(x, y)
        gW[1][2][3] += PERTURBATION
        return gW, gb

    assert tb.gradient_check(net, x, y) < TOLERANCE
    net.backprop = wrong
    assert tb.gradient_check(net, x, y) > CAUGHT


def test_gradient_check_leaves_the_weights_as_they_were():
    net, x, y = random_case(seeded(5), "sigmoid", 1, "sigmoid", "mse")
    before = [[row[:] for row in W] for W in net.weights], [b[:] for b in net.biases]
    tb.gradient_check(net, x, y)
    assert (net.weights, net.biases) == before
