"""One per-sample SGD step of a given small network, written out as scalar statements.

``step_source(net)`` writes the Python source of the step for net's sizes and
activations, every sum and every update a line of its own, over local names
named as in the math (``z1_0`` is z^1_0, ``w1_0_1`` is W^1_01, ``d1_0`` is
delta^1_0):

    z1_0 = w1_0_0 * x0 + w1_0_1 * x1 + b1_0        # z^1 = W^1 a^0 + b^1
    a1_0 = _tanh(z1_0)                              # a^1 = sigma(z^1)
    ...
    d1_0 = (w2_0_0 * d2_0) * (1.0 - a1_0 * a1_0)   # delta^1 = (W^2^T delta^2) ⊙ sigma'(z^1)
    R1_0[:] = (w1_0_0 - c * x0, w1_0_1 - c * x1)   # W^1 -= lr delta^1 (a^0)^T, row 0

``python -m tinybackprop unroll`` prints it for a student.  ``generated_stepper``
compiles it and gives ``fast.sgd_stepper`` a step that keeps no list but the
network's own, for networks of at most UNROLL_MAX neurons a layer, compiled
once per shape (compile_step): on MicroPython to machine code where the port has
the native emitter and the heap the room.  It
is faster than the general step on each (docs/speed.md).  The output layer's
loss and delta^L are written out too for the pairs with a short form (sigmoid
with binary cross-entropy, softmax with cross-entropy: output_lines, term by
term as losses.py computes them), else the library's own functions
(``fast.plan_for``); the generated step differs from the reference only in the
order of its sums: tests/test_unroll.py checks them equal to 1e-12, relative, on
every interpreter.
"""
import math

from ..core.activations import LEAKY_SLOPE
from ..core.backprop import MAX_CHANGE, SHORT_FORMS
from ..core.losses import CLAMP
from ..core.checks import parameter_count
from ..core.written import ACTIVATION_FORMS
from .probes import CPYTHON, MICROPYTHON

UNROLL_MAX = 16  # the widest layer (inputs included) written out


def scalar(name):
    """(sigma, sigma') of one neuron as Python expressions in z and a (the registry's
    "scalar" entry), or None for softmax."""
    return ACTIVATION_FORMS[name]["step"]


def can_unroll(net):
    """Does net fit the generator: hidden layers element-wise, no layer wider than UNROLL_MAX?"""
    L = len(net.sizes) - 1
    return max(net.sizes) <= UNROLL_MAX and all(scalar(name) for name in net.activations[:L - 1])


def step_source(net, batch=False):
    """The source of ``step(x, y, LR)`` for net, LR the learning rate: returns (loss, a^L)
    from before the step, or None, changing nothing, if the loss is not finite or a change
    would exceed MAX_CHANGE.

    batch=True: the source of ``batch_step(batch, LR)`` instead, one step on a list of
    (x, y) pairs by their mean gradient: the weights are read once, each sample's
    gradient is added into local sums (g1_0_1 += d1_0 * x1), and the rows are written
    once at the end, W^l -= (lr / B) sum_s delta^l_s (a^(l-1)_s)^T; it returns each
    sample's (loss, a^L), or None, changing nothing."""
    if batch and SPLIT_BATCH:
        return split_batch_source(net)
    head = "def batch_step(batch, LR):" if batch else "def step(x, y, LR):"
    body = read_lines(net) + (batch_lines(net) if batch else sample_lines(net) + update_lines(net))
    return "\n".join([head] + ["    " + line for line in body]) + "\n"


# PyPy's JIT traces a loop's body as one piece: the batch step's loop, each sample's
# lines and its gradient summed into locals, is too long a trace for it (iris [4, 8, 3]:
# "trace too long", and batches of 32 ran at 0.14-0.9 of per-sample SGD, from one
# round to the next).  There the batch step calls a function per sample instead, which
# sums the gradient into a list (split_batch_source); the same sums, in the same order.
SPLIT_BATCH = not CPYTHON and not MICROPYTHON


