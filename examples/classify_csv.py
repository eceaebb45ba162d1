"""Shared by iris.py and digits.py: train the command line's default network on a
bundled CSV with a stratified 80/20 split, and print the held-out accuracy."""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from tinybackprop.front.cli.train import DEFAULTS, fit, split  # noqa: E402
from tinybackprop.data.rows import dataset_path  # noqa: E402
from tinybackprop.data.tables import read_table  # noqa: E402


def classify(name):
    table = read_table(dataset_path(name))
    train_rows, test_rows = split(table, DEFAULTS["test_split"], DEFAULTS["seed"])
    start = time.time()
    model, history, held_out = fit(table, train_rows, test_rows)  # train's defaults
    net = model.network
    accuracy = held_out[1]
    epochs = len(history)
    print("%s: %r, %d epochs in %.1f s" % (name, net, epochs, time.time() - start))
    print("%s: held-out accuracy %.3f (%d of %d)" % (name, accuracy, round(accuracy * len(test_rows)),
                                                    len(test_rows)))
    return net, accuracy
