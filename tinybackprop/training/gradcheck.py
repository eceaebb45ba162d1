"""The gradient check: backprop against central finite differences.

For every weight and bias p, the "naive way" of the article:

    dL/dp ~ (L(p + h) - L(p - h)) / (2h)

costs two forward passes per parameter, where backprop gives all of them for
about the price of one more pass.  Central differences err by about
h^2 |L'''| (truncation) plus eps |L| / h (rounding), smallest near
h = eps^(1/3): 6e-6 for 64-bit floats, 5e-3 for 32-bit ones.  The float width
is measured (``tinybackprop.core.floats``), not assumed, so the check suits
32-bit-float boards too.

relu and leaky_relu have a kink at z = 0, where the derivative jumps: a
difference whose two passes put some z^l_i on different sides of 0 measures the
jump, not the gradient.  Such a step is shrunk until both passes stay on the
side of every kink that the point itself is on.
"""
from ..core.floats import EPSILON
from ..core.backprop import feedforward
from ..core.checks import check_sample
from ..core.losses import loss_value

STEP = EPSILON ** (1.0 / 3.0)  # the h of the central difference, for |p| <= 1
FLOOR = EPSILON ** 0.2  # 7.4e-4 for doubles: see relative_error
NOISE = EPSILON ** (2.0 / 3.0) / FLOOR  # a correct difference's relative error: 5e-8, or 6e-4 (singles)
TOLERANCE = 20 * NOISE  # the largest relative error of a correct backprop: 1e-6, or 1.2e-2 (singles)
KINKED = ("relu", "leaky_relu")  # activations whose derivative jumps at z = 0
SHRINK = 4  # a step that crosses a kink is divided by this, down to MIN_STEP
MIN_STEP = EPSILON ** 0.5


def loss_and_sides(net, x, y):
    """L(a^L, y) for one sample at the network's current weights, and on which side
    of 0 each z^l_i of a relu or leaky_relu layer lies (a list of lists of bools)."""
    z, a = feedforward(net, x)
    sides = [[z_i > 0.0 for z_i in z[l]] for l in range(1, len(z)) if net.activations[l - 1] in KINKED]
    return loss_value(net.loss, a[len(a) - 1], y), sides


def central_difference(net, x, y, params, i, sides):
    """(L(p + h) - L(p - h)) / 2h for p = params[i], which is restored afterwards;
    sides are the kinks' sides at p (see loss_and_sides)."""
    p = params[i]
    h = STEP * max(1.0, abs(p))
    while True:
        params[i] = p + h
        loss_plus, sides_plus = loss_and_sides(net, x, y)
        params[i] = p - h
        loss_minus, sides_minus = loss_and_sides(net, x, y)
        params[i] = p
        if (sides_plus == sides and sides_minus == sides) or h < MIN_STEP:
            return (loss_plus - loss_minus) / (2.0 * h)
        h /= SHRINK  # a kink lies within h of p: step inside it


def numerical_gradient(net, x, y):
    """(gW, gb) by central differences: 2 forward passes per parameter (more where
    a step must shrink to stay clear of a relu's kink)."""
    sides = loss_and_sides(net, x, y)[1]
    gW = [[[central_difference(net, x, y, row, j, sides) for j in range(len(row))] for row in W]
          for W in net.weights]
    gb = [[central_difference(net, x, y, b, i, sides) for i in range(len(b))] for b in net.biases]
    return gW, gb


def relative_error(g, g_numerical):
    """|g - g_numerical| / max(|g|, |g_numerical|, FLOOR).

    A central difference is good to about eps^(2/3) (4e-11 for doubles, with a
    loss near 1) in absolute terms, so a gradient of 1e-8 can never be matched
    to 1e-6 of itself.  Gradients below FLOOR = eps^(1/5) (7.4e-4) are measured
    against FLOOR instead: the difference's own noise then stays under NOISE =
    eps^(2/3) / eps^(1/5), about 5e-8, while a gradient that is wrong by more
    than TOLERANCE FLOOR (7e-10) still shows.  (For 32-bit floats: FLOOR 0.041,
    NOISE 6e-4.)
    """
    return abs(g - g_numerical) / max(abs(g), abs(g_numerical), FLOOR)


def gradient_check(net, x, y):
    """The largest relative error between backprop and central differences over
    every weight and bias of net, for one sample (x, y).

    Below TOLERANCE (1e-6 with 64-bit floats, 1.2e-2 with 32-bit ones) backprop
    is right; a wrong gradient shows far above it.
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
