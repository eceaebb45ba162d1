"""PyPy: the per-sample SGD step of a network too wide to write out, as one function.

``loop_source(net)`` writes ``step(x, y, LR)`` for net's sizes and activations:
the loops of ``fast.kernels.sgd_step`` (forward, delta recursion, guard, update,
zero inputs skipped where at least SPARSE of a vector is 0) inline in one
function, each layer's size a constant and each element-wise activation and its
derivative an expression in the loop, where the general step calls a function
a layer (``sigmas[l - 1](z[l])``, one call site for every activation):

    for i in range(32):                    # z^1 = W^1 a^0 + b^1, a^1 = sigma(z^1)
        row = W1[i]
        s = 0.0
        for j in J0:
            s += row[j] * a0[j]
        z = s + B1[i]
        z1.append(z)
        a1.append(_tanh(z))

Why: PyPy's JIT compiles such a function the way it compiles a hand-written
loop.  In fresh processes, digits [64, 32, 10] ran its first epoch at about twice
the general step's samples/s, and in one process the step itself ran faster too
(docs/speed.md).  The output
layer's loss and delta^L are the library's own functions (``fast.plan_for``),
softmax too.  The same sums in the same order as the loops of fast.kernels:
tests/test_unroll.py checks the weights equal to the reference's, to 1e-12,
relative, for every activation and loss.
"""
from ..core.written import ACTIVATION_FORMS
from .probes import CPYTHON, MICROPYTHON
from .unroll import BOUNDED, compiled_and_bound

# Where the sums are index loops and a JIT compiles them: PyPy.  (MicroPython has
# unroll's native step for small networks and kernels' native loops; CPython's
# sums are in C.)
LOOPED = not CPYTHON and not MICROPYTHON


def can_loop(net):
    """Does net fit the generator: every hidden layer element-wise?"""
    L = len(net.sizes) - 1
    return all(ACTIVATION_FORMS[name]["step"] is not None for name in net.activations[:L - 1])


def loop_source(net, sparse):
    """The source of ``step(x, y, LR)`` for net: (loss, a^L) from before the step, or None,
    changing nothing, if the loss is not finite or a change would exceed MAX_CHANGE.
    It reads W1, B1, ... (net's lists, changed in place) and LOSS, DELTA_L, SIGMA_L
    (the output layer's functions); sparse is fast.kernels.SPARSE."""
    sizes, L = net.sizes, len(net.sizes) - 1
    lines = ["a0 = x"]
    for l in range(1, L + 1):
        lines += forward_lines(net, l, sparse)
    lines += ["# the loss and delta^L, by the library's own functions for the output layer",
              "loss = LOSS(a%d, y)" % L, "if not isfinite(loss):", "    return None",
              "d%d = DELTA_L(z%d, a%d, y)" % (L, L, L),
              "# backward: delta^l = ((W^(l+1))^T delta^(l+1)) ⊙ sigma'(z^l)"]
    for l in range(L - 1, 0, -1):
        prime = ACTIVATION_FORMS[net.activations[l - 1]]["step"][1] % {"z": "z%d[j]" % l, "a": "a%d[j]" % l}
        lines += ["g = [0.0] * %d  # (W^%d)^T delta^%d, row by row as matrix.transpose_times" % (sizes[l], l + 1, l + 1),
                  "for i in range(%d):" % sizes[l + 1],
                  "    row, d_i = W%d[i], d%d[i]" % (l + 1, l + 1),
                  "    for j in range(%d):" % sizes[l],
                  "        g[j] += row[j] * d_i",
                  "d%d = [g[j] * (%s) for j in range(%d)]" % (l, prime, sizes[l])]
    lines.append("# the guard: lr sum|delta^l| max(1, sum|a^(l-1)|) bounds every change (fast.changes_are_safe)")
    for l in range(1, L + 1):
        lines += guard_lines(net, l)
    lines.append("# update: W^l -= lr delta^l (a^(l-1))^T, b^l -= lr delta^l, zero a^(l-1)_j skipped")
    for l in range(1, L + 1):
        lines += either_way(l - 1, sizes[l - 1], ["for i in range(%d):" % sizes[l],
                                                  "    row, c = W%d[i], LR * d%d[i]" % (l, l),
                                                  "    for j in %(J)s:",
                                                  "        row[j] -= c * a%d[j]" % (l - 1),
                                                  "    B%d[i] -= LR * d%d[i]" % (l, l)])
    lines.append("return loss, a%d" % L)
    return "\n".join(["def step(x, y, LR):"] + ["    " + line for line in lines]) + "\n"


