"""5-fold cross-validation of `train`'s defaults, the table in the README:

    python examples/cross_validate.py [NAME ...] [--folds 5] [--seeds 1] [--with '{"lr": 0.01}']

NAME: iris, digits, auto_mpg (the bundled CSVs), moons (400 points of two
interleaving half circles, noise 0.15) and sine (200 noisy samples of sin x);
all five by default.  A NAME may also be any CSV file, FILE.csv or FILE.csv:TARGET
(read as `train FILE --target TARGET` reads it: the last column by default, missing
values filled in).  Each fold trains as `python -m tinybackprop train` does
(estimators.DEFAULTS, with the changes given to --with as JSON) on the other folds,
its preprocessing fitted on them only, and is measured on the fold: accuracy for
classes (folds stratified), RMSE for numbers.  Prints each fold and the mean.
--seeds N repeats it with seeds 0 to N-1 (each deals its own folds and draws its own
first weights) and prints the mean over them: a small set's figure moves with the seed
by more than most changes of a setting do.
"""
import json
import math
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from tinybackprop.front.cli.train import DEFAULTS, fit, rmse_of  # noqa: E402
from tinybackprop.data.rows import class_names, dataset_path  # noqa: E402
from tinybackprop.core.rng import Random  # noqa: E402
from tinybackprop.data.tables import make_table, read_table  # noqa: E402
from tinybackprop.data.toy import two_moons  # noqa: E402


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


def shuffled_folds(m, k, seed):
    """k lists of row indices: a seeded shuffle, dealt round-robin."""
    order = Random(seed).permutation(m)
    return [sorted(order[i::k]) for i in range(k)]


def moons():
    rows, labels = two_moons(400, 0.15, seed=1)  # as examples/two_moons.py draws them
    return make_table(["x1", "x2"], "moon", rows, labels, path="moons")


def sine():
    rng = Random(3)
    rows, ys = [], []
    for _ in range(200):
        x = rng.uniform(-math.pi, math.pi)
        rows.append([x])
        ys.append(math.sin(x) + 0.1 * rng.normal())
    return make_table(["x"], "y", rows, ys, kind="regression", path="sine")


DATA = {"iris": (lambda: read_table(dataset_path("iris")), {}),
        "digits": (lambda: read_table(dataset_path("digits")), {}),
        "auto_mpg": (lambda: read_table(dataset_path("auto_mpg"), ignore=["car_name"]), {"category": ["origin"]}),
        "moons": (moons, {}), "sine": (sine, {})}


def folds_of(table, k, seed):
    """k lists of row indices of the table: stratified for classes, else shuffled."""
    if table["classes"] is not None:
        return stratified_folds(table["labels"], k, seed)
    return shuffled_folds(len(table["rows"]), k, seed)


def table_of(name):
    """(table, the settings it needs) of a NAME (see the top)."""
    if name in DATA:
        make, needs = DATA[name]
        return make(), needs
    path, _, target = name.partition(".csv:")  # FILE.csv or FILE.csv:TARGET
    path = path if path.endswith(".csv") else path + ".csv"
    return read_table(path, target=target or None, missing="mean"), {}


def cross_validate(name, k, changes):
    table, needs = table_of(name)
    seed = changes.get("seed", DEFAULTS["seed"])
    folds = folds_of(table, k, seed)
    scores, epochs = [], []
    start = time.time()
    for i in range(k):
        test = folds[i]
        train = sorted(j for q in range(k) if q != i for j in folds[q])
        model, history, held_out = fit(table, train, test, **dict(needs, **changes))
        scores.append(held_out[1] if table["classes"] is not None else rmse_of(model, held_out[0]))
        epochs.append(len(history))
    what = "accuracy" if table["classes"] is not None else "RMSE"
    print("%s: seed %d, %d-fold %s %.3f (folds %s), epochs %s, %.0f s" % (
        name, seed, k, what, sum(scores) / k, " ".join("%.3f" % s for s in scores),
        " ".join(str(e) for e in epochs), time.time() - start))
    return sum(scores) / k


def main():
    args = sys.argv[1:]
    k, changes = 5, {}
    if "--folds" in args:
        k = int(args[args.index("--folds") + 1])
        del args[args.index("--folds"):args.index("--folds") + 2]
    if "--with" in args:
        changes = json.loads(args[args.index("--with") + 1])
        del args[args.index("--with"):args.index("--with") + 2]
    seeds = 1
    if "--seeds" in args:
        seeds = int(args[args.index("--seeds") + 1])
        del args[args.index("--seeds"):args.index("--seeds") + 2]
    for name in args or list(DATA):
        if seeds == 1:
            cross_validate(name, k, changes)
            continue
        means = [cross_validate(name, k, dict(changes, seed=s)) for s in range(seeds)]
        print("%s: mean over seeds 0-%d %.4f (lowest %.3f, highest %.3f)" % (
            name, seeds - 1, sum(means) / seeds, min(means), max(means)))


if __name__ == "__main__":
    main()
