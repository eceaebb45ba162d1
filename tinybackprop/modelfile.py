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
    classes        null, or a name for each output (two names for one sigmoid
                   output: the classes below and above 0.5)
    feature_names  null, or n_0 input column names
    target_name    null, or the name of the target column
    target_scaling null, or {"mean": m, "std": s > 0} for a regression: the
                   network's target is (raw - m) / s, so a raw prediction is
                   a^L_0 s + m

Saving writes a temporary file beside the target and renames it over the
target, so a crash leaves either the old file or the new one, never half of one.
"""
import json
import math
import os

from .errors import TinyBackpropError
from .checks import check_list, check_vector
from .network import Network

FORMAT = "tinybackprop"
VERSION = 1
REQUIRED = ("format", "version", "sizes", "activations", "loss", "weights", "biases")
OPTIONAL = ("scaling", "classes", "feature_names", "target_name", "target_scaling")


def to_json(net):
    """The model file's text for net: one matrix row per line, numbers in full precision."""
    for l in range(len(net.weights)):
        for row in net.weights[l] + [net.biases[l]]:
            for w in row:
                if not math.isfinite(w):
                    raise TinyBackpropError("cannot save: layer %d has a weight or bias of %r; "
                                            "a model file holds finite numbers only" % (l + 1, w))
    lines = ['{',
             '"format": %s,' % json.dumps(FORMAT),
             '"version": %d,' % VERSION,
             '"sizes": %s,' % json.dumps(net.sizes),
             '"activations": %s,' % json.dumps(net.activations),
             '"loss": %s,' % json.dumps(net.loss)]
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
        lines.append('"%s": %s%s' % (key, json.dumps(getattr(net, key)),
                                     ',' if key != OPTIONAL[-1] else ''))
    lines.append('}')
    return '\n'.join(lines) + '\n'


def save(net, path):
    """Write net to path as a model file, atomically (temporary file, then rename)."""
    write_atomically(path, to_json(net))  # to_json raises any error before the disk is touched


def write_atomically(path, text):
    """Write text to path through a temporary file beside it, renamed over path at the end.

    A crash or an error leaves either the old file or the new one, never half of one.
    """
    temporary = path + ".tmp"
    try:
        with open(temporary, "w") as f:
            f.write(text)
            f.flush()
            if hasattr(os, "fsync"):  # not on MicroPython
                os.fsync(f.fileno())
        # os.replace overwrites on every OS; MicroPython has only rename (POSIX: also overwrites)
        getattr(os, "replace", os.rename)(temporary, path)
    except BaseException:
        try:
            os.remove(temporary)
        except OSError:
            pass
        raise


def load(path):
    """Read a model file and return its Network; TinyBackpropError says what is wrong."""
    with open(path) as f:
        data = _parse(json.load, f, path)  # json.load streams on MicroPython: no copy of the text
    return from_data(data, path)


def from_json(text, path="<model>"):
    """The Network a model file's text describes, after checking every field."""
    return from_data(_parse(json.loads, text, path), path)


def _parse(parser, source, path):
    try:
        return parser(source)
    except ValueError as e:  # CPython's message gives the line and column
        raise TinyBackpropError("%s: not a valid JSON model file: %s" % (path, e))


def from_data(data, path="<model>"):
    """The Network that parsed JSON data describes, after checking every field.

    The first problem found is raised as TinyBackpropError "path: what is wrong".
    The network takes the weight lists of data as its own (no copy: on a small
    heap, a model twice over may not fit).
    """
    try:
        return _network(data)
    except (TypeError, ValueError) as e:
        raise TinyBackpropError("%s: %s" % (path, e))


def _network(data):
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
    net = Network(data["sizes"], data["activations"], data["loss"],
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
        net.scaling = scaling
    classes = data.get("classes")
    if classes is not None:
        net.classes = _names(classes, 2 if n_out == 1 else n_out, "classes",
                             "names (one per output)" if n_out > 1 else
                             "names (below and above 0.5)")
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
        net.target_scaling = target_scaling
    return net


def _names(value, n, name, meaning):
    check_list(value, n, name, meaning)
    for i in range(n):
        if not isinstance(value[i], str):
            raise TinyBackpropError("%s[%d] is %r, not a string" % (name, i, value[i]))
    return value
