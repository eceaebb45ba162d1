"""One task for measuring MicroPython's heap: micropython -X heapsize=N examples/heap_task.py TASK

    xor             train [2, 4, 1] on XOR, 500 epochs, keeping the last epoch's record
    iris            train [4, 8, 3] on the bundled iris, 40 epochs, the same
    predict MODEL   load a [64, 32, 10] digits model and predict every bundled digit,
                    reading the CSV one line at a time
    rounds N        net.train(XOR, epochs=2500, lr=0.1, shuffle=False, history="all"),
                    N times in a row, as a benchmark loop runs it (each history kept
                    until the next is made)

Prints "ok" and what it reached; a heap too small ends in MemoryError.
examples/micropython_heap.py finds the smallest heap for each.
"""
import sys

HERE = __file__.replace("\\", "/").rsplit("/", 1)[0] if "/" in __file__.replace("\\", "/") else "."
sys.path.insert(0, HERE + "/..")

import tinybackprop as tb  # noqa: E402


def xor():
    samples = [([0.0, 0.0], [0.0]), ([0.0, 1.0], [1.0]), ([1.0, 0.0], [1.0]), ([1.0, 1.0], [0.0])]
    net = tb.Network([2, 4, 1], activations=["tanh", "sigmoid"], loss="binary_cross_entropy", seed=0)
    history = net.train(samples, epochs=500, lr=0.1, history="last")  # as on a board
    return "accuracy %.2f" % history[0]["accuracy"]


def iris():
    from tinybackprop.data.rows import (class_names, dataset_path, fit_scaling, load_classification,
                                   one_hot, standardise)
    xs, labels, _, _ = load_classification(dataset_path("iris"))
    classes = class_names(labels)
    scaling = fit_scaling(xs)
    samples = [(standardise(scaling, xs[k]), one_hot(classes.index(labels[k]), 3)) for k in range(len(xs))]
    xs = labels = None  # only the samples are needed from here on
    net = tb.Network([4, 8, 3], activations=["tanh", "softmax"], loss="cross_entropy", seed=0)
    history = net.train(samples, epochs=40, lr=0.02, history="last")
    return "accuracy %.2f" % history[0]["accuracy"]


def predict(model_path):
    from tinybackprop.data.rows import dataset_path, standardise, stream_rows
    from tinybackprop.data.model import load
    from tinybackprop.core.network import predicted_class
    model = load(model_path)  # the Network and its scaling: the estimators are more than a board needs
    right = total = 0
    for fields in stream_rows(dataset_path("digits"), 65):
        x = standardise(model.scaling, [float(v) for v in fields[:64]])
        a = model.network.predict(x)
        right += model.classes[predicted_class(a)] == int(fields[64])  # digits: stored as numbers
        total += 1
    return "%d of %d right" % (right, total)


def rounds(n):
    samples = [([0.0, 0.0], [0.0]), ([0.0, 1.0], [1.0]), ([1.0, 0.0], [1.0]), ([1.0, 1.0], [0.0])]
    history = None
    for _ in range(n):
        net = tb.Network([2, 8, 1], activations=["tanh", "sigmoid"], loss="binary_cross_entropy", seed=0)
        # every epoch's record (MicroPython's default call keeps the last one: this is harder)
        history = net.train(samples, epochs=2500, lr=0.1, shuffle=False, history="all")
    return "%d rounds, %d epochs each, accuracy %.2f" % (n, len(history), history[len(history) - 1]["accuracy"])


task = sys.argv[1]
result = xor() if task == "xor" else iris() if task == "iris" else rounds(int(sys.argv[2])) \
    if task == "rounds" else predict(sys.argv[2])
print("ok", task, result)
