"""From a table's raw values to the network's x and y, and from a^L back to an answer.

Not part of the numeric core: the command line and the estimators
(``tinybackprop.front.estimators``) share it, so that a model trained either way
is the same model and predicts the same from the same raw rows.

A raw row is one value per feature column: a number, or text (from a CSV file
every value is text).  Each column is described once, from the training rows:

    {"name": "weight", "kind": "number", "fill": None}
        its value as a float; "fill" is the training mean when missing values
        are filled in ("mean"), else None (a missing value is an error)
    {"name": "origin", "kind": "category", "categories": ["1", "2", "3"], "fill": None}
        one input per category, 1.0 for the row's category and 0.0 for the
        others (one-hot); "fill" is MISSING_CATEGORY, a category of its own, when the
        training rows have gaps there, else their most frequent category (for a gap
        met later), or None

The network's input x is the encoded row standardised with the training rows'
mean and std (``data.standardise``).  A class target becomes a one-hot y, a
numeric target (regression) is standardised too: y = (raw - mean) / std.

>>> columns = fit_columns(["size", "colour"], [["1", "red"], ["3", "blue"]], "error", "x.csv")
>>> [c["kind"] for c in columns], encoded_names(columns)
(['number', 'category'], ['size', 'colour=blue', 'colour=red'])
>>> encode(columns, ["2", "red"], "row 1")
[2.0, 0.0, 1.0]
"""
import math

from .rows import fit_scaling
from ..core.errors import TinyBackpropError

# Cells that mean "no value" (as pandas reads them, less its rarer ones).
MISSING = ("", "NA", "N/A", "NaN", "nan", "?", "null", "None", "NULL", "n/a", "na")
MISSING_RULES = ("error", "drop", "drop_many", "mean")  # --missing and Classifier(missing=...)
MISSING_CATEGORY = "(missing)"  # a gap in a text column, filled in: a category of its own
MAX_DROPPED = 0.5  # "drop" leaves out at most this share of the rows; "drop_many" any share
MAX_INTEGER_CLASSES = 10  # a numeric target with at most this many integer values is a class label
ID_LIKE_ROWS = 20  # from this many rows, a column can be told to be an id or a name (identifiers)
ID_TEXT_SHARE = 0.9  # a text column with at least this share of different values names the rows


def dropping(missing):
    """Whether the rule missing leaves out the rows with a gap ("drop", "drop_many")."""
    return missing in ("drop", "drop_many")


def check_dropped(missing, dropped, total, source, asked_with):
    """Refuse, under the rule "drop", to leave out more than MAX_DROPPED of the total rows
    (dropped of them): what is left may not be the table any more.  asked_with is the way
    to ask for it anyway, as the caller names it (``--missing drop_many``)."""
    if missing == "drop" and dropped > MAX_DROPPED * total:
        raise TinyBackpropError("%s: %d of the %d rows have a missing value: dropping them would leave "
                                "%d; fill the gaps in with the training mean instead (the default), or "
                                "drop them anyway (%s)" % (source, dropped, total, total - dropped, asked_with))


def is_missing(value):
    """Is a raw value missing: None, a float NaN, or one of the MISSING texts?"""
    if value is None:
        return True
    if isinstance(value, float):
        return value != value
    return isinstance(value, str) and value.strip() in MISSING


