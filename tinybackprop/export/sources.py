"""Export a model for small devices: a Python module, an integer-only module, or C.

``module_source``: one standalone Python module that needs only ``math``: the
weights as constants and a ``predict(x)`` that applies the stored input
scaling, the forward pass and the class names.  Its functions are the
library's own, copied by source (the reference loop ``matrix.affine``, the
activations used, and ``argmax`` and ``predicted_class`` for the class), so the
exported module and tinybackprop compute the same thing.

``int8_module_source``: a classifier as int8 weights, predicted with integer
arithmetic only, for boards without a floating-point unit; its functions are
``tinybackprop.export.quantize``'s, copied the same way.

``c_header_source``: one C header with the float model and, where the int8
model exists, that too, each with its predict function.

Command line only (it reads sources with ``inspect``); what it writes runs on
any Python, or any C99 compiler.
"""
import inspect

from ..version import __version__
from ..core import activations
from ..core import matrix
from ..core import network
from ..core.errors import TinyBackpropError
from ..data.model import as_model


TEMPLATE = '''"""A tinybackprop model, standalone: predict(x) needs only math.

Exported by tinybackprop %(version)s: network %(sizes)r, activations %(activations)r.
x: %(n_in)d raw input values, in the order of FEATURES (when it is not None).
predict(x): %(returns)s.
"""
import math

SOURCE = %(source)r  # the model file this was exported from
FEATURES = %(features)r  # the input columns, in order
TARGET = %(target)r  # the column the model predicts
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
        a = SIGMA[ACTIVATIONS[l - 1]](affine(WEIGHTS[l - 1], a, BIASES[l - 1]))
    return a


def predict(x):
    """The class name for x; for a regression, the predicted number (or a^L itself)."""
    a = outputs(x)
    if CLASSES is None:
        if TARGET_SCALING is not None:
            return a[0] * TARGET_SCALING["std"] + TARGET_SCALING["mean"]
        return a
    return CLASSES[predicted_class(a)]
'''


def _matrices(ms):
    """Python source for a list of matrices, one row per line."""
    return "[\n" + "".join(" [" + ",\n  ".join(repr(row) for row in m) + "],\n" for m in ms) + "]"


def numbers_only(model):
    """Raise unless every input of model is a raw column's number: the exported code takes
    numbers, and does not one-hot encode categories."""
    for column in model.columns or []:
        if column["kind"] != "number":
            raise TinyBackpropError("the model makes inputs of the categories of column %r; an "
                                    "exported model takes numbers only (not yet categories)"
                                    % column["name"])


def module_source(model, source="a model file"):
    """The text of the standalone module for model (a Model, or a Network alone)."""
    model = as_model(model)
    numbers_only(model)
    net = model.network
    used = sorted(set(net.activations))
    functions = [matrix.affine, network.argmax, network.predicted_class]  # the library's own, copied
    for name in used:
        entry = activations.ACTIVATIONS[name]
        functions += list(entry["helpers"]) + [entry["sigma"]]
    n_in, n_out = net.sizes[0], net.sizes[len(net.sizes) - 1]
    # Names from the data (columns, classes, the file's name) appear only as repr'd
    # literals below, never in the docstring or a comment: a name is data, not code.
    if model.classes is None and model.target_scaling is not None:
        returns = "the predicted value of TARGET, in its units"
    elif model.classes is None:
        returns = "the list of the %d outputs a^L" % n_out
    else:
        returns = "one of the names in CLASSES"
    return TEMPLATE % {
        "version": __version__, "source": source, "sizes": net.sizes,
        "activations": net.activations, "n_in": n_in,
        "features": model.feature_names, "target": model.target_name,
        "returns": returns,
        "weights": _matrices(net.weights), "biases": "[\n" + "".join(
            " %r,\n" % b for b in net.biases) + "]",
        "mean": None if model.scaling is None else model.scaling["mean"],
        "std": None if model.scaling is None else model.scaling["std"],
        "classes": model.classes, "target_scaling": model.target_scaling,
        "constants": "LEAKY_SLOPE = %r\n" % activations.LEAKY_SLOPE if "leaky_relu" in used else "",
        "functions": "\n\n".join(inspect.getsource(f).rstrip() + "\n" for f in functions),
        "table": ", ".join("%r: %s" % (name, activations.ACTIVATIONS[name]["sigma"].__name__)
                           for name in used),
    }


