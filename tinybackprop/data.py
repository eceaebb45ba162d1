"""Data sets: reading a CSV, a stratified split, input scaling, one-hot targets.

Not part of the numeric core: the command line, the examples and the tests use
it.  It uses the ``csv`` module where there is one (CPython, PyPy) and a plain
comma split where there is not (MicroPython), which is enough for numbers and
unquoted labels.
"""
import math
import os

from .errors import TinyBackpropError
from .files import check_input
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
    """(header, rows) of a CSV file: the first non-blank line's column names, and an
    iterator of (line number, fields) over the rows after it, read one line at a time
    (a big file is never held whole; line numbers count records from 1).

    Blank lines are skipped.  A row with another number of fields than the header,
    bytes that are not UTF-8 or a broken quote raise TinyBackpropError naming the
    file and line when the iteration reaches them; so does a file without a row.
    A path that is not a regular file (a device such as /dev/zero, a FIFO, a
    folder) is refused before anything is read.
    """
    check_input(path, "CSV file")
    f = _open_text(path)
    records = _records(f, path)
    header = None
    for number, fields in records:
        header = fields
        break
    if header is None:
        f.close()
        raise TinyBackpropError("%s: no data: a header line and at least one row are needed" % path)
    if header[0].startswith("\ufeff"):  # a byte-order mark, as some editors write
        header[0] = header[0][1:]
    return header, _rows(f, records, header, path)


def _open_text(path):
    try:
        return open(path, encoding="utf-8")
    except TypeError:  # MicroPython's open takes no encoding: it reads UTF-8 anyway
        return open(path)


def _records(f, path):
    """(record number, stripped fields) of each non-blank record of the open file f."""
    reader = csv.reader(f) if csv is not None else (line.rstrip("\r\n").split(",") for line in f)
    number = 0
    try:
        for record in reader:
            number += 1
            fields = [field.strip() for field in record]
            if fields != [] and fields != [""]:
                yield number, fields
    except UnicodeDecodeError as e:
        raise TinyBackpropError("%s: not a text file (%s); save it as UTF-8 CSV" % (path, e.reason))
    except Exception as e:  # csv.Error: a NUL byte, an unclosed quote at the end
        if csv is None or not isinstance(e, csv.Error):
            raise
        raise TinyBackpropError("%s, line %d: %s; is it a CSV file?" % (path, number + 1, e))


def _rows(f, records, header, path):
    """The data rows after the header, checked for their number of fields; closes f."""
    try:
        count = 0
        for number, fields in records:
            if len(fields) != len(header):
                raise TinyBackpropError("%s, line %d: %d fields, but the header has %d; every row "
                                        "needs one value per column" % (path, number, len(fields), len(header)))
            count += 1
            yield number, fields
        if count == 0:
            raise TinyBackpropError("%s: no data: a header line and at least one row are needed" % path)
    finally:
        f.close()


def stream_rows(path, n_fields):
    """Each data row of a CSV as its list of n_fields strings, read one line at a time
    and kept by nobody: for big files on small heaps.  Skips the header and lines with
    fewer fields; plain comma split, so no quoted fields."""
    with open(path) as f:
        f.readline()  # the header
        for line in f:
            fields = line.rstrip("\r\n").split(",")
            if len(fields) >= n_fields:
                yield fields


def number(path, line, column, text):
    """float(text), or TinyBackpropError naming the file, line and column."""
    try:
        value = float(text)
    except ValueError:
        raise TinyBackpropError("%s, line %d, column %r: %r is not a number; this column "
                                "must hold numbers" % (path, line, column, text))
    if not math.isfinite(value):
        raise TinyBackpropError("%s, line %d, column %r: %r is not a finite number; remove "
                                "or fill in that value" % (path, line, column, text))
    return value


MAX_INTEGER_CLASSES = 10  # numeric targets with at most this many integer values are classes


