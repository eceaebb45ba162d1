"""Data sets: reading a CSV, a stratified split, input scaling, one-hot targets.

The light part, which a board can use: numbers only.  ``tinybackprop.data.tables``
reads a CSV as a table of raw values (text features, missing values, ids)
for the command line and the estimators.

Not part of the numeric core: the command line, the examples and the tests use
it.  It uses the ``csv`` module where there is one (CPython, PyPy) and a plain
comma split where there is not (MicroPython), which is enough for numbers and
unquoted labels.
"""
import math
import os

from ..core.errors import TinyBackpropError
from ..files.atomic import check_input
from ..core.rng import Random

try:
    import csv
except ImportError:
    csv = None

if hasattr(os, "path"):
    DATASETS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "datasets")
else:  # MicroPython has no os.path
    DATASETS = __file__.rsplit("/", 1)[0] + "/datasets"


def dataset_path(name):
    """The path of a bundled data set: "iris", "digits", "auto_mpg" or "penguins" (see
    datasets/README.md)."""
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
    """The distinct labels, sorted: those that read as numbers first, in numeric order,
    then the others as text.  Labels made canonical first (``preprocess.canonical_label``)
    are distinct as numbers: 0 and 0.0 are one."""
    return sorted(set(labels), key=_numbers_first)


def _numbers_first(label):
    try:
        return (0, float(label), "")
    except (TypeError, ValueError):
        return (1, 0.0, str(label))


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