# -- int8: integer arithmetic only ----------------------------------------------

INT8_TEMPLATE = '''"""A tinybackprop classifier as integers: predict(x) uses integer arithmetic only.

Exported by tinybackprop %(version)s (export --format int8).  Network %(sizes)r,
activations %(activations)r: int8 weights with a scale per row, int32 sums,
requantisation by a multiply and a shift, a lookup table for each hidden
activation, and the class by argmax on the last layer (tinybackprop/export/quantize.py
explains each step).  x: %(n_in)d raw input values, in FEATURES order.
"""

FEATURES = %(features)r
CLASSES = %(classes)r
MODEL = %(model)s


%(functions)s

def predict(x):
    """The class name for the raw input x (a sequence of numbers), or its index
    where the model has no class names."""
    if len(x) != %(n_in)d:
        raise ValueError("x has %%d values, but the model takes %(n_in)d" %% len(x))
    return CLASSES[predict_index(MODEL, x)]
'''


def _ints(values):
    """A tuple of ints as source, wrapped every 20 numbers."""
    values = list(values)
    lines = [", ".join(str(v) for v in values[k:k + 20]) for k in range(0, len(values), 20)]
    return "(" + ",\n     ".join(lines) + ("," if len(values) == 1 else "") + ")"


def _model_source(model):
    """The quantised model (quantize.quantize) as a Python literal of tuples and dicts."""
    layers = []
    for layer in model["layers"]:
        rows = ",\n   ".join(_ints(row) for row in layer["W"])
        layers.append('  {"W": (%s,),\n   "b": %s,\n   "M": %s,\n   "S": %s,\n   "activation": %r}'
                      % (rows, _ints(layer["b"]), _ints(layer["M"]), _ints(layer["S"]),
                         layer["activation"]))
    tables = ",\n ".join("%r: %s" % (name, _ints(values)) for name, values in sorted(model["tables"].items()))
    inputs = model["input"]
    return ('{"sizes": %r,\n "input": {"A": %s,\n           "C": %s,\n           "shift": %d},\n'
            ' "layers": (\n%s,),\n "tables": {%s},\n "output": %r}'
            % (tuple(model["sizes"]), _ints(inputs["A"]), _ints(inputs["C"]), inputs["shift"],
               ",\n".join(layers), tables, model["output"]))


def int8_module_source(model):
    """The text of the standalone integer module for model (a classifier, a Model or a
    Network alone; see quantize)."""
    from . import quantize
    model = as_model(model)
    numbers_only(model)
    net = model.network
    integers = quantize.quantize(net, model.scaling)
    classes = model.classes if model.classes is not None else \
        list(range(2 if net.sizes[-1] == 1 else net.sizes[-1]))  # no names: the index
    functions = [quantize.quantize_input, quantize.layer_outputs, quantize.predict_index]
    return INT8_TEMPLATE % {
        "version": __version__, "sizes": net.sizes, "activations": net.activations,
        "n_in": net.sizes[0], "features": tuple(model.feature_names or ()),
        "classes": tuple(classes), "model": _model_source(integers),
        "functions": "\n\n".join(inspect.getsource(f).rstrip() + "\n" for f in functions),
    }


# -- C: one header, float and int8 ----------------------------------------------