def split_batch_source(net):
    """The source of batch_step(batch, LR) as two functions: gradient_into(x, y, G), one
    sample's lines (sample_lines) with its gradient and guard bound added into the list G
    (G[k] += d1_0 * x1 ...), and batch_step, which runs it for each sample and then
    guards and updates as batch_lines does."""
    names = gradient_names(net)
    at = dict((name, k) for k, name in enumerate(names))
    into = (read_lines(net) + sample_lines(net) + ["# this sample's gradient and guard bound, added into G"]
            + sum_lines(net, lambda name: "G[%d]" % at[name]) + ["return loss, a_L"])
    lines = ["G = [0.0] * %d  # the sums over the batch of dL/dW^l, dL/db^l and the guard's bounds" % len(names),
             "results = []",
             "for x, y in batch:",
             "    result = gradient_into(x, y, G)",
             "    if result is None:",
             "        return None",
             "    results.append(result)",
             "%s, = G" % ", ".join(names)]
    lines += read_lines(net) + final_lines(net)
    return "\n".join(["def batch_step(batch, LR):"] + ["    " + line for line in lines] +
                     ["def gradient_into(x, y, G):"] + ["    " + line for line in into]) + "\n"


def gradient_names(net):
    """The names of a batch's sums: g1_0_1 of dL/dW^1_01, gb1_0 of dL/db^1_0, bound1 of
    layer 1's guard bound, in the order batch_lines sets them."""
    L = len(net.sizes) - 1
    names = []
    for l in range(1, L + 1):
        names += ["g" + w[1:] for i in range(net.sizes[l]) for w in row_names(net, l, i)]
        names += ["gb%d_%d" % (l, i) for i in range(net.sizes[l])] + ["bound%d" % l]
    return names


def a_name(l, i):
    """The local name of a^l_i: x0, x1, ... for the input a^0."""
    return "x%d" % i if l == 0 else "a%d_%d" % (l, i)


def row_names(net, l, i):
    """The local names of row i of W^l: w1_0_0, w1_0_1, ..."""
    return ["w%d_%d_%d" % (l, i, j) for j in range(net.sizes[l - 1])]


def read_lines(net):
    """The lines that read every row of W^l and every b^l into local names."""
    lines = []
    for l in range(1, len(net.sizes)):
        for i in range(net.sizes[l]):
            lines.append("%s, = R%d_%d  # row %d of W^%d" % (", ".join(row_names(net, l, i)), l, i, i, l))
        lines.append("%s, = B%d  # b^%d" % (", ".join("b%d_%d" % (l, i) for i in range(net.sizes[l])), l, l))
    return lines


def sample_lines(net):
    """The lines of one sample's forward pass, loss (None returned if it is not finite) and
    delta recursion, from x and y to the locals a^l_i and d^l_i = delta^l_i."""
    sizes, L = net.sizes, len(net.sizes) - 1
    n = lambda l: range(sizes[l])
    written_out = (net.activations[L - 1], net.loss) in SHORT_FORMS  # the output layer too
    lines = ["%s, = x" % ", ".join(a_name(0, j) for j in n(0)),
             "# forward: z^l = W^l a^(l-1) + b^l, a^l = sigma(z^l)"]
    for l in range(1, L + 1):
        name = net.activations[l - 1]
        for i in n(l):
            lines.append("z%d_%d = %s + b%d_%d" % (l, i, " + ".join("w%d_%d_%d * %s" % (l, i, j, a_name(l - 1, j))
                                                                    for j in n(l - 1)), l, i))
        if name == "softmax" and written_out:  # activations.softmax, its sums in its order
            lines.append("m = max(%s)" % ", ".join("z%d_%d" % (l, i) for i in n(l)))
            lines += ["e%d = exp(z%d_%d - m)" % (i, l, i) for i in n(l)]
            lines.append("t = sum((%s,))" % ", ".join("e%d" % i for i in n(l)))
            lines += ["%s = e%d / t" % (a_name(l, i), i) for i in n(l)]
            lines.append("a_L = [%s]  # softmax" % ", ".join(a_name(l, i) for i in n(l)))
        elif name == "softmax":
            lines.append("a_L = SIGMA_L([%s])  # softmax" % ", ".join("z%d_%d" % (l, i) for i in n(l)))
            lines.append("%s, = a_L" % ", ".join(a_name(l, i) for i in n(l)))
        else:
            lines += ["%s = %s" % (a_name(l, i), scalar(name)[0] % {"z": "z%d_%d" % (l, i)}) for i in n(l)]
            if l == L:
                lines.append("a_L = [%s]" % ", ".join(a_name(l, i) for i in n(l)))
    if written_out:
        lines += output_lines(net.activations[L - 1], net.loss, sizes[L], L)
    else:
        lines += ["# the loss and delta^L, by the library's own functions for the output layer",
                  "loss = LOSS(a_L, y)", "if not isfinite(loss):", "    return None",
                  "%s, = DELTA_L([%s], a_L, y)" % (", ".join("d%d_%d" % (L, i) for i in n(L)),
                                                   ", ".join("z%d_%d" % (L, i) for i in n(L)))]
    lines.append("# backward: delta^l = ((W^(l+1))^T delta^(l+1)) ⊙ sigma'(z^l)")
    for l in range(L - 1, 0, -1):
        name = net.activations[l - 1]
        for j in n(l):
            back = " + ".join("w%d_%d_%d * d%d_%d" % (l + 1, i, j, l + 1, i) for i in n(l + 1))
            lines.append("d%d_%d = (%s) * %s" % (l, j, back, scalar(name)[1] % {"z": "z%d_%d" % (l, j),
                                                                                 "a": a_name(l, j)}))
    return lines


