"""Export a model as one standalone Python module that needs only ``math``.

For small devices: the module holds the weights as constants and a
``predict(x)`` that applies the stored input scaling, the forward pass and the
class names.  Its functions are the library's own, copied by source (the
reference loop ``affine_loop`` and the activations used), so the exported
module and tinybackprop compute the same thing.  Command line only (it reads
sources with ``inspect``); the module it writes runs on any Python.
"""
import inspect

from . import __version__, activations, matrix

# What each activation's source needs besides itself.
NEEDS = {"sigmoid": [activations._sigmoid]}

TEMPLATE = '''"""A tinybackprop model, standalone: predict(x) needs only math.

Exported by tinybackprop %(version)s from %(source)s.
Network %(sizes)r, activations %(activations)r.
x: %(n_in)d raw input values%(columns)s.
predict(x): %(returns)s.
"""
import math

SIZES = %(sizes)r
ACTIVATIONS = %(activations)r
# WEIGHTS[l - 1] is W^l: row i holds the weights into neuron i of layer l.
WEIGHTS = %(weights)s
BIASES = %(biases)s
# x is scaled to (x - MEAN) / STD before the first layer (None: used as it is).
MEAN = %(mean)r
STD = %(std)r
CLASSES = %(classes)r
# A regression's prediction is a^L_0 * std + mean in the target's units (None: a^L itself).
TARGET_SCALING = %(target_scaling)r
%(constants)s

%(functions)s

SIGMA = {%(table)s}


def outputs(x):
    """a^L for the raw input x: a^0 = scaled x; z^l = W^l a^(l-1) + b^l, a^l = sigma(z^l)."""
    if len(x) != SIZES[0]:
        raise ValueError("x has %%d values, but the model takes %%d" %% (len(x), SIZES[0]))
    if MEAN is None:
        a = [float(x_j) for x_j in x]
    else:
        a = [(x[j] - MEAN[j]) / STD[j] for j in range(len(x))]
    for l in range(1, len(SIZES)):
        a = SIGMA[ACTIVATIONS[l - 1]](affine_loop(WEIGHTS[l - 1], a, BIASES[l - 1]))
    return a


def predict(x):
    """The class name for x; for a regression, the predicted number (or a^L itself)."""
    a = outputs(x)
    if CLASSES is None:
        if TARGET_SCALING is not None:
            return a[0] * TARGET_SCALING["std"] + TARGET_SCALING["mean"]
        return a
    if len(a) == 1:  # one sigmoid output: the second class above 0.5
        return CLASSES[1] if a[0] >= 0.5 else CLASSES[0]
    best = 0
    for i in range(1, len(a)):
        if a[i] > a[best]:
            best = i
    return CLASSES[best]
'''


def _matrices(ms):
    """Python source for a list of matrices, one row per line."""
    return "[\n" + "".join(" [" + ",\n  ".join(repr(row) for row in m) + "],\n" for m in ms) + "]"


def module_source(net, source="a model file"):
    """The text of the standalone module for net."""
    used = sorted(set(net.activations))
    functions = [matrix.affine_loop]
    for name in used:
        functions += NEEDS.get(name, []) + [getattr(activations, name)]
    n_in, n_out = net.sizes[0], net.sizes[-1]
    if net.classes is None and net.target_scaling is not None:
        returns = "the predicted %s" % (net.target_name or "value")
    elif net.classes is None:
        returns = "the list of the %d outputs a^L" % n_out
    else:
        returns = "one of the class names %r" % (net.classes,)
    return TEMPLATE % {
        "version": __version__, "source": source, "sizes": net.sizes,
        "activations": net.activations, "n_in": n_in,
        "columns": "" if net.feature_names is None else " (%s)" % ", ".join(net.feature_names),
        "returns": returns,
        "weights": _matrices(net.weights), "biases": "[\n" + "".join(
            " %r,\n" % b for b in net.biases) + "]",
        "mean": None if net.scaling is None else net.scaling["mean"],
        "std": None if net.scaling is None else net.scaling["std"],
        "classes": net.classes, "target_scaling": net.target_scaling,
        "constants": "LEAKY_SLOPE = %r\n" % activations.LEAKY_SLOPE if "leaky_relu" in used else "",
        "functions": "\n\n".join(inspect.getsource(f).rstrip() + "\n" for f in functions),
        "table": ", ".join("%r: %s" % (name, name) for name in used),
    }
