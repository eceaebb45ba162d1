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

Saving writes a temporary file beside the target and renames it over the
target, so a crash leaves either the old file or the new one, never half of one.
"""
import json
import math
import os

from .errors import TinyBackpropError
from .network import Network, check_activations, check_loss, check_sizes

FORMAT = "tinybackprop"
VERSION = 1
OPTIONAL = ("scaling", "classes", "feature_names", "target_name")


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
    text = to_json(net)  # any error is raised before the disk is touched
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
        text = f.read()
    return from_json(text, path)


def from_json(text, path="<model>"):
    """The Network a model file's text describes, after checking every field."""
    try:
        data = json.loads(text)
    except ValueError as e:  # CPython's message gives the line and column
        raise TinyBackpropError("%s: not a valid JSON model file: %s" % (path, e))
    if not isinstance(data, dict):
        raise TinyBackpropError("%s: a model file holds one JSON object {...}, found %s"
                                % (path, type(data).__name__))
    for key in ("format", "version", "sizes", "activations", "loss", "weights", "biases"):
        if key not in data:
            raise TinyBackpropError("%s: the key %r is missing" % (path, key))
    for key in data:
        if key not in ("format", "version", "sizes", "activations", "loss", "weights",
                       "biases") + OPTIONAL:
            raise TinyBackpropError("%s: unknown key %r in a tinybackprop model file" % (path, key))
    if data["format"] != FORMAT:
        raise TinyBackpropError("%s: format is %r, expected %r: not a tinybackprop model file"
                                % (path, data["format"], FORMAT))
    version = data["version"]
    if version != VERSION or not isinstance(version, int) or isinstance(version, bool):
        raise TinyBackpropError("%s: version is %r; this tinybackprop reads version %d model "
                                "files" % (path, version, VERSION))
    try:
        sizes = check_sizes(data["sizes"])
        activations = check_activations(data["activations"], len(sizes) - 1)
        loss = check_loss(data["loss"], activations[-1])
    except (TypeError, ValueError) as e:
        raise TinyBackpropError("%s: %s" % (path, e))
    net = Network(sizes, activations, loss)
    L = len(sizes) - 1
    weights = _list(data["weights"], L, path, "weights", "one matrix per layer 1..%d" % L)
    biases = _list(data["biases"], L, path, "biases", "one vector per layer 1..%d" % L)
    for l in range(1, L + 1):
        rows = _list(weights[l - 1], sizes[l], path, "weights[%d]" % (l - 1),
                     "rows: sizes[%d] = %d neurons in layer %d" % (l, sizes[l], l))
        net.weights[l - 1] = [
            _numbers(rows[i], sizes[l - 1], path, "weights[%d][%d]" % (l - 1, i),
                     "sizes[%d] = %d inputs from layer %d" % (l - 1, sizes[l - 1], l - 1))
            for i in range(sizes[l])]
        net.biases[l - 1] = _numbers(biases[l - 1], sizes[l], path, "biases[%d]" % (l - 1),
                                     "sizes[%d] = %d neurons in layer %d" % (l, sizes[l], l))
    _load_optional(net, data, path)
    return net


def _load_optional(net, data, path):
    n_in, n_out = net.sizes[0], net.sizes[-1]
    scaling = data.get("scaling")
    if scaling is not None:
        if not isinstance(scaling, dict) or sorted(scaling) != ["mean", "std"]:
            raise TinyBackpropError('%s: scaling must be null or {"mean": [...], "std": [...]}'
                                    % path)
        mean = _numbers(scaling["mean"], n_in, path, "scaling.mean", "one per input")
        std = _numbers(scaling["std"], n_in, path, "scaling.std", "one per input")
        for j in range(n_in):
            if std[j] <= 0.0:
                raise TinyBackpropError("%s: scaling.std[%d] is %r: it must be above 0"
                                        % (path, j, std[j]))
        net.scaling = {"mean": mean, "std": std}
    classes = data.get("classes")
    if classes is not None:
        expected = 2 if n_out == 1 else n_out
        net.classes = _names(classes, expected, path, "classes",
                             "one name per output" if n_out > 1 else "two names, below and above 0.5")
    names = data.get("feature_names")
    if names is not None:
        net.feature_names = _names(names, n_in, path, "feature_names", "one per input")
    target = data.get("target_name")
    if target is not None:
        if not isinstance(target, str):
            raise TinyBackpropError("%s: target_name must be null or a string, got %r"
                                    % (path, target))
        net.target_name = target


def _list(value, n, path, name, meaning):
    if not isinstance(value, list):
        raise TinyBackpropError("%s: %s must be a list, got %s" % (path, name, type(value).__name__))
    if len(value) != n:
        raise TinyBackpropError("%s: %s has %d entries, expected %d (%s)"
                                % (path, name, len(value), n, meaning))
    return value


def _numbers(value, n, path, name, meaning):
    value = _list(value, n, path, name, meaning)
    for i in range(n):
        v = value[i]
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            raise TinyBackpropError("%s: %s[%d] is %r, not a number" % (path, name, i, v))
        if not math.isfinite(v):
            raise TinyBackpropError("%s: %s[%d] is %r: every number must be finite"
                                    % (path, name, i, v))
    return [float(v) for v in value]


def _names(value, n, path, name, meaning):
    value = _list(value, n, path, name, meaning)
    for i in range(n):
        if not isinstance(value[i], str):
            raise TinyBackpropError("%s: %s[%d] is %r, not a string" % (path, name, i, value[i]))
    return list(value)