# Activations whose every a_i is in [-1, 1]: sum|a^l| is then at most n_l, a constant.
BOUNDED = ("tanh", "sigmoid")


def needs_sum(net, l):
    """Does the guard of W^l need sum|a^(l-1)|?  Not after a tanh or sigmoid layer, where
    it is at most n_(l-1) (|a| <= 1: BOUNDED)."""
    return l == 1 or net.activations[l - 2] not in BOUNDED


def guard(net, l):
    """(the lines that set s = sum|a^(l-1)|, the expression sum|delta^l| max(1, s)): times
    lr, a bound of every change the step makes to W^l and b^l (fast.changes_are_safe's).
    After a tanh or sigmoid layer, s is at most n_(l-1) and no line sums it: the bound is
    sum|delta^l| max(1, n_(l-1)), as safe, and makes no float on MicroPython's heap."""
    deltas = " + ".join("abs(d%d_%d)" % (l, i) for i in range(net.sizes[l]))
    if not needs_sum(net, l):
        return [], "(%s) * %r" % (deltas, float(max(1, net.sizes[l - 1])))
    return (["s = %s" % " + ".join("abs(%s)" % a_name(l - 1, j) for j in range(net.sizes[l - 1]))],
            "(%s) * (s if s > 1.0 else 1.0)" % deltas)


def update_lines(net):
    """One sample's guard and update, W^l -= lr delta^l (a^(l-1))^T, b^l -= lr delta^l."""
    lines = ["# the guard: lr sum|delta^l| max(1, sum|a^(l-1)|) bounds every change (fast.changes_are_safe);",
             "# after tanh or sigmoid, sum|a^(l-1)| is at most n_(l-1)"]
    for l in range(1, len(net.sizes)):
        s_lines, bound = guard(net, l)
        lines += s_lines + ["if not LR * %s <= MAX_CHANGE:" % bound, "    return None"]
    lines.append("# update: W^l -= lr delta^l (a^(l-1))^T, b^l -= lr delta^l")
    for l in range(1, len(net.sizes)):
        for i in range(net.sizes[l]):
            lines.append("c = LR * d%d_%d" % (l, i))
            lines += row_update("R%d_%d" % (l, i), ["%s - c * %s" % (w, a_name(l - 1, j))
                                                    for j, w in enumerate(row_names(net, l, i))])
        lines += row_update("B%d" % l, ["b%d_%d - LR * d%d_%d" % (l, i, l, i) for i in range(net.sizes[l])])
    lines.append("return loss, a_L")
    return lines


def row_update(row, values):
    """The lines that write values (expressions) into the list named row: one slice
    assignment of a tuple, but on MicroPython one store an entry, which makes no tuple
    and no slice object on its heap (iris [4, 8, 3]: 1,000 bytes a sample less)."""
    if MICROPYTHON:
        return ["%s[%d] = %s" % (row, j, value) for j, value in enumerate(values)]
    return ["%s[:] = (%s,)" % (row, ", ".join(values))]


