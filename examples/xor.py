"""XOR, the classic problem a single layer cannot learn: python examples/xor.py

A [2, 4, 1] network (tanh, then a sigmoid output with binary cross-entropy),
per-sample SGD, 500 epochs.  Prints each input with its output.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import tinybackprop as tb  # noqa: E402

samples = [([0.0, 0.0], [0.0]), ([0.0, 1.0], [1.0]), ([1.0, 0.0], [1.0]), ([1.0, 1.0], [0.0])]
net = tb.Network([2, 4, 1], activations=["tanh", "sigmoid"], loss="binary_cross_entropy", seed=0)
history = net.train(samples, epochs=500, lr=0.1)
for x, y in samples:
    print("%s -> %.3f (target %.0f)" % (x, net.predict(x)[0], y[0]))
print("XOR: accuracy %.2f, mean loss %.4f after %d epochs"
      % (history[-1]["accuracy"], history[-1]["loss"], len(history)))