def read_table(path, target=None, regression=False):
    """A CSV as a data set: a dict with

    features  the feature column names;  target  the target column's name
    xs        one list of floats per row;  lines  each row's line number
    labels    each row's target as text
    classes   the sorted class names, or None for regression
    ys        each row's target as a float (regression), else None

    The target is the last column unless named.  It is a class label when it
    holds text, or at most MAX_INTEGER_CLASSES distinct integers; otherwise,
    or with regression=True, a number to predict.
    """
    header, rows = read_csv(path)
    if target is None:
        t = len(header) - 1
    elif target in header:
        t = header.index(target)
    else:
        rows.close()
        raise TinyBackpropError("%s: no column named %r; the columns are %s"
                                % (path, target, ", ".join(header)))
    if len(header) < 2:
        rows.close()
        raise TinyBackpropError("%s: only one column (%r): features and a target are needed"
                                % (path, header[0]))
    features = [header[j] for j in range(len(header)) if j != t]
    xs, lines, labels = [], [], []
    for line, fields in rows:
        xs.append([number(path, line, header[j], fields[j]) for j in range(len(header)) if j != t])
        lines.append(line)
        labels.append(fields[t])
    values = []
    for k in range(len(labels)):
        try:
            values.append(float(labels[k]))
        except ValueError:
            if regression:
                number(path, lines[k], header[t], labels[k])  # raises, naming the place
            values = None
            break
    if values is not None:
        for k in range(len(values)):
            if not math.isfinite(values[k]):
                number(path, lines[k], header[t], labels[k])
    if regression or (values is not None and not is_few_integers(values)):
        return {"features": features, "target": header[t], "xs": xs, "lines": lines,
                "labels": labels, "classes": None, "ys": values}
    classes = class_names(labels)
    if len(classes) < 2:
        raise TinyBackpropError("%s: the target column %r holds one class only (%r); a "
                                "classifier needs at least two" % (path, header[t], classes[0]))
    return {"features": features, "target": header[t], "xs": xs, "lines": lines,
            "labels": labels, "classes": classes, "ys": None}


def is_few_integers(values):
    """Are values all integers, with at most MAX_INTEGER_CLASSES distinct ones?"""
    distinct = set()
    for v in values:
        if v != int(v):
            return False
        distinct.add(v)
        if len(distinct) > MAX_INTEGER_CLASSES:
            return False
    return True


def load_classification(path):
    """(xs, labels, feature_names, target_name) from a CSV whose last column is the class."""
    table = read_table(path)
    if table["classes"] is None:
        raise TinyBackpropError("%s: the last column %r does not hold class labels"
                                % (path, table["target"]))
    return table["xs"], table["labels"], table["features"], table["target"]


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
    mean, std = [], []
    for j in range(n):
        # In units of the column's largest |x|, so that no sum or square can overflow
        # for any finite numbers (1e200 squared would).
        unit = max(abs(x[j]) for x in xs)
        if unit == 0.0:
            mean.append(0.0)
            std.append(1.0)
            continue
        mean_j = sum(x[j] / unit for x in xs) / m  # in [-1, 1]
        var_j = sum((x[j] / unit - mean_j) * (x[j] / unit - mean_j) for x in xs) / m  # in [0, 4]
        mean.append(mean_j * unit)
        std_j = math.sqrt(var_j) * unit  # at most unit: values in [-unit, unit] spread no wider
        std.append(std_j if std_j > 0.0 else 1.0)
    return {"mean": mean, "std": std}


def standardise(scaling, x):
    """x standardised: (x_j - mean_j) / std_j, a new list.

    Where x_j and the mean are too far apart for their difference to be a float
    (1.7e308 - -1e308), both are halved first; a result that still does not fit
    raises TinyBackpropError.
    """
    out = []
    for x_j, m_j, s_j in zip(x, scaling["mean"], scaling["std"]):
        d = x_j - m_j
        if math.isfinite(d):
            out.append(d / s_j)
        else:
            out.append((x_j / 2.0 - m_j / 2.0) / s_j * 2.0)
        if not math.isfinite(out[len(out) - 1]):
            raise TinyBackpropError("%r is too far from its column's mean (%r) for its spread (%r) to "
                                    "be standardised as a float; scale that column down" % (x_j, m_j, s_j))
    return out