def c_string(text):
    """text as a C string literal: printable ASCII kept, everything else as octal escapes."""
    out = []
    for byte in text.encode("utf-8"):
        char = chr(byte)
        if char in '"\\?' or not 32 <= byte < 127:
            out.append("\\%03o" % byte)
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _c_array(kind, name, values, per_line=12):
    values = list(values)
    lines = [", ".join(values[k:k + per_line]) for k in range(0, len(values), per_line)]
    return "static const %s %s[%d] = {\n    %s};\n" % (kind, name, len(values), ",\n    ".join(lines))


def _c_matrix(kind, name, rows, format_value):
    body = ",\n    ".join("{" + ", ".join(format_value(v) for v in row) + "}" for row in rows)
    return "static const %s %s[%d][%d] = {\n    %s};\n" % (kind, name, len(rows), len(rows[0]), body)


def _c_float(v):
    """A C float constant; below float32's smallest denormal (2^-149) it is 0, and written
    so: the compiler would say "floating constant truncated to zero"."""
    return repr(float(v) if abs(v) >= 2.0 ** -149 else 0.0) + "f"


FLOAT32_MAX = 3.4028234663852886e38  # the largest float32
FLOAT32_NORMAL = 1.1754943508222875e-38  # the smallest normal float32


def check_float32(model):
    """Refuse a model whose constants a C float cannot hold: a number beyond FLOAT32_MAX
    (the compiler makes it inf, and every prediction NaN), or a std below FLOAT32_NORMAL
    (0 or a denormal: the division by it overflows).  A tiny weight may round to 0."""
    net = model.network
    named = [("scaling.mean", model.scaling["mean"]), ("scaling.std", model.scaling["std"])] \
        if model.scaling is not None else []
    for l in range(len(net.weights)):
        named += [("weights[%d][%d]" % (l, i), net.weights[l][i]) for i in range(len(net.weights[l]))]
        named.append(("biases[%d]" % l, net.biases[l]))
    for name, values in named:
        for j in range(len(values)):
            too_small = name == "scaling.std" and values[j] < FLOAT32_NORMAL
            if abs(values[j]) > FLOAT32_MAX or too_small:
                raise TinyBackpropError(
                    "%s[%d] is %r, %s: a C float cannot hold it; train on inputs in other units "
                    "(export --format python keeps doubles)" % (
                        name, j, values[j], "below float32's smallest normal number (%.3g)" % FLOAT32_NORMAL
                        if too_small else "beyond float32's largest (%.3g)" % FLOAT32_MAX))


