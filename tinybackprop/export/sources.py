"""Export a model for small devices: a Python module, an integer-only module, or C.

``module_source``: one standalone Python module that needs only ``math``: the
weights as constants and a ``predict(x)`` that applies the stored input
scaling, the forward pass and the class names.  Its functions are the
library's own, copied by source (the reference loop ``matrix.affine``, the
activations used, and ``argmax`` and ``predicted_class`` for the class), so the
exported module and tinybackprop compute the same thing.

``int8_module_source``: the model as int8 weights, predicted with integer
arithmetic only, for boards without a floating-point unit (a regression's number
takes one float step at the end); its functions are
``tinybackprop.export.quantize``'s, copied the same way.

``c_header_source``: one C header with the float model and, where the int8
model exists, that too, each with its predict function.

A model trained on a table's columns (categories, gaps filled in) is exported
with that preprocessing: ``export.raw``'s encode, copied too (in C, written
out), makes x from the raw row, so the board predicts from what the CSV holds.

Command line only (it reads sources with ``inspect``); what it writes runs on
any Python, or any C99 compiler.
"""
import inspect

from ..version import __version__
from ..core import activations
from ..core import matrix
from ..core import network
from ..core.errors import TinyBackpropError
from ..core.written import ACTIVATION_FORMS
from ..data.model import as_model


TEMPLATE = '''"""A tinybackprop model, standalone: predict(x) needs only math.

Exported by tinybackprop %(version)s: network %(sizes)r, activations %(activations)r.
x: %(takes)s.
predict(x): %(returns)s.
"""
import math

SOURCE = %(source)r  # the model file this was exported from
FEATURES = %(features)r  # the network's inputs, in order
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
%(constants)s%(preprocessing)s
%(functions)s

SIGMA = {%(table)s}


def outputs(x):
    """a^L for the raw input x: a^0 = scaled x; z^l = W^l a^(l-1) + b^l, a^l = sigma(z^l)."""
%(encode)s    if len(x) != SIZES[0]:
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

# The raw row's encoding, in a module of a model trained on a table's columns.
PREPROCESSING = '''
# A raw row (one value per column below, numbers or text) becomes x by encode:
# COLUMNS holds (name, categories, fill): categories None for a number column, fill
# None where the model refuses a gap (True for a number column that fills it: FILLS[j]
# is the number that fills a gap at input j).
COLUMNS = %(columns)s
FILLS = %(fills)r
MISSING = %(missing)r  # the texts that mean "no value"
'''
ENCODE = '''    x = encode(COLUMNS, x)  # a^0 before scaling; a None is a gap, filled in here
    x = [FILLS[j] if x[j] is None else x[j] for j in range(len(x))]
