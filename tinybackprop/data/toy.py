"""Small generated data sets of two inputs, for pictures, examples and the playground.

Each returns (xs, labels): n points as [x1, x2] and their class names, drawn with the
library's own seeded generator (core.rng), so one seed gives the same points on every
interpreter.  Classes alternate point by point (even k: the first class), so any first
part of the list holds both.

>>> xs, labels = two_moons(4, 0.0, seed=1)
>>> labels
['upper', 'lower', 'upper', 'lower']
>>> round(xs[0][0] ** 2 + xs[0][1] ** 2, 12)  # an upper point, without noise: on the unit circle
1.0
"""
import math

from ..core.rng import Random

# XOR's four points in the usual order, and their classes (targets [0] and [1]).
XOR_XS = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
XOR_LABELS = ["0", "1", "1", "0"]


def two_moons(n, noise, seed):
    """n points on two interleaving half circles, the upper (class "upper") of radius 1
    about (0, 0), the lower one about (1, 0.5); each coordinate plus noise times a
    normal draw."""
    rng = Random(seed)
    xs, labels = [], []
    for k in range(n):
        t = math.pi * rng.random()  # the angle along the half circle, in [0, pi)
        if k % 2 == 0:
            x = [math.cos(t), math.sin(t)]
        else:
            x = [1.0 - math.cos(t), 0.5 - math.sin(t)]
        xs.append([x[0] + noise * rng.normal(), x[1] + noise * rng.normal()])
        labels.append("upper" if k % 2 == 0 else "lower")
    return xs, labels


def circles(n, noise, seed, inner=0.5):
    """n points on two circles about (0, 0): radius inner (class "inner") and radius 1
    (class "outer"), each coordinate plus noise times a normal draw."""
    rng = Random(seed)
    xs, labels = [], []
    for k in range(n):
        t = 2.0 * math.pi * rng.random()
        r = inner if k % 2 == 0 else 1.0
        xs.append([r * math.cos(t) + noise * rng.normal(), r * math.sin(t) + noise * rng.normal()])
        labels.append("inner" if k % 2 == 0 else "outer")
    return xs, labels


def spirals(n, noise, seed, turns=1.5):
    """n points on two spiral arms about (0, 0), each turning `turns` times outward to
    radius 1, the second (class "b") the first (class "a") turned by half a circle;
    each coordinate plus noise times a normal draw."""
    rng = Random(seed)
    xs, labels = [], []
    for k in range(n):
        s = rng.random()  # how far out along the arm, in [0, 1)
        t = 2.0 * math.pi * turns * s + (0.0 if k % 2 == 0 else math.pi)
        xs.append([s * math.cos(t) + noise * rng.normal(), s * math.sin(t) + noise * rng.normal()])
        labels.append("a" if k % 2 == 0 else "b")
    return xs, labels
