"""Integer inference: a trained model as int8 weights, for boards without an FPU.

``quantize(net)`` turns the float model into integers once, on the computer;
the functions below it (``quantize_input``, ``layer_outputs``, ``last_outputs``,
``predict_index``) then predict with integer arithmetic only.  ``export --format
int8`` copies them, with the integers as constants, into a standalone module, and
``export --format c`` writes the same arithmetic in C: all three give the same
answers, bit for bit.

Real numbers are integers times a scale (symmetric quantisation); each input j
of a layer has its own scale s_j:

    x    the standardised input x_s = (x - mean) / std, clipped to +-INPUT_RANGE
         standard deviations, is q_j = round(x_s,j / s_0) in [-127, 127], s_0 = INPUT_RANGE / 127;
    W^l  the input scales are folded into the weights, W'_ij = W_ij s_j, and each row i
         has its own scale w_i = max_j |W'_ij| / 127: Wq_ij = round(W'_ij / w_i), int8;
    z^l  acc_i = bq_i + sum_j Wq_ij q_j  (int32), so that z_i = acc_i w_i, with bq_i = round(b_i / w_i);
    r    z_i is requantised by a multiply and a shift, r_i = (acc_i M_i + 2^(S_i - 1)) >> S_i
         with M_i / 2^S_i = w_i / t_i, so r_i = round(z_i / t_i), for a step t_i that
         depends on what follows:
    a^l  tanh, sigmoid: t_i = RANGE / 128, and a_i = TABLE[r_i + 128], a lookup table of
         round(127 sigma(z)) at z = k t_i, k = -128..127 (clamped at the ends, where
         tanh and sigmoid are flat); the output scale is 1/127;
         relu, leaky_relu, identity: t_i = B_i / 127, for B_i the largest |a_i| any input
         can give (interval arithmetic over the clipped inputs: no calibration data),
         and a_i = r_i clipped to [-127, 127] (relu: negatives to 0; leaky_relu: a
         negative r_i times LEAKY_SLOPE, by a multiply and a shift); the output scale is t_i;
    out  the last layer's r_i with t_i = OUTPUT_STEP: a^L's z in units of 1/256.  A
         classifier compares them directly (softmax and sigmoid keep the order of z, so
         argmax z^L is the class; for one sigmoid output, z >= 0); a regression's
         identity output is z^L_i = r_i OUTPUT_STEP, dequantised by the one multiply
         and add that also undo the target's scaling.

Hidden layers: tanh, sigmoid, relu, leaky_relu or identity; output: sigmoid or
softmax (a classifier), or identity (a regression).

>>> import tinybackprop as tb
>>> net = tb.Network([2, 3, 2], activations=["tanh", "softmax"], loss="cross_entropy", seed=1)
>>> q = quantize(net)
>>> [len(row) for row in q["layers"][0]["W"]], max(abs(w) for row in q["layers"][0]["W"] for w in row)
([2, 2, 2], 127)
"""
import math

from ..core import activations
from ..core.errors import TinyBackpropError

INPUT_RANGE = 4.0  # standard deviations of an input that int8 covers; beyond, clipped
RANGE = {"tanh": 4.0, "sigmoid": 8.0}  # the z covered by each table: tanh(4) = 0.9993, sigmoid(8) = 0.9997
SCALED = ("relu", "leaky_relu", "identity")  # hidden activations with a step of their own, B_i / 127
OUTPUTS = ("sigmoid", "softmax", "identity")  # a classifier's, or a regression's
OUTPUT_STEP = 1.0 / 256  # the unit of the last layer's r_i
INPUT_BITS = 16  # fractional bits of the input quantisation's fixed point
MULTIPLIER_BITS = 11  # M_i lies in [2^10, 2^11): three decimal digits of the real multiplier


def check_quantizable(net):
    """Raise TinyBackpropError unless int8 takes every layer of net (the module's docstring)."""
    L = len(net.sizes) - 1
    for l in range(1, L):
        if net.activations[l - 1] not in RANGE and net.activations[l - 1] not in SCALED:
            raise TinyBackpropError(
                "int8 export takes tanh, sigmoid, relu, leaky_relu or identity hidden layers; layer %d "
                "is %s: export the float model instead" % (l, net.activations[l - 1]))
    if net.activations[L - 1] not in OUTPUTS:
        raise TinyBackpropError(
            "int8 export takes a sigmoid or softmax output layer (a classifier) or an identity one "
            "(a regression); layer %d is %s: export the float model instead" % (L, net.activations[L - 1]))


MAX_SHIFT = 62  # C shifts an int64 by S: 63 or more is undefined
TINY = 2.0 ** -100  # a row of weights all below this adds nothing that int8 can show: zeros
INT32 = 2 ** 31