def as_number(value, decimal="."):
    """The float a raw value stands for, or None when it is not a number.

    >>> as_number("1.5"), as_number(" 2 "), as_number("1,5", decimal=","), as_number("red")
    (1.5, 2.0, 1.5, None)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            return float(value)
        except OverflowError:  # an int beyond a float: not a number this library can use
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if decimal != ".":
        if "." in text:  # 1.234,5 (a thousands point) is not read as a number: too easy to misread
            return None
        text = text.replace(decimal, ".")
    try:
        return float(text)
    except ValueError:
        return None


def canonical_label(value):
    """A class label as the model stores it: a number for a numeric label (an int when
    whole, so that 0, 0.0 and "0" are one class), the text otherwise.

    >>> canonical_label("0.0"), canonical_label(2), canonical_label("setosa"), canonical_label("1.5")
    (0, 2, 'setosa', 1.5)
    """
    number = as_number(value)
    if number is None or not math.isfinite(number):
        return value.strip() if isinstance(value, str) else value
    return int(number) if number == int(number) else number


def label_key(label):
    """A key under which equal labels compare equal: numbers as floats, text as text."""
    label = canonical_label(label)
    if isinstance(label, (int, float)) and not isinstance(label, bool):
        return (0, float(label))
    return (1, label if isinstance(label, str) else repr(label))


def target_kind(targets, asked, where, decimal=".", lines=None):
    """'classification' or 'regression' for a column of raw targets (none missing).

    asked is None (decide: text, or at most MAX_INTEGER_CLASSES distinct integers, is
    classification), 'classification' or 'regression'.  where names the column in a
    message, lines (when given) each target's line in the file.
    """
    place = (lambda k: ", line %d" % lines[k]) if lines is not None else (lambda k: "[%d]" % k)
    numbers = [as_number(t, decimal) for t in targets]
    if asked == "regression":
        for k in range(len(targets)):
            if numbers[k] is None or not math.isfinite(numbers[k]):
                raise TinyBackpropError("%s%s: %r is not a finite number; a regression needs "
                                        "numbers%s" % (where, place(k), targets[k], "" if lines is None
                                                       else " (--target NAME names another column)"))
        return "regression"
    if asked == "classification" or None in numbers:
        return "classification"
    for k in range(len(numbers)):
        if not math.isfinite(numbers[k]):
            raise TinyBackpropError("%s%s: %r is not a finite number"
                                    % (where, place(k), targets[k]))
    distinct = set(numbers)
    if len(distinct) <= MAX_INTEGER_CLASSES and all(v == int(v) for v in distinct):
        return "classification"
    return "regression"


def fit_columns(names, rows, missing, where, decimal=".", train=None, categorical=()):
    """One description per feature column (see the module's docstring), from the rows:
    the categories of all of them, the fill-in values of those whose indices are in
    train (all when None).  The columns named in categorical are categories even
    when they hold numbers (a code such as 1, 2, 3 for three regions).

    A column whose every present value is a number is a number column; any other is a
    category column, unless more than half of its values differ (in ID_LIKE_ROWS rows
    or more): that is an id or a name, and an error that says to leave it out.
    """
    check_names(names, where)
    for name in categorical:
        if name not in names:
            raise TinyBackpropError("%s: no feature column named %r to treat as categories; the "
                                    "features are %s" % (where, name, ", ".join(names)))
    train = set(range(len(rows)) if train is None else train)
    columns = []
    for j in range(len(names)):
        present = [rows[k][j] for k in range(len(rows)) if not is_missing(rows[k][j])]
        trained = [rows[k][j] for k in train if not is_missing(rows[k][j])]
        if not present:
            raise TinyBackpropError("%s: column %r has no values; leave it out" % (where, names[j]))
        values = [as_number(v, decimal) for v in present]
        if None not in values and names[j] not in categorical:
            fill = None
            if missing == "mean":  # the training rows' mean, for a gap in any row (an inf is encode's error)
                finite = [v for v in [as_number(t, decimal) for t in trained] or values if math.isfinite(v)]
                fill = fit_scaling([[v] for v in finite or [0.0]])["mean"][0]
            columns.append({"name": names[j], "kind": "number", "fill": fill})
            continue
        texts = [text_of(v) for v in present]
        distinct = set(texts)
        if len(texts) >= ID_LIKE_ROWS and len(distinct) > len(texts) // 2 and names[j] not in categorical:
            raise TinyBackpropError(
                "%s: column %r holds %d different texts in %d rows (%s, ...): an id or a name, not "
                "a feature; leave it out (--ignore %s, or --id %s to copy it into the predictions; "
                "in Python, pass the other columns), or make an input of each (--category %s; "
                "category=[%r])" % (
                    where, names[j], len(distinct), len(texts), ", ".join(repr(t) for t in texts[:3]),
                    names[j], names[j], names[j], names[j]))
        # A gap in the training rows is a category of its own ("None" in ames' Mas_Vnr_Type,
        # no veneer for 1,775 of 2,930 houses, stays apart from "BrkFace").
        gap = missing == "mean" and len(trained) < len(train)
        categories = sorted(distinct | {MISSING_CATEGORY} if gap else distinct, key=lambda t: (label_key(t), t))
        fill = MISSING_CATEGORY if gap else None
        if missing == "mean" and not gap:  # the most frequent category, for a gap met later
            counts = {}
            for t in [text_of(v) for v in trained] or texts:
                counts[t] = counts.get(t, 0) + 1
            fill = max(categories, key=lambda c: counts.get(c, 0))
        columns.append({"name": names[j], "kind": "category", "categories": categories, "fill": fill})
    check_input_names(columns, where)
    return columns


def check_input_names(columns, where):
    """Refuse, before training, columns that make two inputs of one name (a column "c=x"
    beside a column c holding x): the model file could not tell them apart."""
    seen = {}
    for c in columns:
        for name in encoded_names([c]):
            if name in seen:
                raise TinyBackpropError("%s: columns %r and %r both make an input named %r; rename one "
                                        "of them" % (where, seen[name], c["name"], name))
            seen[name] = c["name"]


ID_NAMES = ("", "id", "index", "row", "no", "number", "unnamed: 0")


def identifiers(names, rows, decimal=".", keep=()):
    """{j: why} for the columns j that identify the rows rather than describe them, found
    by their content whatever their name (Rdatasets' "rownames", pandas' unnamed index),
    in ID_LIKE_ROWS rows or more; the columns named in keep are never among them.

    A number column is a row number when its values are different whole numbers that
    are one apart, or in increasing (or decreasing) order down the file, or it is named
    as an index ("", "id", "unnamed: 0", ...): a table sorted by its target (diamonds, by
    price) leaks the target through it.  A text column names the rows when at least
    ID_TEXT_SHARE of its values differ (a passenger's name).

    >>> rows = [[str(k + 1), "name %d" % k, str(k % 3)] for k in range(25)]
    >>> sorted(identifiers(["rownames", "who", "size"], rows).items())
    [(0, 'numbers the rows (25 different whole numbers, one apart)'), (1, 'names the rows (25 different texts in 25 rows)')]
    """
    found = {}
    for j in range(len(names)):
        present = [row[j] for row in rows if not is_missing(row[j])]
        if names[j] in keep or len(present) < ID_LIKE_ROWS:
            continue
        values = [as_number(v, decimal) for v in present]
        m = len(values)
        if None not in values:
            if any(v != int(v) for v in values if math.isfinite(v)) or len(set(values)) != m:
                continue
            if max(values) - min(values) == m - 1:
                found[j] = "numbers the rows (%d different whole numbers, one apart)" % m
            elif all(values[k] < values[k + 1] for k in range(m - 1)) or \
                    all(values[k] > values[k + 1] for k in range(m - 1)):
                found[j] = "numbers the rows (%d different whole numbers, in order down the file)" % m
            elif names[j].strip().lower() in ID_NAMES or names[j].strip().lower().endswith("id"):
                found[j] = "numbers the rows (%d different whole numbers, named as an index)" % m
            continue
        distinct = len(set(text_of(v) for v in present))
        if distinct >= ID_TEXT_SHARE * m:
            found[j] = "names the rows (%d different texts in %d rows)" % (distinct, m)
    return found


def text_of(value):
    return value.strip() if isinstance(value, str) else repr(value)


def check_names(names, where):
    """Refuse an empty or duplicated column name, naming it."""
    seen = {}
    for j in range(len(names)):
        if names[j] in seen:
            raise TinyBackpropError("%s: columns %d and %d are both named %r; give each column its "
                                    "own name" % (where, seen[names[j]] + 1, j + 1, names[j]))
        seen[names[j]] = j


def encode(columns, row, where, decimal=".", unseen=None, filled=None):
    """The row's inputs before standardisation: a list of floats (see the module's
    docstring); a missing value without a fill or a text in a number column raises
    TinyBackpropError naming where, the column and the value.

    A category the columns do not know raises the same, unless unseen is a dict: then
    it is none of the known ones (every one of its inputs 0.0), and unseen[column name]
    counts it, with its values (a dict of value: count).  filled, a dict, counts the
    missing values filled in, per column.

    >>> columns = [{"name": "colour", "kind": "category", "categories": ["blue", "red"], "fill": None}]
    >>> seen = {}
    >>> encode(columns, ["green"], "row 1", unseen=seen), seen
    ([0.0, 0.0], {'colour': {'green': 1}})
    """
    if len(row) != len(columns):
        raise TinyBackpropError("%s: %d values, but the model takes %d (%s)" % (
            where, len(row), len(columns), ", ".join(c["name"] for c in columns)))
    x = []
    for j in range(len(columns)):
        c, value = columns[j], row[j]
        if is_missing(value):
            if c["fill"] is None:
                filled = any(other["fill"] is not None for other in columns)
                raise TinyBackpropError("%s, column %r: the value is missing (%r); fill it in. %s" % (
                    where, c["name"], value,
                    "The model fills in gaps only in the columns that had some in training"
                    if filled else "The model was trained to refuse gaps (train with --missing "
                    "mean, or missing='mean' in Python, to fill them in)"))
            value = c["fill"]
            if filled is not None:
                filled[c["name"]] = filled.get(c["name"], 0) + 1
        if c["kind"] == "number":
            v = as_number(value, decimal)
            if v is None or not math.isfinite(v):
                raise TinyBackpropError("%s, column %r: %r is not a finite number; this column "
                                        "holds numbers" % (where, c["name"], value))
            x.append(v)
        else:
            text = text_of(value)
            if text not in c["categories"]:  # "1.0" or 1 for the category "1": numbers as numbers
                key = label_key(text)
                text = ([k for k in c["categories"] if label_key(k) == key] or [None])[0]
            if text is None and unseen is None:
                raise TinyBackpropError("%s, column %r: %r is a category the model has not seen; "
                                        "it knows %s" % (where, c["name"], text_of(value),
                                                         ", ".join(repr(k) for k in c["categories"])))
            if text is None:  # none of the known: all its inputs 0
                counts = unseen.setdefault(c["name"], {})
                counts[text_of(value)] = counts.get(text_of(value), 0) + 1
            for category in c["categories"]:
                x.append(1.0 if text == category else 0.0)
    return x


def fit_input_scaling(columns, xs):
    """The scaling of the inputs the columns make, from xs (encoded training rows): a
    number's mean and std (``rows.fit_scaling``), and mean 0, std 1 for a category's
    one-hot inputs, which stay 0 and 1 (standardised, a category seen once in 1,875 rows
    became the input 43.3).

    Number inputs that are mostly zeros (at least MOSTLY_ZEROS of all their values,
    as pixels are) share one scale instead: mean 0 and, for std, their largest |value|,
    so that they stay on one scale, zeros stay zeros (the fast path skips them) and a
    pixel lit in one image of thousands is not blown up to 60.  Measured on 28x28 MNIST
    digits (examples/mnist.py, 81% zeros; docs/training.md): held-out accuracy 0.915 so
    against 0.904 standardised (seeds 0-7), 0.907 against 0.894 on other digits.  The
    8x8 digits (49% zeros) and the public tables (at most 33%) stay standardised.
    """
    scaling = fit_scaling(xs)
    numbers, i = [], 0
    for c in columns:
        if c["kind"] == "number":
            numbers.append(i)
            i += 1
            continue
        for _ in c["categories"]:
            scaling["mean"][i], scaling["std"][i] = 0.0, 1.0
            i += 1
    values = len(numbers) * len(xs)
    zeros = sum(1 for x in xs for j in numbers if x[j] == 0.0)
    if values and zeros >= MOSTLY_ZEROS * values:
        unit = max(abs(x[j]) for x in xs for j in numbers) or 1.0  # all zeros: left as they are
        for j in numbers:
            scaling["mean"][j], scaling["std"][j] = 0.0, unit
    return scaling


MOSTLY_ZEROS = 2.0 / 3.0  # share of zero values above which number inputs share one scale


def default_names(n):
    """The names of n columns that came without names: x0, x1, ..."""
    return ["x%d" % j for j in range(n)]


def positions(names):
    """{name: its index} of a list of different names: finding n names in it takes n
    steps, not n times its length (a model file of 40,000 names took 35 s to load)."""
    return dict((names[j], j) for j in range(len(names)))


def gaps(names, rows, columns):
    """{column: how many of rows miss its value} for the columns (descriptions) that have
    gaps; names are the rows' column names, in order."""
    found = {}
    place = positions(names)
    for c in columns:
        j = place[c["name"]]
        n = sum(1 for row in rows if is_missing(row[j]))
        if n:
            found[c["name"]] = n
    return found


def filled_text(filled, columns):
    """filled (as encode counts it) in words: "3 missing values filled in (column 'age': 2,
    column 'deck': 1)", in the columns' order."""
    total = sum(filled[name] for name in filled)
    return "%d missing value%s filled in (%s)" % (total, "" if total == 1 else "s", ", ".join(
        "column %r: %d" % (c["name"], filled[c["name"]]) for c in columns if c["name"] in filled))


def unseen_text(unseen, columns):
    """unseen (as encode counts it) in words, one part per column: "column 'colour': 3 rows
    ('green' 2, 'pink' 1; it knows 'blue', 'red')"."""
    parts = []
    for c in columns:
        if c["name"] not in unseen:
            continue
        values = unseen[c["name"]]
        shown = sorted(values, key=lambda v: (-values[v], v))
        rows = sum(values[v] for v in values)
        parts.append("column %r: %d row%s (%s; it knows %s)" % (
            c["name"], rows, "" if rows == 1 else "s", ", ".join("%r %d" % (v, values[v]) for v in shown),
            ", ".join(repr(k) for k in c["categories"][:10]) + (", ..." if len(c["categories"]) > 10 else "")))
    return "; ".join(parts)


def encoded_names(columns):
    """The name of each network input the columns make: a number column's name, or
    "column=category" for each category of a category column, in order."""
    names = []
    for c in columns:
        if c["kind"] == "number":
            names.append(c["name"])
        else:
            names += ["%s=%s" % (c["name"], category) for category in c["categories"]]
    return names


def numeric_columns(names):
    """Descriptions for columns that hold numbers only (a model file without "columns")."""
    return [{"name": name, "kind": "number", "fill": None} for name in names]


def class_places(classes):
    """{label key: output index} of a model's classes, for class_index to look labels up in."""
    return dict((label_key(classes[i]), i) for i in range(len(classes)))


def class_index(classes, label, where, places=None):
    """The output index of a raw label among the model's classes (numbers compare as
    numbers); places, class_places(classes), makes it one look-up (a file may name
    15,000 classes, and each row asks)."""
    key = label_key(canonical_label(label))
    places = places if places is not None else class_places(classes)
    if key in places:
        return places[key]
    raise TinyBackpropError("%s: class %r is not one the model knows (%s)"
                            % (where, label, ", ".join(repr(c) for c in classes)))