def c_header_source(model):
    """One C header: the float model and tb_predict, and for classifiers with tanh or
    sigmoid hidden layers also the int8 model and tb_predict_int8 (integer only).
    model is a Model, or a Network alone."""
    from . import quantize
    model = as_model(model)
    numbers_only(model)
    check_float32(model)
    net = model.network
    sizes, L = net.sizes, len(net.sizes) - 1
    parts = ["/* A tinybackprop model in C, generated by tinybackprop %s (export --format c).\n"
             " * Network %r, activations %s, loss %s.\n"
             " *\n"
             " *   int tb_predict(const float *x, float *out);  float inference on the raw input x\n"
             " *       (TB_INPUTS values); fills out (TB_OUTPUTS values, a^L; may be NULL) and\n"
             " *       returns the class index (0 for a regression).\n"
             % (__version__, sizes, ", ".join(net.activations), net.loss)]
    try:
        integers = quantize.quantize(net, model.scaling)
    except TinyBackpropError as e:
        integers, why = None, str(e)
    if integers is not None:
        parts.append(" *   void tb_quantize_input(const int32_t *x, int8_t *q);  raw integer inputs to int8\n"
                     " *   void tb_quantize_input_float(const float *x, int8_t *q);  the same for floats\n"
                     " *   int tb_predict_int8(const int8_t *q);  the class index, by integer arithmetic\n"
                     " *       only: int8 weights, int32 sums, requantisation by multiply and shift\n"
                     " *       (int64 product, arithmetic right shift), a lookup table per activation.\n")
    else:
        parts.append(" *   (no int8 model: %s)\n" % why.replace("*/", "* /"))
    parts.append(" * tb_predict needs <math.h> (expf, tanhf) and floats; tb_predict_int8 needs neither.\n"
                 " * Include this header in one .c file.\n */\n"
                 "#ifndef TINYBACKPROP_MODEL_H\n#define TINYBACKPROP_MODEL_H\n\n"
                 "#include <math.h>\n#include <stddef.h>\n#include <stdint.h>\n\n"
                 "#define TB_INPUTS %d\n#define TB_OUTPUTS %d\n\n" % (sizes[0], sizes[L]))
    if model.classes is not None:
        parts.append("static const char *const tb_classes[%d] = {%s};\n\n"
                     % (len(model.classes), ", ".join(c_string(str(c)) for c in model.classes)))
    # The float model.
    mean = model.scaling["mean"] if model.scaling is not None else [0.0] * sizes[0]
    std = model.scaling["std"] if model.scaling is not None else [1.0] * sizes[0]
    parts.append(_c_array("float", "tb_mean", [_c_float(v) for v in mean]))
    parts.append(_c_array("float", "tb_std", [_c_float(v) for v in std]))
    for l in range(1, L + 1):
        parts.append(_c_matrix("float", "tb_W%d" % l, net.weights[l - 1], _c_float))
        parts.append(_c_array("float", "tb_b%d" % l, [_c_float(v) for v in net.biases[l - 1]]))
    body = ["static inline int tb_predict(const float *x, float *out) {\n",
            "    float a0[%d];\n" % sizes[0]]
    for l in range(1, L + 1):
        body.append("    float a%d[%d];\n" % (l, sizes[l]))
    body.append("    int i, j, best = 0;\n"
                "    for (j = 0; j < %d; j++) a0[j] = (x[j] - tb_mean[j]) / tb_std[j];\n" % sizes[0])
    for l in range(1, L + 1):
        activation = net.activations[l - 1]
        body.append("    for (i = 0; i < %d; i++) {  /* z^%d = W^%d a^%d + b^%d */\n"
                    "        float z = tb_b%d[i];\n"
                    "        for (j = 0; j < %d; j++) z += tb_W%d[i][j] * a%d[j];\n"
                    % (sizes[l], l, l, l - 1, l, l, sizes[l - 1], l, l - 1))
        if activation == "softmax":
            body.append("        a%d[i] = z;\n    }\n" % l)
            body.append("    {  /* softmax, shifted by the largest z */\n"
                        "        float largest = a%d[0], total = 0.0f;\n"
                        "        for (i = 1; i < %d; i++) if (a%d[i] > largest) largest = a%d[i];\n"
                        "        for (i = 0; i < %d; i++) { a%d[i] = expf(a%d[i] - largest); total += a%d[i]; }\n"
                        "        for (i = 0; i < %d; i++) a%d[i] /= total;\n    }\n"
                        % (l, sizes[l], l, l, sizes[l], l, l, l, sizes[l], l))
        else:
            body.append("        a%d[i] = %s;\n    }\n" % (l, activations.ACTIVATIONS[activation]["written"]["c"]))
    body.append("    if (out != NULL) for (i = 0; i < %d; i++) out[i] = a%d[i];\n" % (sizes[L], L))
    if net.activations[L - 1] in ("sigmoid", "softmax"):
        if sizes[L] == 1:
            body.append("    best = a%d[0] >= 0.5f ? 1 : 0;\n" % L)
        else:
            body.append("    for (i = 1; i < %d; i++) if (a%d[i] > a%d[best]) best = i;\n" % (sizes[L], L, L))
    body.append("    return best;\n}\n\n")
    parts.append("\n" + "".join(body))
    if integers is not None:
        parts.append(_c_int8(integers))
    parts.append("#endif /* TINYBACKPROP_MODEL_H */\n")
    return "".join(parts)