def batch_lines(net):
    """A batch's loop: each sample's lines (sample_lines) and its gradient and guard bound
    added to local sums; then the guard and the update by the mean gradient (final_lines)."""
    lines = ["# the sums over the batch of dL/dW^l, dL/db^l, and of each layer's guard bound",
             "%s = 0.0" % " = ".join(gradient_names(net))]
    each = (sample_lines(net) + ["# this sample's gradient, added to the sums; its guard bound, to the layer's"]
            + sum_lines(net, lambda name: name) + ["results.append((loss, a_L))"])
    lines += ["results = []", "for x, y in batch:"] + ["    " + line for line in each]
    return lines + final_lines(net)


def sum_lines(net, place):
    """The lines that add one sample's gradient, dL/dW^l_ij = delta^l_i a^(l-1)_j and
    dL/db^l_i = delta^l_i, and its guard bound to the batch's sums; place(name) is where
    the sum of gradient_names' name is kept (a local, or an entry of a list)."""
    lines = []
    for l in range(1, len(net.sizes)):
        for i in range(net.sizes[l]):
            lines += ["%s += d%d_%d * %s" % (place("g%d_%d_%d" % (l, i, j)), l, i, a_name(l - 1, j))
                      for j in range(net.sizes[l - 1])]
            lines.append("%s += d%d_%d" % (place("gb%d_%d" % (l, i)), l, i))
        s_lines, bound = guard(net, l)
        lines += s_lines + ["%s += %s" % (place("bound%d" % l), bound)]
    return lines


def final_lines(net):
    """A batch's guard and update, from the sums g, gb and bound over its samples."""
    L = len(net.sizes) - 1
    n = lambda l: range(net.sizes[l])
    lines = ["c = LR / len(batch)  # lr times the mean, (1/B) sum",
             "# the guard: the sum of the samples' bounds, times c, bounds every change (fast.batch_is_safe)",
             "if not (%s):  # also False for NaN" % " and ".join("c * bound%d <= MAX_CHANGE" % l
                                                                   for l in range(1, L + 1)),
             "    return None",
             "# update: W^l -= (lr / B) sum_s delta^l_s (a^(l-1)_s)^T, b^l -= (lr / B) sum_s delta^l_s"]
    for l in range(1, L + 1):
        for i in n(l):
            lines += row_update("R%d_%d" % (l, i), ["%s - c * g%s" % (w, w[1:]) for w in row_names(net, l, i)])
        lines += row_update("B%d" % l, ["b%d_%d - c * gb%d_%d" % (l, i, l, i) for i in n(l)])
    lines.append("return results")
    return lines


def clamped(a):
    """The expression of a clamped to [CLAMP, 1 - CLAMP], as losses._clamp makes it."""
    return "(CLAMP if %s < CLAMP else ONE_LESS_CLAMP if %s > ONE_LESS_CLAMP else %s)" % (a, a, a)


def loss_term(loss, a, y):
    """The expression of one output's term of a cross-entropy, as losses.py writes it:
    y log a for cross_entropy (subtracted where y != 0, a clamped here), and
    y log a + (1 - y) log(1 - a) for binary_cross_entropy (a, a name, clamped already)."""
    if loss == "binary_cross_entropy":
        return "(%s * log(%s) + (1.0 - %s) * log(1.0 - %s))" % (y, a, y, a)
    return "%s * log(%s)" % (y, clamped(a))


def delta_term(loss, a, y, n_L):
    """The expression of delta^L_i for a pair of backprop.SHORT_FORMS, as backprop.py
    writes it: (a - y) / n for sigmoid with binary cross-entropy, a sum(y) - y (y_sum,
    a local) for softmax with cross-entropy."""
    if loss == "binary_cross_entropy":
        return "(%s - %s) / %d" % (a, y, n_L)
    return "%s * y_sum - %s" % (a, y)


