"""Train fixed networks on iris with fixed seeds and print every weight: python tests/same_seed.py

Run by test_same_seed.py on every interpreter found (CPython, PyPy, MicroPython),
and by tools/board.py on the emulated board (where this module is frozen and the
flowers come from a frozen module instead of the CSV file); the printed weights
must agree to 1e-12 (where floats are 32-bit: to that width, see
test_same_seed.py).  Two networks, so that every activation and loss meets the
interpreter's math library: tanh/sigmoid/softmax with cross-entropy per sample,
and relu/leaky_relu/identity with mse in mini-batches.
"""
import sys

if "/" in __file__.replace("\\", "/"):
    sys.path.insert(0, __file__.replace("\\", "/").rsplit("/", 1)[0] + "/..")

import tinybackprop as tb  # noqa: E402
from tinybackprop.data.rows import class_names, fit_scaling, one_hot, standardise  # noqa: E402
from tinybackprop.core.floats import EPSILON  # noqa: E402


def iris_samples(xs, labels):
    """(x, y) pairs: the measurements standardised, the species one-hot."""
    classes = class_names(labels)
    scaling = fit_scaling(xs)
    return [(standardise(scaling, xs[k]), one_hot(classes.index(labels[k]), 3)) for k in range(len(xs))]


def trained_weights(samples):
    """Train the two networks on samples; every weight and bias of both, in order."""
    first = tb.Network([4, 6, 5, 3], activations=["tanh", "sigmoid", "softmax"],
                       loss="cross_entropy", seed=11)
    first.train(samples, epochs=5, lr=0.05, seed=3, history="none")
    second = tb.Network([4, 5, 4, 3], activations=["relu", "leaky_relu", "identity"],
                        loss="mse", seed=12)
    second.train(samples, epochs=5, lr=0.05, batch_size=7, seed=4, history="none")
    weights = []
    for net in (first, second):
        for l in range(len(net.weights)):
            for row in net.weights[l] + [net.biases[l]]:
                weights.extend(row)
    return weights


def show(weights):
    """Print the interpreter, its float width and the weights, one per line."""
    impl = sys.implementation
    print("interpreter: %s %s" % (impl.name, ".".join(str(v) for v in impl.version[:3])))
    print("epsilon: %r" % EPSILON)
    for w in weights:
        print(repr(w))


def main():
    from tinybackprop.data.rows import dataset_path, load_classification
    xs, labels, _, _ = load_classification(dataset_path("iris"))
    show(trained_weights(iris_samples(xs, labels)))


if __name__ == "__main__":
    main()
