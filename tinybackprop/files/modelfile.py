"""Model files: JSON, written atomically, checked field by field when read.

A model file is one JSON object (never pickle, never eval):

    format         "tinybackprop"
    version        1
    sizes          [n_0, ..., n_L]
    activations    L names, one per layer 1..L
    loss           the loss name
    weights        L matrices; weights[l-1] is W^l, n_l rows of n_(l-1) numbers
    biases         L vectors; biases[l-1] is b^l, n_l numbers

and the optional fields of a model for a table, each null when not used (the
preprocessing; ``tinybackprop.data.model`` says what each means and checks it):

    scaling, classes, feature_names, target_name, target_scaling, columns, id_name

id_name came later than the rest: it is written only when set, so a file without
one reads in every tinybackprop that reads version 1.  This module reads and writes the file and checks the network's fields; a file
with any other key is refused.  Saving checks the model as loading would, then
writes a new file beside the target and renames it over the target
(``files.write_atomically``), so a crash leaves either the old file or the new
one, never half of one.
"""
import json

from ..core.errors import TinyBackpropError
from .atomic import check_input, file_name, write_atomically

FORMAT = "tinybackprop"
VERSION = 1
REQUIRED = ("format", "version", "sizes", "activations", "loss", "weights", "biases")
# tinybackprop.data.model.FIELDS, which checks them (this module does not import it:
# on a board, the core's Network is read without the data layer)
OPTIONAL = ("scaling", "classes", "feature_names", "target_name", "target_scaling", "columns", "id_name")
LATER = ("id_name",)  # written only when set: older readers refuse a key they do not know
MAX_BYTES = 2 ** 28  # 256 MiB: a model of checks.MAX_PARAMETERS weights, written out, fits


def to_data(net, fields=None):
    """net's model file as a dict of the JSON values (the lists are net's own, not copies),
    with the optional fields given (a dict; those not given are null)."""
    data = {"format": FORMAT, "version": VERSION, "sizes": net.sizes, "activations": net.activations,
            "loss": net.loss, "weights": net.weights, "biases": net.biases}
    for key in OPTIONAL:
        data[key] = (fields or {}).get(key)
    return data


def to_json(net, fields=None):
    """The model file's text for net and the optional fields: one matrix row per line,
    numbers in full precision.

    The network is checked first, by the checker ``load`` uses (``from_data``): a
    network that could not be read back is never written (``tinybackprop.data.model``
    checks the fields before it calls this).
    """
    data = to_data(net, fields)
    try:
        _network(data, type(net))
    except (TypeError, ValueError) as e:
        raise TinyBackpropError("cannot save: %s" % e)
    lines = ['{']
    for key in REQUIRED[:5]:
        lines.append('"%s": %s,' % (key, json.dumps(data[key])))
    L = len(net.weights)
    lines.append('"weights": [')
    for l in range(L):
        rows = ',\n  '.join(json.dumps(row) for row in net.weights[l])
        lines.append(' [' + rows + ']' + (',' if l + 1 < L else ''))
    lines.append('],')
    lines.append('"biases": [')
    for l in range(L):
        lines.append(' ' + json.dumps(net.biases[l]) + (',' if l + 1 < L else ''))
    lines.append('],')
    written = [key for key in OPTIONAL if key not in LATER or data[key] is not None]
    for key in written:
        lines.append('"%s": %s%s' % (key, json.dumps(data[key]), ',' if key != written[-1] else ''))
    lines.append('}')
    return '\n'.join(lines) + '\n'


def save(net, path):
    """Write net to path as a model file (no preprocessing), whole or not at all
    (see files.write_atomically)."""
    write_atomically(path, to_json(net))  # to_json raises any error before the disk is touched


def read(path):
    """The parsed JSON of a model file, not yet checked (``from_data`` checks it).

    The file must be a regular file of at most MAX_BYTES (a device such as
    /dev/zero, or a FIFO, is refused before anything is read).
    ``tinybackprop.network.load(path)`` reads it and makes the Network.
    """
    path = file_name(path)
    check_input(path, "model file", MAX_BYTES)
    with open(path) as f:
        return _parse(json.load, f, path)  # json.load streams on MicroPython: no copy of the text


def parse(text, path="<model>"):
    """The parsed JSON of a model file's text, not yet checked."""
    return _parse(json.loads, text, path)


def _parse(parser, source, path):
    try:
        try:
            return parser(source, object_pairs_hook=_no_duplicate_keys)
        except TypeError:  # MicroPython's json takes no hook: duplicate keys go unseen there
            return parser(source)
    except ValueError as e:  # CPython's message gives the line and column
        raise TinyBackpropError("%s: not a valid JSON model file: %s" % (path, e))
    except RuntimeError:  # RecursionError (CPython) is one; MicroPython raises RuntimeError itself
        raise TinyBackpropError("%s: nested too deeply to be a model file" % path)
    except MemoryError:  # a board's small heap
        raise TinyBackpropError("%s: too large or nested too deeply for this interpreter's memory" % path)


def _no_duplicate_keys(pairs):
    """A JSON object as a dict, refusing a key given twice (JSON would keep the last)."""
    data = {}
    for key, value in pairs:
        if key in data:
            raise ValueError("the key %r appears twice in one object" % key)
        data[key] = value
    return data


def from_data(data, make, path="<model>"):
    """The network that parsed JSON data describes, made by make (a Network class,
    called as make(sizes, activations, loss, weights=..., biases=...)), after
    checking the network's fields (the optional ones are ``data.model``'s to check:
    a Network does not use them).

    The first problem found is raised as TinyBackpropError "path: what is wrong".
    The network takes the weight lists of data as its own (no copy: on a small
    heap, a model twice over may not fit).
    """
    try:
        return _network(data, make)
    except (TypeError, ValueError) as e:
        raise TinyBackpropError("%s: %s" % (path, e))


def _network(data, make):
    if not isinstance(data, dict):
        raise TinyBackpropError("a model file holds one JSON object {...}, found %s"
                                % type(data).__name__)
    for key in REQUIRED:
        if key not in data:
            raise TinyBackpropError("the key %r is missing" % key)
    for key in data:
        if key not in REQUIRED + OPTIONAL:
            raise TinyBackpropError("unknown key %r in a tinybackprop model file" % key)
    if data["format"] != FORMAT:
        raise TinyBackpropError("format is %r, expected %r: not a tinybackprop model file"
                                % (data["format"], FORMAT))
    version = data["version"]
    if version != VERSION or not isinstance(version, int) or isinstance(version, bool):
        raise TinyBackpropError("version is %r; this tinybackprop reads version %d model files"
                                % (version, VERSION))
    for key in ("weights", "biases"):  # null would mean "start from random weights"
        if not isinstance(data[key], list):
            raise TypeError("%s must be a list, one entry per layer, got %s" % (key, json.dumps(data[key])))
    return make(data["sizes"], data["activations"], data["loss"], weights=data["weights"],
                biases=data["biases"])