def output_lines(activation, loss, n_L, L):
    """The lines of the loss and delta^L for a pair in backprop.SHORT_FORMS, written out as
    losses.py and backprop.py compute them, term by term in the same order (the same
    numbers to the bit): loss_term, delta_term."""
    a = lambda i: "a%d_%d" % (L, i)
    lines = ["%s, = y" % ", ".join("y%d" % i for i in range(n_L))]
    if loss == "binary_cross_entropy":  # with a sigmoid output
        lines.append("# the loss: L = (1/n) sum_i -[y_i log a_i + (1 - y_i) log(1 - a_i)], a clamped")
        for i in range(n_L):
            lines.append("clamped%d = %s" % (i, clamped(a(i))))
        lines.append("loss = (0.0 - %s) / %d" % (" - ".join(loss_term(loss, "clamped%d" % i, "y%d" % i)
                                                          for i in range(n_L)), n_L))
        lines.append("if not isfinite(loss):")
        lines.append("    return None")
        lines.append("# delta^L = (a^L - y) / n")
    else:  # cross_entropy with a softmax output
        lines.append("# the loss: L = -sum_i y_i log a_i (0 log a = 0), a clamped")
        lines.append("loss = 0.0")
        for i in range(n_L):
            lines.append("if y%d != 0.0:" % i)
            lines.append("    loss -= %s" % loss_term(loss, a(i), "y%d" % i))
        lines.append("if not isfinite(loss):")
        lines.append("    return None")
        lines.append("# delta^L = a^L sum_i y_i - y")
        lines.append("y_sum = 0.0 + %s" % " + ".join("y%d" % i for i in range(n_L)))
    for i in range(n_L):
        lines.append("d%d_%d = %s" % (L, i, delta_term(loss, a(i), "y%d" % i, n_L)))
    return lines


def module_namespace():
    """The globals of a new module, or a plain dict where a module cannot be made so
    (MicroPython).  PyPy's JIT takes a module's globals (abs, _tanh, MAX_CHANGE) as
    constants, and a plain dict's as lookups: the step on XOR [2, 8, 1] runs at 2.6
    million steps/s against 1.5 (PyPy 7.3.11)."""
    try:
        return type(math)("tinybackprop_step").__dict__
    except (TypeError, AttributeError):
        return {}


def constants():
    """What every generated step reads besides its network: the globals it is run with."""
    return {"_tanh": math.tanh, "LEAKY_SLOPE": LEAKY_SLOPE, "exp": math.exp,
            "log": math.log, "isfinite": math.isfinite, "MAX_CHANGE": MAX_CHANGE, "CLAMP": CLAMP,
            "ONE_LESS_CLAMP": 1.0 - CLAMP}


COMPILED = {}  # (sizes, activations, loss, batch or 'looped') -> what compile_step made: networks of a shape share it
COMPILED_MAX = 32  # shapes kept; all are dropped when more are asked for


def generated_stepper(net, plan, batch=False):
    """step(x, y, lr) for net compiled from step_source (batch=True: batch_step(batch, lr)),
    bound to net's own rows and biases (training changes them in place, so the step
    always sees the current weights); plan is fast.plan_for(net).  Compiled once per
    shape (COMPILED).  None where the interpreter cannot compile source, or has too
    little heap for it."""
    key = (tuple(net.sizes), tuple(net.activations), net.loss, batch)
    bound = bindings(net, plan)
    if key not in COMPILED and MICROPYTHON and not heap_to_compile(net):
        return None
    return compiled_and_bound(key, lambda: step_source(net, batch), bound)


def compiled_and_bound(key, source_of, bound):
    """bind(compile_step(source_of(), the names of bound), bound), compiled once per key
    (COMPILED); None where the interpreter cannot compile source, or runs out of heap."""
    try:
        compiled = COMPILED.get(key)
        if compiled is None:
            compiled = compile_step(source_of(), sorted(bound))
            if len(COMPILED) >= COMPILED_MAX:
                COMPILED.clear()
            COMPILED[key] = compiled
        return bind(compiled, bound)
    except (NameError, SyntaxError, MemoryError):  # a port without exec, or too little heap
        return None