def multiplier(real):
    """(M, S) with M / 2^S = real to three digits, M in [2^10, 2^11), 1 <= S <= MAX_SHIFT;
    (0, 1) for a real so small that acc * real rounds to 0 for every int32 acc."""
    if real < 2.0 ** (MULTIPLIER_BITS - MAX_SHIFT):  # |acc| real < 2^31 2^-51: r is 0
        return 0, 1
    S = MULTIPLIER_BITS - 1 - int(math.floor(math.log(real, 2)))
    M = int(round(real * 2 ** S))
    if M >= 2 ** MULTIPLIER_BITS:  # real * 2^S rounded up to 2^11
        M, S = M // 2, S - 1
    if S < 1:  # a multiplier of 2^10 or more: keep the shift that rounds
        S, M = 1, int(round(real * 2))
    return M, S


def table(activation):
    """The 256 entries round(127 sigma(z)) at z = (k - 128) STEP, STEP = RANGE / 128."""
    step = RANGE[activation] / 128
    if activation == "tanh":
        return [int(round(127 * math.tanh((k - 128) * step))) for k in range(256)]
    return [int(round(127 / (1.0 + math.exp(-(k - 128) * step)))) for k in range(256)]


def input_factors(scaling, n_in, s_in):
    """The integer factors A_j, C_j of quantize_input for each of the n_in inputs."""
    mean = [0.0] * n_in if scaling is None else scaling["mean"]
    std = [1.0] * n_in if scaling is None else scaling["std"]
    one = 2 ** INPUT_BITS
    inputs = {"A": [], "C": [], "shift": INPUT_BITS}
    for j in range(n_in):
        scale = std[j] * s_in  # q_j's step in the raw input's units (0 for a std of 1e-310)
        # A = one / scale multiplies an int32 input in int64, so A < 2^31; and |C| < 2^62.
        if not (scale > one / INT32 and abs(mean[j]) / scale < 2.0 ** 62 / one):
            raise TinyBackpropError(
                "input %d: its scaling (mean %r, std %r) does not fit the integer factors of int8 inputs "
                "(std at least %.3g, and |mean| / std below %.3g): export the float model instead"
                % (j, mean[j], std[j], one / s_in / INT32, 2.0 ** 62 / (one / s_in)))
        inputs["A"].append(int(round(one / scale)))
        inputs["C"].append(int(round(one * mean[j] / scale)))
    return inputs


def quantize(net, scaling=None, input_range=INPUT_RANGE, fills=None, boxes=None):
    """The integer model of net, whose x is (raw - mean) / std for scaling's mean and
    std (None: x is raw): a dict of plain ints and lists (see the module's docstring).

    fills: for each input, the raw value that fills a gap there (None: no fill); the
    model keeps its q, which quantize_input gives for a None in x.  boxes: for each
    input, the (lowest, highest) standardised value it takes (a category's one-hot
    input: its 0 and 1), where the clipped +-input_range is wider; they bound the
    hidden layers' outputs."""
    check_quantizable(net)
    n_in, L = net.sizes[0], len(net.sizes) - 1
    s_in = input_range / 127  # the scale of q^0
    inputs = input_factors(scaling, n_in, s_in)
    inputs["fill"] = [None] * n_in
    if fills is not None:  # the fills' q, as quantize_input makes them
        q = quantize_input(inputs, [0 if fill is None else fill for fill in fills])
        inputs["fill"] = [None if fills[j] is None else q[j] for j in range(n_in)]
    s = [s_in] * n_in  # the scale of each input of layer l: a^(l-1)_j = q_j s_j
    box = [(-input_range, input_range) if boxes is None else boxes[j] for j in range(n_in)]
    layers = []
    for l in range(1, L + 1):
        W, b = net.weights[l - 1], net.biases[l - 1]
        activation = net.activations[l - 1] if l < L else None
        Wq, bq, Ms, Ss, steps, next_box = [], [], [], [], [], []
        for i in range(len(W)):
            row = [W[i][j] * s[j] for j in range(len(W[i]))]  # W'_ij = W_ij s_j
            largest = max(abs(w) for w in row)
            w_i = largest / 127 if largest >= TINY else 1.0  # an all-zero (or all-tiny) row: any scale
            Wq.append([int(round(w / w_i)) for w in row])  # a tiny row: w / 1.0 rounds to 0
            bias = b[i] / w_i  # C sums in int32 (and multiplies by M in int64)
            if not abs(bias) + 127 * 127 * len(W[i]) < INT32:
                raise TinyBackpropError(
                    "layer %d, neuron %d: its bias is too large against its weights for int8 "
                    "(b = %r, largest |W| = %r): export the float model instead"
                    % (l, i, b[i], max(abs(w) for w in W[i])))
            bq.append(int(round(bias)))
            # z_i's interval over the inputs' boxes, and a_i's (sigma is monotone)
            low = b[i] + sum(min(W[i][j] * box[j][0], W[i][j] * box[j][1]) for j in range(len(W[i])))
            high = b[i] + sum(max(W[i][j] * box[j][0], W[i][j] * box[j][1]) for j in range(len(W[i])))
            if activation is None:
                step = OUTPUT_STEP
            else:
                sigma = activations.ACTIVATIONS[activation]["sigma"]
                low, high = sigma([low])[0], sigma([high])[0]
                next_box.append((low, high))
                bound = max(abs(low), abs(high))
                step = RANGE[activation] / 128 if activation in RANGE else bound / 127 if bound >= TINY else 1.0
                steps.append(1.0 / 127 if activation in RANGE else step)
            M, S = multiplier(w_i / step)
            if M >= 2 ** 20:
                raise TinyBackpropError(
                    "layer %d, neuron %d: its weights are too large for int8's multiply and shift "
                    "(largest |W| = %r): export the float model instead" % (l, i, max(abs(w) for w in W[i])))
            Ms.append(M)
            Ss.append(S)
        layer = {"W": Wq, "b": bq, "M": Ms, "S": Ss, "activation": activation}
        if activation == "leaky_relu":
            layer["leaky"] = multiplier(activations.LEAKY_SLOPE)
        layers.append(layer)
        s, box = steps, next_box
    tables = {}
    for name in net.activations[:L - 1]:
        if name in RANGE:
            tables[name] = table(name)
    return {"sizes": list(net.sizes), "input": inputs, "layers": layers, "tables": tables,
            "output": net.activations[L - 1], "output_step": OUTPUT_STEP}


