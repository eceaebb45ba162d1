"""A CSV file as a table of raw values: the columns chosen, rows with missing values
left out or kept, the target's kind decided.

The command line reads its data files with ``read_table``; ``make_table`` makes
the same from rows in memory.  ``tinybackprop.data.columns`` then turns a table
into the network's x and y.
"""
from . import columns as pp
from .rows import class_names, read_csv
from ..core.errors import TinyBackpropError


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
    row with one (but refuses to leave out more than half the rows, which "drop_many"
    does).  A missing target is an error unless the rows with gaps are dropped.
    """
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
            if pp.dropping(missing) and (pp.is_missing(fields[t]) or
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
        raise TinyBackpropError("%s: every row has a missing value: none is left (--missing %s)" % (path, missing))
    pp.check_dropped(missing, table["dropped"], table["dropped"] + len(table["rows"]), path, "--missing drop_many")
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
    where = "%s, column %r" % (table["path"], table["target"])  # then ", line N"
    table["kind"] = pp.target_kind(table["targets"], kind, where, decimal, table["lines"])
    table["classes"] = table["labels"] = table["ys"] = None
    if table["kind"] == "regression":
        table["ys"] = [pp.as_number(v, decimal) for v in table["targets"]]
        return table
    table["labels"] = [pp.canonical_label(v) for v in table["targets"]]
    table["classes"] = class_names(table["labels"])  # canonical: "0.0" and 0 are one class
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
        same = [h for h in header if h.strip().lower() == name.strip().lower()]
        hint = " (did you mean %r?)" % same[0] if same else ""
        raise TinyBackpropError("%s: no column named %r (%s)%s; the columns are %s"
                                % (path, name, flag, hint, ", ".join(header)))
    return header.index(name)
