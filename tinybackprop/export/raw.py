"""A raw row to the network's inputs, in an exported module: the board's copy of
``data.columns.encode``.

A model trained on a table (``python -m tinybackprop train data.csv``) takes a
raw row, one value per column, and makes its inputs as ``data.columns`` says:
a number as it is, a category one-hot, a gap filled in.  The exports copy the
two functions below by source, with the model's columns as a constant, so a
board predicts from the same raw rows as ``predict`` does:

    COLUMNS   one (name, categories, fill) per raw column: categories None for
              a number column; fill None where the model refuses a gap, else
              the category a gap becomes, or True for a number column (the
              number that fills it lies beside the scaling, ``FILLS`` or the
              int8 model's ``fill``: encode marks that gap with None)

What the library's ``encode`` does besides (decimal commas, messages that
count unseen categories) stays on the computer: here an unseen category is
none of the known ones (all its inputs 0), as ``predict`` takes it.

>>> columns = (("size", None, True), ("colour", ("blue", "red"), "red"))
>>> encode(columns, [2, "red"]), encode(columns, ["", ""])
([2, 0, 1], [None, 0, 1])
"""

from ..data.columns import MISSING  # the exports write it out as a constant beside these


def category_index(categories, value):
    """The index of the category that the raw value names, or None (unseen): the same
    text first, else the same number (1, 1.0 and "1.0" all name the category "1")."""
    if value in categories:
        return categories.index(value)
    for k in range(len(categories)):
        try:
            if float(value) == float(categories[k]):
                return k
        except ValueError:  # a text that is not a number
            pass
    return None


def encode(columns, row):
    """The inputs a raw row makes before scaling (one value per raw column in row:
    numbers, or text as a CSV line gives it): a number column's value as a number,
    or None for a gap the model fills in; a category column's 1 and 0s."""
    if len(row) != len(columns):
        raise ValueError("the row has %d values, but the model takes %d (%s)"
                         % (len(row), len(columns), ", ".join(c[0] for c in columns)))
    x = []
    for j in range(len(columns)):
        name, categories, fill = columns[j]
        value = row[j].strip() if isinstance(row[j], str) else row[j]
        if value is None or value != value or value in MISSING:  # value != value: NaN
            if fill is None:
                raise ValueError("column %r: the value is missing (%r), and the model was "
                                 "trained without gaps there" % (name, row[j]))
            value = None if categories is None else fill
        if categories is None:
            x.append(float(value) if isinstance(value, str) else value)
        else:
            k = category_index(categories, value)
            for i in range(len(categories)):
                x.append(1 if i == k else 0)
    return x
