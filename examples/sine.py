"""Regression: learn y = sin(x) on [-pi, pi] from noisy samples: python examples/sine.py

200 samples with noise of standard deviation 0.1, a [1, 16, 1] network (tanh,
identity output, mse), per-sample SGD.  Prints the RMSE against the noiseless
curve (the noise alone would give 0.1 against the samples).
"""
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import tinybackprop as tb  # noqa: E402
from tinybackprop.core.rng import Random  # noqa: E402

rng = Random(3)
samples = []
for _ in range(200):
    x = rng.uniform(-math.pi, math.pi)
    samples.append(([x / math.pi], [math.sin(x) + 0.1 * rng.normal()]))  # x scaled to [-1, 1]
net = tb.Network([1, 16, 1], activations=["tanh", "identity"], loss="mse", seed=0)
history = net.train(samples, epochs=300, lr=0.02)
grid = [-math.pi + 2 * math.pi * k / 100 for k in range(101)]
rmse = math.sqrt(sum((net.predict([x / math.pi])[0] - math.sin(x)) ** 2 for x in grid) / len(grid))
for x in (-math.pi / 2, 0.0, math.pi / 2):
    print("sin(%+.3f) = %+.3f, network %+.3f" % (x, math.sin(x), net.predict([x / math.pi])[0]))
print("sine: RMSE %.3f against sin(x) on 101 points, after %d epochs (training loss %.4f)"
      % (rmse, len(history), history[-1]["loss"]))