# -- Integer inference: these are copied into the exported module ----------------

def quantize_input(inputs, x):
    """q_j = round((x_j - mean_j) / std_j / s_0), clipped to [-127, 127], as
    (x_j A_j - C_j + 2^(shift-1)) >> shift: integer arithmetic for integer x_j
    (sensor readings, pixels); a float x_j is truncated to an int after the multiply.
    A None in x is a gap: the fill's q."""
    A, C, shift = inputs["A"], inputs["C"], inputs["shift"]
    half = 1 << (shift - 1)
    q = []
    for j in range(len(A)):
        if x[j] is None:
            q.append(inputs["fill"][j])
            continue
        q_j = int(x[j] * A[j] - C[j] + half) >> shift
        q.append(-127 if q_j < -127 else 127 if q_j > 127 else q_j)
    return q


def layer_outputs(layer, tables, q):
    """One layer on int8 inputs q: acc_i = b_i + sum_j W_ij q_j, r_i = (acc_i M_i + 2^(S_i-1)) >> S_i,
    then the hidden layer's int8 a_i (a table's entry, or r_i clipped), or the r_i themselves
    for the last."""
    W, b, M, S, activation = layer["W"], layer["b"], layer["M"], layer["S"], layer["activation"]
    out = []
    for i in range(len(W)):
        row = W[i]
        acc = b[i]
        for j in range(len(row)):
            acc += row[j] * q[j]
        r = (acc * M[i] + (1 << (S[i] - 1))) >> S[i]
        if activation is None:
            out.append(r)
        elif activation in tables:
            k = r + 128
            out.append(tables[activation][0 if k < 0 else 255 if k > 255 else k])
        else:
            if r < 0 and activation == "relu":
                r = 0
            elif r < 0 and activation == "leaky_relu":  # r LEAKY_SLOPE, by a multiply and a shift
                r = (r * layer["leaky"][0] + (1 << (layer["leaky"][1] - 1))) >> layer["leaky"][1]
            out.append(-127 if r < -127 else 127 if r > 127 else r)
    return out


def last_outputs(model, x):
    """The last layer's r_i for the raw input x, by integer arithmetic: z^L_i = r_i OUTPUT_STEP."""
    q = quantize_input(model["input"], x)
    for layer in model["layers"]:
        q = layer_outputs(layer, model["tables"], q)
    return q


def predict_index(model, x):
    """The class index for the raw input x, by integer arithmetic (ties: the first)."""
    r = last_outputs(model, x)
    if len(r) == 1:  # one sigmoid output: the second class when z >= 0
        return 1 if r[0] >= 0 else 0
    best = 0
    for i in range(1, len(r)):
        if r[i] > r[best]:
            best = i
    return best
