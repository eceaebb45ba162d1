"""Train fixed networks on iris with fixed seeds and print every weight: python tests/same_seed.py

Run by test_same_seed.py on every interpreter found (CPython, PyPy, MicroPython);
the printed weights must agree to 1e-12 (where floats are 32-bit: to that width,
see test_same_seed.py).  Two networks, so that every activation
and loss meets the interpreter's math library: tanh/sigmoid/softmax with
cross-entropy per sample, and relu/leaky_relu/identity with mse in mini-batches.
"""
import sys

HERE = __file__.replace("\\", "/").rsplit("/", 1)[0] if "/" in __file__.replace("\\", "/") else "."
sys.path.insert(0, HERE + "/..")

import tinybackprop as tb  # noqa: E402
from tinybackprop.floats import EPSILON  # noqa: E402
from tinybackprop.data import (class_names, dataset_path, fit_scaling, load_classification,  # noqa: E402
                               one_hot, scale)


def main():
    xs, labels, _, _ = load_classification(dataset_path("iris"))
    classes = class_names(labels)
    scaling = fit_scaling(xs)
    samples = [(scale(scaling, xs[k]), one_hot(classes.index(labels[k]), 3)) for k in range(len(xs))]
    first = tb.Network([4, 6, 5, 3], activations=["tanh", "sigmoid", "softmax"],
                       loss="cross_entropy", seed=11)
    first.train(samples, epochs=5, lr=0.05, seed=3)
    second = tb.Network([4, 5, 4, 3], activations=["relu", "leaky_relu", "identity"],
                        loss="mse", seed=12)
    second.train(samples, epochs=5, lr=0.05, batch_size=7, seed=4)
    impl = sys.implementation
    print("interpreter: %s %s" % (impl.name, ".".join(str(v) for v in impl.version[:3])))
    print("epsilon: %r" % EPSILON)
    for net in (first, second):
        for l in range(len(net.weights)):
            for row in net.weights[l] + [net.biases[l]]:
                for w in row:
                    print(repr(w))


main()