'''


def _matrices(ms):
    """Python source for a list of matrices, one row per line."""
    return "[\n" + "".join(" [" + ",\n  ".join(repr(row) for row in m) + "],\n" for m in ms) + "]"


def exported_columns(model):
    """The model's raw columns as the exports' COLUMNS (``export.raw``: a number column's
    fill is True where it fills a gap), and each input's fill (a number column's value;
    None for the others), which lies beside the scaling: the int8 module keeps no float."""
    columns, fills = [], []
    for c in model.columns:
        if c["kind"] == "number":
            columns.append((c["name"], None, None if c["fill"] is None else True))
            fills.append(c["fill"])
        else:
            columns.append((c["name"], tuple(c["categories"]), c["fill"]))
            fills += [None] * len(c["categories"])
    return columns, fills


def _tuples(rows):
    """A list of tuples as source, one per line."""
    return "(\n" + "".join("    %r,\n" % (row,) for row in rows) + ")"


def inputs_text(model):
    """What x is, for an exported module's docstring."""
    if model.columns is None:
        return "%d raw input values, in the order of FEATURES (when it is not None)" % model.network.sizes[0]
    return ("a raw row, one value per column of COLUMNS (%d):\nnumbers, or text as a CSV line "
            "gives it; a gap as None, NaN or an empty text" % len(model.columns))


def module_source(model, source="a model file"):
    """The text of the standalone module for model (a Model, or a Network alone)."""
    from . import raw
    model = as_model(model)
    net = model.network
    used = sorted(set(net.activations))
    functions = [matrix.affine, network.argmax, network.predicted_class]  # the library's own, copied
    for name in used:
        entry = activations.ACTIVATIONS[name]
        functions += list(entry["helpers"]) + [entry["sigma"]]
    preprocessing, encode = "", ""
    if model.columns is not None:
        columns, fills = exported_columns(model)
        preprocessing = PREPROCESSING % {"columns": _tuples(columns), "fills": fills, "missing": raw.MISSING}
        encode = ENCODE
        functions += [raw.category_index, raw.encode]
    n_out = net.sizes[len(net.sizes) - 1]
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
        "activations": net.activations, "takes": inputs_text(model),
        "features": model.feature_names, "target": model.target_name,
        "returns": returns,
        "weights": _matrices(net.weights), "biases": "[\n" + "".join(
            " %r,\n" % b for b in net.biases) + "]",
        "mean": None if model.scaling is None else model.scaling["mean"],
        "std": None if model.scaling is None else model.scaling["std"],
        "classes": model.classes, "target_scaling": model.target_scaling,
        "constants": "LEAKY_SLOPE = %r\n" % activations.LEAKY_SLOPE if "leaky_relu" in used else "",
        "preprocessing": preprocessing, "encode": encode,
        "functions": "\n\n".join(inspect.getsource(f).rstrip() + "\n" for f in functions),
        "table": ", ".join("%r: %s" % (name, activations.ACTIVATIONS[name]["sigma"].__name__)
                           for name in used),
    }


# -- int8: integer arithmetic only ----------------------------------------------

INT8_TEMPLATE = '''"""A tinybackprop model as integers: predict(x) uses integer arithmetic only.

Exported by tinybackprop %(version)s (export --format int8).  Network %(sizes)r,
activations %(activations)r: int8 weights with a scale per row, int32 sums,
requantisation by a multiply and a shift, a lookup table for tanh and sigmoid
(clipping for the others), and the class by argmax on the last layer, or a
regression's number from its integer output (tinybackprop/export/quantize.py
explains each step).  x: %(takes)s.
predict(x): %(returns)s.
"""

FEATURES = %(features)r
CLASSES = %(classes)r  # None: a regression
%(output)sMODEL = %(model)s
%(preprocessing)s

%(functions)s

def predict(x):
    """%(returns_doc)s"""
%(encode)s    if len(x) != %(n_in)d:
        raise ValueError("x has %%d values, but the model takes %(n_in)d" %% len(x))
