"""The history train returns: one record per epoch, read as a list of dicts, kept as floats.

A record is the dict ``{"epoch", "loss", "accuracy", "val_loss", "val_accuracy"}``
(``training.epochs``).  Kept as dicts, 500 epochs of XOR cost a board's heap about
150 bytes each, and 2,500 of them a list that needs one block of 32 KB, which a
fragmented heap may not have.  A History keeps only the numbers, in arrays of
CHUNK epochs each: 4 bytes a number on a board with 32-bit floats, 8 with 64-bit
ones (XOR's loss and accuracy: 8 or 16 bytes an epoch), no block larger than one
chunk, and it makes each record when it is read:

>>> h = History()
>>> h.append({"epoch": 1, "loss": 0.5, "accuracy": 0.75, "val_loss": None, "val_accuracy": None})
>>> len(h), h[0]["loss"], h[0]["val_loss"], h[-1]["epoch"]
(1, 0.5, None, 1)
>>> h == [{"epoch": 1, "loss": 0.5, "accuracy": 0.75, "val_loss": None, "val_accuracy": None}]
True
"""
from ..core.floats import BITS

try:
    from array import array
except ImportError:  # a port without the array module: lists of floats, as before
    array = None

FIELDS = ("loss", "accuracy", "val_loss", "val_accuracy")  # a record's numbers, besides epoch
CHUNK = 32  # epochs in each array: a small block whatever the number of epochs
TYPECODE = "d" if BITS > 24 else "f"  # the interpreter's float, held exactly (a board's: "f")


class History:
    """The records of the epochs trained so far, in order (epoch 1 first): len(h), h[i]
    (h[-1] is the last), a slice, iteration and == with a list of records work as on
    a list of dicts.  The fields that are None in the first record (accuracy for a
    regression, val_* without validation) are None in every one and take no room."""

    def __init__(self):
        self.names = None  # the fields kept as numbers, chosen by the first record
        self.chunks = []  # each an array of CHUNK * len(names) numbers
        self.n = 0

    def append(self, record):
        """Keep an epoch's record (its epoch must be len(self) + 1)."""
        if self.names is None:
            self.names = [name for name in FIELDS if record[name] is not None]
        width = len(self.names)
        if self.n % CHUNK == 0:
            zeros = [0.0] * (CHUNK * width)
            self.chunks.append(array(TYPECODE, zeros) if array is not None else zeros)
        chunk = self.chunks[self.n // CHUNK]
        base = (self.n % CHUNK) * width
        for j in range(width):
            chunk[base + j] = record[self.names[j]]
        self.n += 1

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        if isinstance(i, slice):  # rare: every record made, then sliced as a list is
            return list(self)[i]
        if i < 0:
            i += self.n
        if not 0 <= i < self.n:
            raise IndexError("history index out of range: %d epochs" % self.n)
        record = {"epoch": i + 1, "loss": None, "accuracy": None, "val_loss": None, "val_accuracy": None}
        chunk, base = self.chunks[i // CHUNK], (i % CHUNK) * len(self.names)
        for j in range(len(self.names)):
            record[self.names[j]] = chunk[base + j]
        return record

    def __iter__(self):
        for i in range(self.n):
            yield self[i]

    def __eq__(self, other):
        return list(self) == list(other)

    def __ne__(self, other):  # Python 2's rule, kept by MicroPython: != is not derived from ==
        return not self == other

    def __repr__(self):
        return repr(list(self))