def _c_int8(model):
    """The C of the int8 model: arrays, tb_quantize_input(_float) and tb_predict_int8."""
    sizes, L = model["sizes"], len(model["sizes"]) - 1
    inputs = model["input"]
    parts = ["/* The int8 model (tinybackprop/export/quantize.py): integers only. */\n",
             _c_array("int64_t", "tb_q_A", [str(v) for v in inputs["A"]]),
             _c_array("int64_t", "tb_q_C", [str(v) for v in inputs["C"]])]
    for name, values in sorted(model["tables"].items()):
        parts.append(_c_array("int8_t", "tb_table_%s" % name, [str(v) for v in values], 16))
    for l in range(1, L + 1):
        layer = model["layers"][l - 1]
        parts.append(_c_matrix("int8_t", "tb_q_W%d" % l, layer["W"], str))
        parts.append(_c_array("int32_t", "tb_q_b%d" % l, [str(v) for v in layer["b"]]))
        parts.append(_c_array("int32_t", "tb_q_M%d" % l, [str(v) for v in layer["M"]]))
        parts.append(_c_array("uint8_t", "tb_q_S%d" % l, [str(v) for v in layer["S"]], 20))
    shift = inputs["shift"]
    parts.append(
        "\nstatic inline int8_t tb_clip127(int64_t v) { return (int8_t)(v < -127 ? -127 : v > 127 ? 127 : v); }\n\n"
        "static inline void tb_quantize_input(const int32_t *x, int8_t *q) {\n"
        "    int j;  /* q_j = (x_j A_j - C_j + 2^%d) >> %d, clipped to [-127, 127] */\n"
        "    for (j = 0; j < %d; j++) q[j] = tb_clip127(((int64_t)x[j] * tb_q_A[j] - tb_q_C[j] + %dLL) >> %d);\n"
        "}\n\n"
        "static inline void tb_quantize_input_float(const float *x, int8_t *q) {\n"
        "    int j;  /* as tb_quantize_input, the product in double, truncated to an integer */\n"
        "    for (j = 0; j < %d; j++)\n"
        "        q[j] = tb_clip127((int64_t)((double)x[j] * (double)tb_q_A[j] - (double)tb_q_C[j] + %d.0) >> %d);\n"
        "}\n\n" % (shift - 1, shift, sizes[0], 1 << (shift - 1), shift, sizes[0], 1 << (shift - 1), shift))
    body = ["static inline int tb_predict_int8(const int8_t *q0) {\n"]
    for l in range(1, L + 1):
        body.append("    %s q%d[%d];\n" % ("int32_t" if l == L else "int8_t", l, sizes[l]))
    body.append("    int i, j, best = 0;\n")
    for l in range(1, L + 1):
        layer = model["layers"][l - 1]
        body.append("    for (i = 0; i < %d; i++) {  /* acc = b + W q, r = (acc M + 2^(S-1)) >> S */\n"
                    "        int32_t acc = tb_q_b%d[i], r;\n"
                    "        for (j = 0; j < %d; j++) acc += (int32_t)tb_q_W%d[i][j] * q%d[j];\n"
                    "        r = (int32_t)(((int64_t)acc * tb_q_M%d[i] + ((int64_t)1 << (tb_q_S%d[i] - 1))) >> tb_q_S%d[i]);\n"
                    % (sizes[l], l, sizes[l - 1], l, l - 1, l, l, l))
        if layer["activation"] is None:
            body.append("        q%d[i] = r;\n    }\n" % l)
        else:
            body.append("        r += 128;\n"
                        "        q%d[i] = tb_table_%s[r < 0 ? 0 : r > 255 ? 255 : r];\n    }\n"
                        % (l, layer["activation"]))
    if sizes[L] == 1:
        body.append("    best = q%d[0] >= 0 ? 1 : 0;\n" % L)
    else:
        body.append("    for (i = 1; i < %d; i++) if (q%d[i] > q%d[best]) best = i;\n" % (sizes[L], L, L))
    body.append("    return best;\n}\n\n")
    parts.append("".join(body))
    return "".join(parts)