%(predict)s'''

# A regression's int8 output: r^L in units of OUTPUT_STEP, back in the target's units.
INT8_OUTPUT = '''# A regression's prediction is r^L_i * Y_SCALE + Y_MEAN (last_outputs(MODEL, x) gives
# the integers r^L_i: z^L_i = r^L_i / 256): the one float step, at the end.
Y_SCALE = %(scale)r
Y_MEAN = %(mean)r
'''
INT8_PREPROCESSING = '''
# A raw row (one value per column below, numbers or text) becomes x by encode:
# COLUMNS holds (name, categories, fill): categories None for a number column, fill
# None where the model refuses a gap (True for a number column that fills it: its
# int8 input is then MODEL["input"]["fill"]'s).
COLUMNS = %(columns)s
MISSING = %(missing)r  # the texts that mean "no value"
'''


def _ints(values):
    """A tuple of ints (or Nones) as source, wrapped every 20 numbers."""
    values = list(values)
    lines = [", ".join(str(v) for v in values[k:k + 20]) for k in range(0, len(values), 20)]
    return "(" + ",\n     ".join(lines) + ("," if len(values) == 1 else "") + ")"


def _model_source(model):
    """The quantised model (quantize.quantize) as a Python literal of tuples and dicts."""
    layers = []
    for layer in model["layers"]:
        rows = ",\n   ".join(_ints(row) for row in layer["W"])
        layers.append('  {"W": (%s,),\n   "b": %s,\n   "M": %s,\n   "S": %s,\n   "activation": %r%s}'
                      % (rows, _ints(layer["b"]), _ints(layer["M"]), _ints(layer["S"]),
                         layer["activation"], ",\n   \"leaky\": %r" % (layer["leaky"],) if "leaky" in layer else ""))
    tables = ",\n ".join("%r: %s" % (name, _ints(values)) for name, values in sorted(model["tables"].items()))
    inputs = model["input"]
    return ('{"sizes": %r,\n "input": {"A": %s,\n           "C": %s,\n           "fill": %s,\n'
            '           "shift": %d},\n "layers": (\n%s,),\n "tables": {%s},\n "output": %r}'
            % (tuple(model["sizes"]), _ints(inputs["A"]), _ints(inputs["C"]), _ints(inputs["fill"]),
               inputs["shift"], ",\n".join(layers), tables, model["output"]))


def boxes_of(model):
    """Each input's (lowest, highest) standardised value where it is narrower than int8's
    clipped range: a category's one-hot input is 0 or 1; None for a model of numbers only."""
    if model.columns is None:
        return None
    from . import quantize
    boxes, j = [], 0
    for c in model.columns:
        for _ in ([None] if c["kind"] == "number" else c["categories"]):
            if c["kind"] == "number":
                boxes.append((-quantize.INPUT_RANGE, quantize.INPUT_RANGE))
            else:  # (0 - mean) / std and (1 - mean) / std, within the clipped range
                ends = [max(-quantize.INPUT_RANGE, min(quantize.INPUT_RANGE, (v - model.scaling["mean"][j])
                                                       / model.scaling["std"][j])) for v in (0.0, 1.0)]
                boxes.append((min(ends), max(ends)))
            j += 1
    return boxes


def int8_model(model):
    """The integer model (``quantize.quantize``) of a Model, its fills and inputs' boxes included."""
    from . import quantize
    fills = exported_columns(model)[1] if model.columns is not None else None
    return quantize.quantize(model.network, model.scaling, fills=fills, boxes=boxes_of(model))


def int8_module_source(model):
    """The text of the standalone integer module for model (a Model or a Network alone;
    see quantize)."""
    from . import quantize, raw
    model = as_model(model)
    net = model.network
    integers = int8_model(model)
    L = len(net.sizes) - 1
    regression = net.activations[L - 1] == "identity"
    functions = [quantize.quantize_input, quantize.layer_outputs, quantize.last_outputs]
    preprocessing, encode = "", ""
    if model.columns is not None:
        columns = exported_columns(model)[0]  # a number's fill: its q lies in MODEL
        preprocessing = INT8_PREPROCESSING % {"columns": _tuples(columns), "missing": raw.MISSING}
        encode = "    x = encode(COLUMNS, x)  # a None is a gap: quantize_input fills it in\n"
        functions = [raw.category_index, raw.encode] + functions
    if regression:
        scaling = model.target_scaling or {"mean": 0.0, "std": 1.0}
        output = INT8_OUTPUT % {"scale": quantize.OUTPUT_STEP * scaling["std"], "mean": scaling["mean"]}
        classes = None
        if net.sizes[L] == 1 and model.target_scaling is not None:
            returns = "the predicted value, in the target's units"
            predict = "    return last_outputs(MODEL, x)[0] * Y_SCALE + Y_MEAN\n"
        else:
            returns = "the list of the %d outputs a^L" % net.sizes[L]
            predict = "    return [r * Y_SCALE + Y_MEAN for r in last_outputs(MODEL, x)]\n"
    else:
        functions.append(quantize.predict_index)
        output = ""
        classes = tuple(model.classes if model.classes is not None else
                        range(2 if net.sizes[L] == 1 else net.sizes[L]))  # no names: the index
        returns = "one of CLASSES (the class names, or indices where the model has none)"
        predict = "    return CLASSES[predict_index(MODEL, x)]\n"
    return INT8_TEMPLATE % {
        "version": __version__, "sizes": net.sizes, "activations": net.activations,
        "n_in": net.sizes[0], "features": tuple(model.feature_names or ()),
        "classes": classes, "model": _model_source(integers), "output": output,
        "takes": inputs_text(model), "returns": returns, "returns_doc": returns[0].upper() + returns[1:] + ".",
        "preprocessing": preprocessing, "encode": encode, "predict": predict,
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
    """One C header: the float model and tb_predict, and where quantize takes the
    model also the int8 one and tb_predict_int8 (integers only).  A model of a table's
    columns gets tb_encode_row too, which makes x from the raw row's texts.  model is a
    Model, or a Network alone."""
    model = as_model(model)
    check_float32(model)
    net = model.network
    sizes, L = net.sizes, len(net.sizes) - 1
    regression = net.activations[L - 1] == "identity"
    parts = ["/* A tinybackprop model in C, generated by tinybackprop %s (export --format c).\n"
             " * Network %r, activations %s, loss %s.\n"
             " *\n"
             " *   int tb_predict(const float *x, float *out);  float inference on the input x\n"
             " *       (TB_INPUTS values); fills out (TB_OUTPUTS values, a^L; may be NULL) and\n"
             " *       returns the class index (0 for a regression).\n"
             % (__version__, sizes, ", ".join(net.activations), net.loss)]
    if regression and model.target_scaling is not None:
        parts.append(" *   float tb_predict_value(const float *x);  a regression's prediction, in the\n"
                     " *       target's units (a^L_0 TB_Y_STD + TB_Y_MEAN).\n")
    if model.columns is not None:
        parts.append(" *   int tb_encode_row(const char *const *row, float *x);  the raw row (TB_COLUMNS\n"
                     " *       texts, as a CSV line gives them; NULL or \"\" for a gap) as x; returns 0, or\n"
                     " *       the column number (from 1) whose value is not a number or is a gap the\n"
                     " *       model does not fill.  An unseen category is none of the known: its inputs 0.\n")
    try:
        integers = int8_model(model)
    except TinyBackpropError as e:
        integers, why = None, str(e)
    if integers is not None:
        parts.append(" *   void tb_quantize_input(const int32_t *x, int8_t *q);  raw integer inputs to int8\n"
                     " *   void tb_quantize_input_float(const float *x, int8_t *q);  the same for floats\n"
                     " *   void tb_last_int8(const int8_t *q, int32_t *r);  the last layer's r = z^L * 256,\n"
                     " *       by integer arithmetic only: int8 weights, int32 sums, requantisation by\n"
                     " *       multiply and shift (int64 product, arithmetic right shift), a lookup table\n"
                     " *       for tanh and sigmoid, clipping for the others.\n")
        parts.append(" *   float tb_predict_int8_value(const int8_t *q);  the regression's prediction from\n"
                     " *       r (r_0 TB_INT8_Y_SCALE + TB_INT8_Y_MEAN: one float step, at the end).\n"
                     if regression else
                     " *   int tb_predict_int8(const int8_t *q);  the class index, from r.\n")
    else:
        parts.append(" *   (no int8 model: %s)\n" % why.replace("*/", "* /"))
    parts.append(" * tb_predict needs <math.h> (expf, tanhf) and floats; tb_last_int8 needs neither.\n"
                 " * Include this header in one .c file.\n */\n"
                 "#ifndef TINYBACKPROP_MODEL_H\n#define TINYBACKPROP_MODEL_H\n\n"
                 "#include <math.h>\n#include <stddef.h>\n#include <stdint.h>\n%s\n"
                 "#define TB_INPUTS %d\n#define TB_OUTPUTS %d\n\n"
                 % ("#include <stdlib.h>\n#include <string.h>\n" if model.columns is not None else "",
                    sizes[0], sizes[L]))
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
            body.append("        a%d[i] = %s;\n    }\n" % (l, ACTIVATION_FORMS[activation]["c"]))
    body.append("    if (out != NULL) for (i = 0; i < %d; i++) out[i] = a%d[i];\n" % (sizes[L], L))
    if net.activations[L - 1] in ("sigmoid", "softmax"):
        if sizes[L] == 1:
            body.append("    best = a%d[0] >= 0.5f ? 1 : 0;\n" % L)
        else:
            body.append("    for (i = 1; i < %d; i++) if (a%d[i] > a%d[best]) best = i;\n" % (sizes[L], L, L))
    body.append("    return best;\n}\n\n")
    parts.append("\n" + "".join(body))
    if regression and model.target_scaling is not None:
        parts.append("#define TB_Y_MEAN %s\n#define TB_Y_STD %s\n\n"
                     "static inline float tb_predict_value(const float *x) {\n"
                     "    float a[TB_OUTPUTS];\n    tb_predict(x, a);\n"
                     "    return a[0] * TB_Y_STD + TB_Y_MEAN;  /* y = a^L_0 std + mean */\n}\n\n"
                     % (_c_float(model.target_scaling["mean"]), _c_float(model.target_scaling["std"])))
    if model.columns is not None:
        parts.append(_c_encode(model))
    if integers is not None:
        parts.append(_c_int8(integers, model if regression else None))
    parts.append("#endif /* TINYBACKPROP_MODEL_H */\n")
    return "".join(parts)


def _c_encode(model):
    """The C of tb_encode_row: the raw row's texts as x (export.raw's encode, in C)."""
    from . import raw
    columns, fills = exported_columns(model)
    parts = ["/* The raw row as x: numbers by strtod, categories one-hot (tinybackprop/export/raw.py). */\n"
             "#define TB_COLUMNS %d\n" % len(columns),
             "static const char *const tb_missing[%d] = {%s};\n"
             % (len(raw.MISSING), ", ".join(c_string(m) for m in raw.MISSING))]
    for k in range(len(columns)):
        name, categories, fill = columns[k]
        if categories is not None:
            parts.append("static const char *const tb_categories_%d[%d] = {%s};  /* column %d */\n"
                         % (k, len(categories), ", ".join(c_string(c) for c in categories), k + 1))
    parts.append(
        "\n/* The text of value without its leading and trailing spaces: its start, and its length in *n. */\n"
        "static inline const char *tb_trimmed(const char *value, size_t *n) {\n"
        "    size_t end;\n"
        "    while (*value == ' ' || *value == '\\t') value++;\n"
        "    end = strlen(value);\n"
        "    while (end > 0 && (value[end - 1] == ' ' || value[end - 1] == '\\t' || value[end - 1] == '\\r'"
        " || value[end - 1] == '\\n')) end--;\n"
        "    *n = end;\n    return value;\n}\n\n"
        "/* Whether the text s (n bytes) is t. */\n"
        "static inline int tb_is(const char *s, size_t n, const char *t) {\n"
        "    return strlen(t) == n && strncmp(s, t, n) == 0;\n}\n\n"
        "/* The number the text s (n bytes) is, in *v: 1, or 0 when it is not one. */\n"
        "static inline int tb_number(const char *s, size_t n, double *v) {\n"
        "    char text[64], *end;\n"
        "    if (n == 0 || n >= sizeof text) return 0;\n"
        "    memcpy(text, s, n);\n    text[n] = '\\0';\n"
        "    *v = strtod(text, &end);\n"
        "    return *end == '\\0' && *v == *v && *v - *v == 0.0;  /* all of it, finite */\n}\n\n"
        "/* The index of the category the text s (n bytes) names: the same text, else the same number; -1: unseen. */\n"
        "static inline int tb_category(const char *s, size_t n, const char *const *categories, int count) {\n"
        "    int k;\n    double v, c;\n"
        "    for (k = 0; k < count; k++) if (tb_is(s, n, categories[k])) return k;\n"
        "    if (!tb_number(s, n, &v)) return -1;\n"
        "    for (k = 0; k < count; k++)\n"
        "        if (tb_number(categories[k], strlen(categories[k]), &c) && c == v) return k;\n"
        "    return -1;\n}\n\n"
        "static inline int tb_encode_row(const char *const *row, float *x) {\n"
        "    const char *s;\n    size_t n;\n    int j, gap, i = 0;\n"
        + ("    double v;\n" if any(c[1] is None for c in columns) else "")
        + ("    int k;\n" if any(c[1] is not None for c in columns) else ""))
    for k in range(len(columns)):
        name, categories, fill = columns[k]
        parts.append("    /* column %d */\n"
                     "    s = row[%d] == NULL ? \"\" : tb_trimmed(row[%d], &n);\n"
                     "    if (row[%d] == NULL) n = 0;\n"
                     "    for (gap = 0, j = 0; j < %d; j++) gap |= tb_is(s, n, tb_missing[j]);\n"
                     % (k + 1, k, k, k, len(raw.MISSING)))
        if categories is None:
            parts.append("    if (gap) %s\n"
                         "    else if (tb_number(s, n, &v)) x[i] = (float)v;\n"
                         "    else return %d;\n    i++;\n"
                         % ("return %d;" % (k + 1) if fill is None else
                            "x[i] = %s;" % _c_float(model.columns[k]["fill"]), k + 1))
        else:
            parts.append(("    if (gap) return %d;\n    k = tb_category(s, n, tb_categories_%d, %d);\n"
                          % (k + 1, k, len(categories))) if fill is None else
                         ("    k = gap ? %d : tb_category(s, n, tb_categories_%d, %d);\n"
                          % (categories.index(fill), k, len(categories))))
            parts.append("    for (j = 0; j < %d; j++) x[i + j] = j == k ? 1.0f : 0.0f;\n"
                         "    i += %d;\n" % (len(categories), len(categories)))
    parts.append("    return 0;\n}\n\n")
    return "".join(parts)


def _c_int8(model, regression=None):
    """The C of the int8 model: arrays, tb_quantize_input(_float), tb_last_int8, and
    tb_predict_int8 for a classifier or, for regression (the Model), tb_predict_int8_value."""
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
    body = ["static inline void tb_last_int8(const int8_t *q0, int32_t *r) {\n"]
    for l in range(1, L):
        body.append("    int8_t q%d[%d];\n" % (l, sizes[l]))
    body.append("    int i, j;\n")
    for l in range(1, L + 1):
        layer = model["layers"][l - 1]
        activation = layer["activation"]
        body.append("    for (i = 0; i < %d; i++) {  /* acc = b + W q, r = (acc M + 2^(S-1)) >> S */\n"
                    "        int32_t acc = tb_q_b%d[i], r_i;\n"
                    "        for (j = 0; j < %d; j++) acc += (int32_t)tb_q_W%d[i][j] * q%d[j];\n"
                    "        r_i = (int32_t)(((int64_t)acc * tb_q_M%d[i] + ((int64_t)1 << (tb_q_S%d[i] - 1))) >> tb_q_S%d[i]);\n"
                    % (sizes[l], l, sizes[l - 1], l, l - 1, l, l, l))
        if activation is None:
            body.append("        r[i] = r_i;\n    }\n")
        elif activation in model["tables"]:
            body.append("        r_i += 128;\n"
                        "        q%d[i] = tb_table_%s[r_i < 0 ? 0 : r_i > 255 ? 255 : r_i];\n    }\n"
                        % (l, activation))
        else:
            if activation == "relu":
                body.append("        if (r_i < 0) r_i = 0;\n")
            elif activation == "leaky_relu":  # r LEAKY_SLOPE by a multiply and a shift
                M, S = layer["leaky"]
                body.append("        if (r_i < 0) r_i = (int32_t)(((int64_t)r_i * %d + %d) >> %d);  /* r * %r */\n"
                            % (M, 1 << (S - 1), S, activations.LEAKY_SLOPE))
            body.append("        q%d[i] = tb_clip127(r_i);\n    }\n" % l)
    body.append("}\n\n")
    if regression is not None:
        scaling = regression.target_scaling or {"mean": 0.0, "std": 1.0}
        body.append("#define TB_INT8_Y_SCALE %s  /* the output step 1/256, times the target's std */\n"
                    "#define TB_INT8_Y_MEAN %s\n\n"
                    "static inline float tb_predict_int8_value(const int8_t *q0) {\n"
                    "    int32_t r[%d];\n    tb_last_int8(q0, r);\n"
                    "    return (float)r[0] * TB_INT8_Y_SCALE + TB_INT8_Y_MEAN;\n}\n\n"
                    % (_c_float(model["output_step"] * scaling["std"]), _c_float(scaling["mean"]), sizes[L]))
    else:
        body.append("static inline int tb_predict_int8(const int8_t *q0) {\n"
                    "    int32_t r[%d];\n    int i, best = 0;\n    tb_last_int8(q0, r);\n" % sizes[L])
        if sizes[L] == 1:
            body.append("    best = r[0] >= 0 ? 1 : 0;\n")
        else:
            body.append("    for (i = 1; i < %d; i++) if (r[i] > r[best]) best = i;\n" % sizes[L])
        body.append("    (void)i;\n    return best;\n}\n\n")
    parts.append("".join(body))
    return "".join(parts)
