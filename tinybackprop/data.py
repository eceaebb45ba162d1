"""Data sets: reading a CSV, a stratified split, input scaling, one-hot targets.

Not part of the numeric core: the command line, the examples and the tests use
it.  It uses the ``csv`` module where there is one (CPython, PyPy) and a plain
comma split where there is not (MicroPython), which is enough for numbers and
unquoted labels.
"""
import math
import os

from .errors import TinyBackpropError
from .rng import Random

try:
    import csv
except ImportError:
    csv = None

if hasattr(os, "path"):
    DATASETS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "datasets")
else:  # MicroPython has no os.path
    DATASETS = __file__.rsplit("/", 1)[0] + "/datasets"


def dataset_path(name):
    """The path of a bundled data set: "iris" or "digits" (see datasets/README.md)."""
    return DATASETS + "/" + name + ".csv"


def read_csv(path):
    """(header, rows): the first line's column names, then each row's fields as strings.

    Blank lines are skipped; a row with another number of fields than the
    header raises TinyBackpropError naming the file and line.
    """
    with open(path) as f:
        if csv is not None:
            lines = list(csv.reader(f))
        else:
            lines = [line.rstrip("\r\n").split(",") for line in f]
    header, rows = None, []
    for number in range(1, len(lines) + 1):
        fields = [field.strip() for field in lines[number - 1]]
        if fields == [] or fields == [""]:
            continue
        if header is None:
            header = fields
        elif len(fields) != len(header):
            raise TinyBackpropError("%s, line %d: %d fields, but the header has %d"
                                    % (path, number, len(fields), len(header)))
        else:
            rows.append((number, fields))
    if header is None or not rows:
        raise TinyBackpropError("%s: no data: a header line and at least one row are needed" % path)
    return header, rows


def load_classification(path):
    """(xs, labels, feature_names, target_name) from a CSV whose last column is the class.

    xs is a list of lists of floats; labels the class of each row, as text.
    """
    header, rows = read_csv(path)
    xs, labels = [], []
    for number, fields in rows:
        x = []
        for j in range(len(header) - 1):
            try:
                value = float(fields[j])
            except ValueError:
                value = float("nan")
            if not math.isfinite(value):
                raise TinyBackpropError("%s, line %d, column %r: %r is not a finite number"
                                        % (path, number, header[j], fields[j]))
            x.append(value)
        xs.append(x)
        labels.append(fields[-1])
    return xs, labels, header[:-1], header[-1]


def class_names(labels):
    """The distinct labels, sorted (numerically when they are all numbers)."""
    names = sorted(set(labels))
    try:
        return sorted(names, key=float)
    except ValueError:
        return names


def one_hot(k, n):
    """A list of n numbers, 1.0 at index k and 0.0 elsewhere."""
    y = [0.0] * n
    y[k] = 1.0
    return y


def stratified_split(labels, test_fraction, seed=0):
    """(train, test): index lists that keep each class's share in both parts.

    Each class's indices are shuffled with ``Random(seed)`` and round(test_fraction
    * count) of them go to the test part.  Both lists come back sorted.
    """
    rng = Random(seed)
    train, test = [], []
    for name in class_names(labels):
        members = [k for k in range(len(labels)) if labels[k] == name]
        order = rng.permutation(len(members))
        n_test = int(round(test_fraction * len(members)))
        test += [members[order[i]] for i in range(n_test)]
        train += [members[order[i]] for i in range(n_test, len(members))]
    return sorted(train), sorted(test)


def fit_scaling(xs):
    """{"mean": [...], "std": [...]} of each column of xs (population std).

    A constant column gets std 1.0, so scaling leaves it at 0 instead of dividing by 0.
    """
    m, n = len(xs), len(xs[0])
    mean = [sum(x[j] for x in xs) / m for j in range(n)]
    std = []
    for j in range(n):
        var = sum((x[j] - mean[j]) ** 2 for x in xs) / m
        std.append(math.sqrt(var) if var > 0.0 else 1.0)
    return {"mean": mean, "std": std}


def scale(scaling, x):
    """x standardised: (x_j - mean_j) / std_j, a new list."""
    return [(x_j - m_j) / s_j for x_j, m_j, s_j in zip(x, scaling["mean"], scaling["std"])]