def compile_step(source, names, decorator="@micropython.native"):
    """source's step compiled so that one compiled code serves every network of its shape,
    each bound by bind(compiled, bindings(net, plan)); names: the bindings' names, sorted.

    CPython and PyPy: make(names...), which returns the step closing over its arguments
    (the network's rows, biases and output functions).  A second network of the shape
    (cross-validation, a benchmark's repeats) runs the same code, which PyPy's JIT has
    compiled already: with each network's rows as globals of its own, PyPy compiled anew
    for each network (0.03 of the hand-tuned loop on XOR [2, 8, 1] for 3,000 steps).

    MicroPython: the step itself, compiled to machine code by decorator where the port
    has the native emitter (else as bytecode: a port without it says SyntaxError,
    "invalid micropython decorator", as it does for any decorator it does not know,
    which is how tests/test_unroll.py tries this path), taking the bindings as one more
    argument, ROWS, unpacked into locals; the constants (and abs) are arguments with
    defaults, locals too.  A closure's variables, as on CPython, or globals cost the
    native code most of its gain: on the unix port, XOR [2, 8, 1], 81,000 steps/s with
    the rows as globals, 18,700 as bytecode or as a closure's; a dictionary lookup of a
    global at every use is what the locals save (184,000 instructions a step with the
    default call, 125,000 as locals; the native hand-tuned loop, 146,000).  Compiling
    costs MicroPython some 4 ms a shape (unix port), which a short train call felt."""
    name = source[len("def "):source.index("(")]  # "step" or "batch_step"
    head, rest = source.split("):\n", 1)
    if MICROPYTHON:
        namespace = constants()
        namespace["abs"] = abs
        defaults = ", ".join("%s=%s" % (constant, constant) for constant in sorted(namespace))
        text = "%s, ROWS, %s):\n    %s, = ROWS\n%s" % (head, defaults, ", ".join(names), rest)
        try:
            exec(decorator + "\n" + text, namespace)
        except SyntaxError:  # no native emitter on this port
            exec(text, namespace)
        return ("rows", namespace[name], names, name)
    text = "def make(%s):\n" % ", ".join(names)
    text += "".join("    " + line + "\n" for line in source.split("\n") if line)
    text += "    return %s\n" % name
    namespace = module_namespace()
    namespace.update(constants())
    exec(text, namespace)
    return ("make", namespace["make"], names, name)


def bind(compiled, bound):
    """The step of compile_step's compiled for one network's bindings (bindings(net, plan))."""
    kind, function, names, name = compiled
    if kind == "make":
        return function(**bound)
    rows = tuple(bound[name_i] for name_i in names)
    if name == "step":
        return lambda x, y, lr: function(x, y, lr, rows)
    return lambda batch, lr: function(batch, lr, rows)


def bindings(net, plan):
    """The names step_source's step reads, bound to net's rows (R1_0 = W^1's row 0 ...),
    biases (B1 = b^1 ...) and output functions (plan: fast.plan_for(net))."""
    sigmas, primes, output_delta_of, loss_of = plan
    bound = {"LOSS": loss_of, "DELTA_L": output_delta_of, "SIGMA_L": sigmas[len(sigmas) - 1]}
    for l in range(1, len(net.sizes)):
        for i in range(net.sizes[l]):
            bound["R%d_%d" % (l, i)] = net.weights[l - 1][i]
        bound["B%d" % l] = net.biases[l - 1]
    return bound


# Compiling costs MicroPython far more heap than the step keeps.  The least heap free
# (after gc.collect, 4 KB steps) at which the step compiled on the unix port, with a
# store an entry in the update: [2, 3, 2] (21 weights and biases) 92 KB, [4, 8, 3] (67)
# 215 KB, [8, 16, 8] (280) 452 KB, [16, 16, 16] (544) 832 KB; this estimate is above
# each (159, 228, 548 and 944 KB).  Where it still runs out, the loops run instead.
HEAP_TO_COMPILE = 128 * 1024  # bytes free, and HEAP_PER_PARAMETER for each weight and bias
HEAP_PER_PARAMETER = 1536


def heap_to_compile(net):
    """Has MicroPython's heap room to compile net's step?  A board's tens of KB have
    not: there the loops of tinybackprop.fast.kernels run instead."""
    return heap_free(HEAP_TO_COMPILE + HEAP_PER_PARAMETER * parameter_count(net.sizes))


def heap_free(needed):
    """MicroPython: are needed bytes of heap free, counted after a collection where the
    count before it is short?  (A collection only frees; with the benchmark's data alive
    one took 1.3-3 ms.)"""
    import gc
    if gc.mem_free() >= needed:
        return True
    gc.collect()
    return gc.mem_free() >= needed
