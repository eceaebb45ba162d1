"""The gradient check: backprop against central finite differences.

For every weight and bias p, the "naive way" of the article:

    dL/dp ~ (L(p + h) - L(p - h)) / (2h)

costs two forward passes per parameter, where backprop gives all of them for
about the price of one more pass.  Central differences err by about
h^2 |L'''| (truncation) plus eps |L| / h (rounding), smallest near
h = eps^(1/3): 6e-6 for 64-bit floats, 5e-3 for 32-bit ones.  The float width
is measured here, not assumed, so the check suits 32-bit-float boards too.
"""
from .losses import loss_value
from .network import check_sample, feedforward


def machine_epsilon():
    """The gap between 1.0 and the next float: 2.2e-16 for doubles, 1.2e-7 for singles."""
    eps = 1.0
    while 1.0 + eps / 2.0 != 1.0:
        eps /= 2.0
    return eps


EPSILON = machine_epsilon()
STEP = EPSILON ** (1.0 / 3.0)  # the h of the central difference, for |p| <= 1
FLOOR = EPSILON ** 0.2  # 7.4e-4 for doubles: see relative_error
# The largest relative error of a correct backprop: 1e-6 with 64-bit floats,
# 1e-2 on boards whose floats are 32-bit.
TOLERANCE = 1e-6 if EPSILON < 1e-15 else 1e-2


def sample_loss(net, x, y):
    """L(a^L, y) for one sample, at the network's current weights."""
    return loss_value(net.loss, feedforward(net, x)[1][-1], y)


def central_difference(net, x, y, params, i):
    """(L(p + h) - L(p - h)) / 2h for p = params[i], which is restored afterwards."""
    p = params[i]
    h = STEP * max(1.0, abs(p))
    params[i] = p + h
    loss_plus = sample_loss(net, x, y)
    params[i] = p - h
    loss_minus = sample_loss(net, x, y)
    params[i] = p
    return (loss_plus - loss_minus) / (2.0 * h)


def numerical_gradient(net, x, y):
    """(gW, gb) by central differences: 2 forward passes per parameter."""
    gW = [[[central_difference(net, x, y, row, j) for j in range(len(row))] for row in W]
          for W in net.weights]
    gb = [[central_difference(net, x, y, b, i) for i in range(len(b))] for b in net.biases]
    return gW, gb


def relative_error(g, g_numerical):
    """|g - g_numerical| / max(|g|, |g_numerical|, FLOOR).

    A central difference is good to about eps^(2/3) (4e-11 for doubles, with a
    loss near 1) in absolute terms, so a gradient of 1e-8 can never be matched
    to 1e-6 of itself.  Gradients below FLOOR = eps^(1/5) (7.4e-4) are measured
    against FLOOR instead: the difference's own noise then stays under
    eps^(2/3) / eps^(1/5), about 5e-8, while a gradient that is wrong by more
    than 1e-6 FLOOR (7e-10) still shows.
    """
    return abs(g - g_numerical) / max(abs(g), abs(g_numerical), FLOOR)


def gradient_check(net, x, y):
    """The largest relative error between backprop and central differences over
    every weight and bias of net, for one sample (x, y).

    Below TOLERANCE (1e-6 with 64-bit floats) backprop is right; a wrong
    gradient shows as 1e-2 or more.
    """
    check_sample(net, x, y, "")
    gW, gb = net.backprop(x, y)
    nW, nb = numerical_gradient(net, x, y)
    worst = 0.0
    for l in range(len(gW)):
        for i in range(len(gW[l])):
            for j in range(len(gW[l][i])):
                worst = max(worst, relative_error(gW[l][i][j], nW[l][i][j]))
            worst = max(worst, relative_error(gb[l][i], nb[l][i]))
    return worst
