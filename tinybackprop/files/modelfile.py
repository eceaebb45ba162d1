"""Model files: JSON, written atomically, checked field by field when read.

A model file is one JSON object (never pickle, never eval):

    format         "tinybackprop"
    version        1
    sizes          [n_0, ..., n_L]
    activations    L names, one per layer 1..L
    loss           the loss name
    weights        L matrices; weights[l-1] is W^l, n_l rows of n_(l-1) numbers
    biases         L vectors; biases[l-1] is b^l, n_l numbers
    scaling        null, or {"mean": [n_0 numbers], "std": [n_0 numbers > 0]}:
                   the network's x is (raw - mean) / std
    classes        null, or a label (a string or a number) for each output (two
                   for one sigmoid output: the classes below and above 0.5)
    feature_names  null, or n_0 input column names
    target_name    null, or the name of the target column
    target_scaling null, or {"mean": m, "std": s > 0} for a regression: the
                   network's target is (raw - m) / s, so a raw prediction is
                   a^L_0 s + m
    columns        null, or how each raw column becomes inputs: a list of
                   {"name", "kind": "number", "fill"} and {"name", "kind":
                   "category", "categories": [...], "fill"}, whose inputs, in
                   order, are feature_names (see ``tinybackprop.data.columns``)

Saving checks the model as loading would, then writes a new file beside the
target and renames it over the target (``files.write_atomically``), so a crash
leaves either the old file or the new one, never half of one.
"""
import json

from ..core.checks import check_list, check_vector
from ..core.errors import TinyBackpropError
from .atomic import check_input, file_name, write_atomically

FORMAT = "tinybackprop"
VERSION = 1
REQUIRED = ("format", "version", "sizes", "activations", "loss", "weights", "biases")
# tinybackprop.network.TABLE_FIELDS, the attributes that carry them (not imported from
# there: the Network imports this module, when it saves or loads)
OPTIONAL = ("scaling", "classes", "feature_names", "target_name", "target_scaling", "columns")
MAX_BYTES = 2 ** 28  # 256 MiB: a model of checks.MAX_PARAMETERS weights, written out, fits


def to_data(net):
    """net's model file as a dict of the JSON values (the lists are net's own, not copies)."""
    data = {"format": FORMAT, "version": VERSION, "sizes": net.sizes, "activations": net.activations,
            "loss": net.loss, "weights": net.weights, "biases": net.biases}
    for key in OPTIONAL:
        data[key] = getattr(net, key, None)
    return data


def to_json(net):
    """The model file's text for net: one matrix row per line, numbers in full precision.

    Everything is checked first, by the checker ``load`` uses (``from_data``): a model
    that could not be read back is never written.
    """
    data = to_data(net)
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
    for key in OPTIONAL:
        lines.append('"%s": %s%s' % (key, json.dumps(data[key]), ',' if key != OPTIONAL[-1] else ''))
    lines.append('}')
    return '\n'.join(lines) + '\n'


def save(net, path):
    """Write net to path as a model file, whole or not at all (see files.write_atomically)."""
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
    checking every field.

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
    net = make(data["sizes"], data["activations"], data["loss"],
                  weights=data["weights"], biases=data["biases"])
    n_in, n_out = net.sizes[0], net.sizes[-1]
    scaling = data.get("scaling")
    if scaling is not None:
        if not isinstance(scaling, dict) or sorted(scaling) != ["mean", "std"]:
            raise TinyBackpropError('scaling must be null or {"mean": [...], "std": [...]}')
        check_vector(scaling["mean"], n_in, "scaling.mean", "layer 0 (the input)")
        check_vector(scaling["std"], n_in, "scaling.std", "layer 0 (the input)")
        for j in range(n_in):
            if scaling["std"][j] <= 0.0:
                raise TinyBackpropError("scaling.std[%d] is %r: it must be above 0"
                                        % (j, scaling["std"][j]))
        net.scaling = {"mean": [float(m) for m in scaling["mean"]],
                       "std": [float(s) for s in scaling["std"]]}
    classes = data.get("classes")
    if classes is not None:
        net.classes = _names(classes, 2 if n_out == 1 else n_out, "classes",
                             "labels (one per output)" if n_out > 1 else
                             "labels (below and above 0.5)", numbers=True)
    names = data.get("feature_names")
    if names is not None:
        net.feature_names = _names(names, n_in, "feature_names", "names (one per input)")
    target = data.get("target_name")
    if target is not None:
        if not isinstance(target, str):
            raise TinyBackpropError("target_name must be null or a string, got %r" % (target,))
        net.target_name = target
    target_scaling = data.get("target_scaling")
    if target_scaling is not None:
        if not isinstance(target_scaling, dict) or sorted(target_scaling) != ["mean", "std"]:
            raise TinyBackpropError('target_scaling must be null or {"mean": m, "std": s}')
        check_vector([target_scaling["mean"], target_scaling["std"]], 2, "target_scaling",
                     "mean and std")
        if not target_scaling["std"] > 0.0:
            raise TinyBackpropError("target_scaling.std is %r: it must be above 0" % target_scaling["std"])
        net.target_scaling = {"mean": float(target_scaling["mean"]), "std": float(target_scaling["std"])}
    columns = data.get("columns")
    if columns is not None:
        net.columns = _columns(columns, net.feature_names, n_in)
    return net


def _names(value, n, name, meaning, numbers=False):
    check_list(value, n, name, meaning)
    for i in range(n):
        is_number = isinstance(value[i], (int, float)) and not isinstance(value[i], bool)
        if not (isinstance(value[i], str) or numbers and is_number and abs(value[i]) < float("inf")):
            raise TinyBackpropError("%s[%d] is %r, not a string%s" % (
                name, i, value[i], " or a finite number" if numbers else ""))
        if value[i] in value[:i]:
            raise TinyBackpropError("%s[%d] is %r, as is %s[%d]: each name must differ"
                                    % (name, i, value[i], name, value.index(value[i])))
    return value


def _columns(columns, feature_names, n_in):
    """columns after checking each description and that they make feature_names' n_in inputs."""
    if feature_names is None:
        raise TinyBackpropError("columns needs feature_names: the name of each input they make")
    if not isinstance(columns, list) or not columns:
        raise TinyBackpropError("columns must be null or a non-empty list of column descriptions")
    for j in range(len(columns)):
        c = columns[j]
        keys = ["fill", "kind", "name"] if isinstance(c, dict) and c.get("kind") == "number" else \
            ["categories", "fill", "kind", "name"]
        if not isinstance(c, dict) or sorted(c) != keys or not isinstance(c["name"], str):
            raise TinyBackpropError('columns[%d] must be {"name", "kind": "number", "fill"} or '
                                    '{"name", "kind": "category", "categories", "fill"}' % j)
        if c["kind"] == "number":
            if c["fill"] is not None:
                check_vector([c["fill"]], 1, "columns[%d].fill" % j, "a number column")
        else:
            _names(c["categories"], len(c["categories"]) if isinstance(c["categories"], list) else 0,
                   "columns[%d].categories" % j, "texts")
            if c["fill"] is not None and c["fill"] not in c["categories"]:
                raise TinyBackpropError("columns[%d].fill is %r, not one of its categories" % (j, c["fill"]))
    _names([c["name"] for c in columns], len(columns), "columns' names", "names")
    if encoded_names(columns) != feature_names:
        raise TinyBackpropError("columns make the inputs %s, but feature_names are %s"
                                % (encoded_names(columns)[:n_in + 1], feature_names))
    return columns


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
