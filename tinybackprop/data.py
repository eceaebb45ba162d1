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


DELIMITERS = (",", ";", "\t", "|")  # the separators read_csv recognises, in order of preference


def read_csv(path, delimiter=None):
    """(header, rows) of a CSV file: the first non-blank line's column names, and an
    iterator of (line number, fields) over the rows after it, read one line at a time
    (a big file is never held whole; line numbers count records from 1).

    The file is read as UTF-8 whatever the locale (a byte-order mark is dropped);
    path "-" is standard input.  The delimiter is the one given, or the first of
    DELIMITERS that is most frequent in the header line.  Blank lines are skipped.  A
    row with another number of fields than the header, bytes that are not UTF-8 or a
    broken quote raise TinyBackpropError naming the file and line when the iteration
    reaches them; so does a file without a row.  A path that is not a regular file (a
    device such as /dev/zero, a FIFO, a folder) is refused before anything is read.
    """
    if path != "-":
        check_input(path, "CSV file")
    f = _open_bytes(path)
    lines = _decoded(f, path)
    try:
        first = ""
        for first in lines:
            if first.strip() != "":
                break
        if first.startswith("\ufeff"):  # a byte-order mark, as some editors write
            first = first[1:]
        if delimiter is None:
            delimiter = _delimiter_of(first)
        header = None
        records = _records(first, lines, path, delimiter)
        for number, fields in records:
            header = fields
            break
    except BaseException:
        f.close()
        raise
    if header is None:
        f.close()
        raise TinyBackpropError("%s: no data: a header line and at least one row are needed" % path)
    return header, _rows(f, records, header, path)


def _delimiter_of(line):
    """The most frequent of DELIMITERS in a header line (outside quotes); "," when none is there."""
    outside = "".join(line.split('"')[0::2])
    best = ","
    for d in DELIMITERS:
        if outside.count(d) > outside.count(best):
            best = d
    return best


def _open_bytes(path):
    """The file as bytes: each line is decoded as UTF-8 on its own (``_decoded``), so
    that the locale plays no part and an error names its line."""
    if path == "-":
        import sys
        return sys.stdin.buffer if hasattr(sys.stdin, "buffer") else sys.stdin
    return open(path, "rb")


def _decoded(f, path):
    """Each line of the binary file f as text, or TinyBackpropError at the first line
    that is not UTF-8."""
    number = 0
    for line in f:
        number += 1
        if isinstance(line, str):  # MicroPython's stdin gives text
            yield line
            continue
        try:
            yield line.decode("utf-8")
        except UnicodeError:
            raise TinyBackpropError("%s, line %d: bytes that are not UTF-8 text; save the file "
                                    "as UTF-8" % (path, number))


def _records(first, lines, path, delimiter):
    """(record number, stripped fields) of each non-blank record: the line first, then
    the rest of the text lines."""
    lines = _then(first, lines)
    if csv is not None:
        reader = csv.reader(lines, delimiter=delimiter)
    else:
        reader = (line.rstrip("\r\n").split(delimiter) for line in lines)
    number = 0
    try:
        for record in reader:
            number += 1
            fields = [field.strip() for field in record]
            if fields != [] and fields != [""]:
                yield number, fields
    except Exception as e:  # csv.Error: a NUL byte, an unclosed quote at the end
        if csv is None or not isinstance(e, csv.Error):
            raise
        raise TinyBackpropError("%s, line %d: %s; is it a CSV file?" % (path, number + 1, e))


def _then(first, lines):
    if first != "":
        yield first
    for line in lines:
        yield line


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