def forward_lines(net, l, sparse):
    """z^l = W^l a^(l-1) + b^l and a^l = sigma(z^l), each sum over J(l-1): the j where
    a^(l-1)_j != 0 if at least sparse of them are 0 (kernels.zeros_to_skip), else all."""
    n_before, n, name = net.sizes[l - 1], net.sizes[l], net.activations[l - 1]
    sigma = ACTIVATION_FORMS[name]["step"]
    lines = ["# forward: z^%d = W^%d a^%d + b^%d, a^%d = sigma(z^%d)" % (l, l, l - 1, l, l, l),
             "J%d = [j for j in range(%d) if a%d[j] != 0.0] if a%d.count(0.0) >= %r else None"
             % (l - 1, n_before, l - 1, l - 1, sparse * n_before),
             "z%d = []" % l] + (["a%d = []" % l] if sigma is not None else [])
    loop = ["for i in range(%d):" % n,
            "    row = W%d[i]" % l,
            "    s = 0.0",
            "    for j in %(J)s:",
            "        s += row[j] * a%d[j]" % (l - 1),
            "    z = s + B%d[i]" % l,
            "    z%d.append(z)" % l]
    if sigma is not None:
        loop.append("    a%d.append(%s)" % (l, sigma[0] % {"z": "z"}))
    lines += either_way(l - 1, n_before, loop)
    if sigma is None:
        lines.append("a%d = SIGMA_L(z%d)  # softmax" % (l, l))
    return lines


def either_way(l, n, loop):
    """loop's lines twice, over J(l) or, where it is None, over range(n): two loops, not one
    over either a list or a range, which PyPy's JIT compiled for one of them (dense digits
    after digits, in one process: 0.44 of the hand-tuned loop)."""
    lines = ["if J%d is None:  # a dense a^%d: every j" % (l, l)]
    lines += ["    " + line.replace("%(J)s", "range(%d)" % n) for line in loop]
    lines += ["else:  # only the j where a^%d_j != 0" % l]
    return lines + ["    " + line.replace("%(J)s", "J%d" % l) for line in loop]


def guard_lines(net, l):
    """The lines that return None if LR sum|delta^l| max(1, sum|a^(l-1)|) exceeds
    MAX_CHANGE; after a tanh or sigmoid layer sum|a^(l-1)| is at most n_(l-1) (unroll.guard)."""
    n_before = net.sizes[l - 1]
    lines = ["s = 0.0", "for i in range(%d):" % net.sizes[l], "    s += abs(d%d[i])" % l]
    if l >= 2 and net.activations[l - 2] in BOUNDED:
        return lines + ["if not LR * (s * %r) <= MAX_CHANGE:" % float(max(1, n_before)), "    return None"]
    return lines + ["s_a = 0.0", "for j in range(%d):" % n_before, "    s_a += abs(a%d[j])" % (l - 1),
                    "if not LR * (s * (s_a if s_a > 1.0 else 1.0)) <= MAX_CHANGE:", "    return None"]


def looped_stepper(net, plan, sparse):
    """step(x, y, lr) for net compiled from loop_source, bound to net's own lists; plan is
    fast.plan_for(net).  Compiled once per shape (unroll.COMPILED); None where source
    cannot be compiled."""
    sigmas, primes, output_delta_of, loss_of = plan
    bound = {"LOSS": loss_of, "DELTA_L": output_delta_of, "SIGMA_L": sigmas[len(sigmas) - 1]}
    for l in range(1, len(net.sizes)):
        bound["W%d" % l], bound["B%d" % l] = net.weights[l - 1], net.biases[l - 1]
    key = (tuple(net.sizes), tuple(net.activations), net.loss, "looped")
    return compiled_and_bound(key, lambda: loop_source(net, sparse), bound)
