"""Miles per gallon from a car's figures: a regression on a real table, with the estimator.

    python examples/auto_mpg.py [--folds 5]

auto_mpg.csv (UCI, 392 cars) has a text column that names each car (`car_name`:
left out), a region coded 1, 2, 3 (`origin`: a category, one input per region)
and the target `mpg`.  tb.Regressor with its defaults is trained on four fifths
of the cars and measured on the rest, five times (shuffled folds, seed 0); the
RMSE is in miles per gallon.  The same protocol with scikit-learn (KFold shuffled,
random_state=0; the datasets' README) gives LinearRegression 3.39, MLPRegressor 2.73.
"""
import csv
import math
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import tinybackprop as tb  # noqa: E402
from tinybackprop.data.rows import dataset_path  # noqa: E402
from tinybackprop.core.rng import Random  # noqa: E402


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, rows = rows[0], rows[1:]
    keep = [j for j in range(len(header)) if header[j] not in ("car_name", "mpg")]
    X = [[row[j] for j in keep] for row in rows]
    y = [float(row[header.index("mpg")]) for row in rows]
    return [header[j] for j in keep], X, y


def folds_of(m, k, seed):
    """k lists of row indices: a seeded shuffle, dealt round-robin."""
    order = Random(seed).permutation(m)
    return [sorted(order[i::k]) for i in range(k)]


def main():
    k = int(sys.argv[sys.argv.index("--folds") + 1]) if "--folds" in sys.argv else 5
    names, X, y = read(dataset_path("auto_mpg"))
    errors = []
    start = time.time()
    for test in folds_of(len(X), k, 0):
        train = [i for i in range(len(X)) if i not in test]
        model = tb.Regressor(category=["origin"])
        model.fit([X[i] for i in train], [y[i] for i in train], feature_names=names)
        predicted = model.predict([X[i] for i in test])
        errors.append(math.sqrt(sum((p - y[i]) ** 2 for p, i in zip(predicted, test)) / len(test)))
    print("auto_mpg: %d-fold RMSE %.2f mpg (folds %s), tb.Regressor(category=['origin']), %.0f s"
          % (k, sum(errors) / k, " ".join("%.2f" % e for e in errors), time.time() - start))
    print("scikit-learn, the same protocol: LinearRegression 3.39, MLPRegressor 2.73")


main()
