"""Stratified k-fold cross-validation with the command line's defaults:

    python examples/cross_validate.py [DATA.csv ...] [--folds 5]

By default the bundled iris and digits.  Each
fold trains `python -m tinybackprop train`'s default network (DEFAULTS and
default_epochs in tinybackprop/cli.py) on the other folds, with scaling from them
only, and measures the accuracy on the fold.  Prints each fold and the mean.
"""
import os
import sys
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, ROOT)

from tinybackprop.cli import DEFAULTS, default_epochs, fit  # noqa: E402
from tinybackprop.data import class_names, dataset_path  # noqa: E402
from tinybackprop.tables import read_table  # noqa: E402
from tinybackprop.rng import Random  # noqa: E402


def stratified_folds(labels, k, seed):
    """k lists of row indices; each class dealt round-robin after a seeded shuffle."""
    rng = Random(seed)
    folds = [[] for _ in range(k)]
    dealt = 0
    for name in class_names(labels):
        members = [i for i in range(len(labels)) if labels[i] == name]
        order = rng.permutation(len(members))
        for r in range(len(members)):
            folds[(dealt + r) % k].append(members[order[r]])
        dealt += len(members)
    return [sorted(fold) for fold in folds]


def cross_validate(path, k):
    table = read_table(path)
    folds = stratified_folds(table["labels"], k, DEFAULTS["seed"])
    accuracies = []
    start = time.time()
    for i in range(k):
        test = folds[i]
        train = sorted(j for q in range(k) if q != i for j in folds[q])
        net, history = fit(table, train, test, DEFAULTS["hidden"], DEFAULTS["activation"],
                           default_epochs(len(train)), DEFAULTS["lr"], DEFAULTS["batch_size"],
                           DEFAULTS["seed"])
        accuracies.append(history[-1]["val_accuracy"])
    mean = sum(accuracies) / k
    print("%s: %d-fold accuracy %.3f (folds %s), %d epochs, %.0f s" % (
        os.path.basename(path), k, mean, " ".join("%.3f" % a for a in accuracies),
        default_epochs(len(train)), time.time() - start))
    return mean


def main():
    args = sys.argv[1:]
    k = 5
    if "--folds" in args:
        k = int(args[args.index("--folds") + 1])
        del args[args.index("--folds"):args.index("--folds") + 2]
    if not args:
        args = [dataset_path(name) for name in ("iris", "digits")]
    for path in args:
        cross_validate(path, k)


main()