def read_table(path, target=None, features=None, ignore=None, id=None, kind=None,
               missing="error", delimiter=None, decimal="."):
    """A CSV file as a data set, its values as the raw texts: a dict with

    features  the feature column names      rows    each row's feature values
    target    the target column's name      targets each row's target value
    lines     each row's line number        ids     each row's id (None without id)
    kind      "classification" or "regression"
    classes   the sorted class labels (None for a regression); labels: each row's
              label as the model stores it (numbers as numbers: "0.0" and "0" are 0)
    ys        each row's target as a float (a regression; else None)
    dropped   how many rows were left out for a missing value (missing="drop")

    The target is the last column unless named; the features are the other columns,
    or only those named in features, less those in ignore and the id column.  kind
    None decides from the target (``preprocess.target_kind``).  missing says what a
    missing value does: "error" (the default) and "mean" keep the rows (a missing
    feature is then an error or filled in by ``preprocess``), "drop" leaves out every
    row with one.  A missing target is an error unless missing is "drop".
    """
    from . import preprocess as pp  # here, not above: a board reading numbers only never needs it
    if missing not in pp.MISSING_RULES:
        raise TinyBackpropError("missing is %r: give one of %s" % (missing, ", ".join(pp.MISSING_RULES)))
    header, rows = read_csv(path, delimiter)
    try:
        pp.check_names(header, path)
        if len(header) < 2:
            raise TinyBackpropError("%s: only one column (%r): features and a target are needed; is "
                                    "the delimiter right (--delimiter)?" % (path, header[0]))
        t = _column(header, target, path, "--target") if target is not None else len(header) - 1
        i = _column(header, id, path, "--id") if id is not None else None
        if features is not None:
            chosen = [_column(header, name, path, "--features") for name in features]
        else:
            chosen = list(range(len(header)))
        left_out = [_column(header, name, path, "--ignore") for name in (ignore or [])]
        chosen = [j for j in chosen if j != t and j != i and j not in left_out]
        if t == i:
            raise TinyBackpropError("%s: %r is both the target and the id column" % (path, header[t]))
        if not chosen:
            raise TinyBackpropError("%s: no feature column is left (target %r)" % (path, header[t]))
        table = {"path": path, "features": [header[j] for j in chosen], "target": header[t],
                 "rows": [], "targets": [], "lines": [], "ids": None if i is None else [], "dropped": 0}
        for line, fields in rows:
            if missing == "drop" and (pp.is_missing(fields[t]) or
                                      any(pp.is_missing(fields[j]) for j in chosen)):
                table["dropped"] += 1
                continue
            if pp.is_missing(fields[t]):
                raise TinyBackpropError("%s, line %d, column %r: the target is missing (%r); fill it "
                                        "in, or leave such rows out (--missing drop)"
                                        % (path, line, header[t], fields[t]))
            table["rows"].append([fields[j] for j in chosen])
            table["targets"].append(fields[t])
            table["lines"].append(line)
            if i is not None:
                table["ids"].append(fields[i])
    finally:
        rows.close()
    if not table["rows"]:
        raise TinyBackpropError("%s: every row has a missing value: none is left (--missing drop)" % path)
    if missing == "error":
        gaps = [(table["lines"][k], table["features"][j]) for k in range(len(table["rows"]))
                for j in range(len(table["features"])) if pp.is_missing(table["rows"][k][j])]
        if gaps:
            raise TinyBackpropError("%s: %d missing value%s (%s%s); fill them in, leave those rows out "
                                    "(--missing drop) or fill in the training mean (--missing mean)" % (
                                        path, len(gaps), "" if len(gaps) == 1 else "s",
                                        ", ".join("line %d column %r" % gap for gap in gaps[:3]),
                                        ", ..." if len(gaps) > 3 else ""))
    return with_targets(table, kind, decimal)


def make_table(features, target, rows, targets, kind=None, path="<data>"):
    """A table as read_table makes it, from rows and targets in memory (numbers or texts)."""
    table = {"path": path, "features": list(features), "target": target, "rows": rows,
             "targets": targets, "lines": list(range(2, len(rows) + 2)), "ids": None, "dropped": 0}
    return with_targets(table, kind, ".")


def with_targets(table, kind, decimal):
    """The table with its kind, and its classes and labels or its ys (see read_table)."""
    from . import preprocess as pp
    where = "%s, column %r" % (table["path"], table["target"])  # then ", line N"
    table["kind"] = pp.target_kind(table["targets"], kind, where, decimal, table["lines"])
    table["classes"] = table["labels"] = table["ys"] = None
    if table["kind"] == "regression":
        table["ys"] = [pp.as_number(v, decimal) for v in table["targets"]]
        return table
    table["labels"] = [pp.canonical_label(v) for v in table["targets"]]
    table["classes"] = pp.sorted_labels(table["labels"])
    m, n = len(table["labels"]), len(table["classes"])
    if n < 2:
        raise TinyBackpropError("%s holds one class only (%r); a classifier needs at least two"
                                % (where, table["classes"][0]))
    if n == m >= pp.ID_LIKE_ROWS:
        raise TinyBackpropError("%s has a different value in each of its %d rows: not classes; name "
                                "the target column (--target NAME), or ask for --regression" % (where, m))
    return table


def _column(header, name, path, flag):
    if name not in header:
        raise TinyBackpropError("%s: no column named %r (%s); the columns are %s"
                                % (path, name, flag, ", ".join(header)))
    return header.index(name)


def load_classification(path):
    """(xs, labels, feature_names, target_name) from a CSV of numbers whose last column
    is the class: a light reader for small heaps (no preprocessing)."""
    header, rows = read_csv(path)
    xs, labels = [], []
    for line, fields in rows:
        xs.append([number(path, line, header[j], fields[j]) for j in range(len(header) - 1)])
        labels.append(fields[len(header) - 1])
    return xs, labels, header[:len(header) - 1], header[len(header) - 1]


def class_names(labels):
    """The distinct labels, sorted (numbers numerically, before text)."""
    from .preprocess import sorted_labels
    return sorted_labels(labels)


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
