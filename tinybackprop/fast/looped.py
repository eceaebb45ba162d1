"""PyPy and MicroPython: the SGD step of a network too wide to write out, as one function.

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
(docs/speed.md).  ``loop_source(net, sparse, batch=True)`` writes the mini-batch
step the same way: digits by batches of 32 went from 0.49-0.55 of per-sample
SGD's samples/s to 0.94-0.95.  On MicroPython compile_step makes it machine code
(@micropython.native), where it saves the general step's calls between its loops.

The output layer's loss and delta^L are written out in loops for softmax with
cross-entropy and sigmoid with binary cross-entropy (output_lines), and are the
library's own functions (``fast.plan_for``) for any other pair; the guard's sums
are made in the loops that pass over the same numbers (sample_lines).  The
per-sample step makes the same sums in the same order as the loops of
fast.kernels, to the bit; tests/test_unroll.py checks both steps against the
reference's weights, to 1e-12, relative, for every activation and loss.
"""
from ..core.backprop import SHORT_FORMS
from ..core.written import ACTIVATION_FORMS
from .probes import CPYTHON, MICROPYTHON
from .unroll import COMPILED, clamped, compiled_and_bound, delta_term, heap_free, loss_term, needs_sum

# Where the sums are index loops: PyPy, whose JIT compiles them, and MicroPython,
# where compile_step makes them machine code (@micropython.native).  CPython's sums
# are in C.  On MicroPython's unix port, digits [64, 32, 10] trained by the default
# call ran at 0.81-0.86 of the native hand-tuned loop by kernels' native loops, and
# at 0.88-0.92 by this step (pixels all non-zero; three runs; with zeros 1.24 and 1.38).
LOOPED = not CPYTHON

# Compiling the step to machine code costs MicroPython far more heap than the step
# keeps.  The least heap free (after gc.collect) at which it compiled on the unix
# port, digits [64, 32, 10]: 772-822 KB per sample, 822-924 KB for the batch step.
# A board's tens of KB run kernels' loops instead; so does any heap with less free.
LOOP_HEAP = 1024 * 1024


def can_loop(net):
    """Does net fit the generator: every hidden layer element-wise?"""
    L = len(net.sizes) - 1
    return all(ACTIVATION_FORMS[name]["step"] is not None for name in net.activations[:L - 1])


def loop_source(net, sparse, batch=False):
    """The source of ``step(x, y, LR)`` for net: (loss, a^L) from before the step, or None,
    changing nothing, if the loss is not finite or a change would exceed MAX_CHANGE.
    It reads W1, B1, ... (net's lists, changed in place) and LOSS, DELTA_L, SIGMA_L
    (the output layer's functions); sparse is fast.kernels.SPARSE.

    batch=True: the source of ``batch_step(batch, LR)``, one step on a list of (x, y)
    pairs by their mean gradient: each sample's gradient, times c = lr / B, added into
    the sums G1, GB1, ... as it is made (G^l_ij += (c delta^l_i) a^(l-1)_j), then
    W^l -= G^l once (a multiplication a weight fewer than W^l -= c G^l: MicroPython
    makes a float object for each);
    each sample's (loss, a^L), or None, changing nothing.  G1, GB1, ... are lists kept
    from one batch to the next, set to 0 at its start: made anew for each batch, they
    cost digits by batches of 32 some 5% (PyPy, 0.85-0.92 of batch 1 against 0.94-0.95)."""
    sizes, L = net.sizes, len(net.sizes) - 1
    if not batch:
        lines = sample_lines(net, sparse)
        lines.append("# the guard: lr sum|delta^l| max(1, sum|a^(l-1)|) bounds every change (fast.changes_are_safe)")
        for l in range(1, L + 1):
            lines += bound_lines(net, l) + ["if not LR * bound <= MAX_CHANGE:", "    return None"]
        lines.append("# update: W^l -= lr delta^l (a^(l-1))^T, b^l -= lr delta^l, zero a^(l-1)_j skipped")
        for l in range(1, L + 1):
            lines += either_way(l - 1, sizes[l - 1], ["for i in range(%d):" % sizes[l],
                                                      "    row, c = W%d[i], LR * d%d[i]" % (l, l),
                                                      "    for j in %(J)s:",
                                                      "        row[j] -= c * a%d[j]" % (l - 1),
                                                      "    B%d[i] -= LR * d%d[i]" % (l, l)])
        lines.append("return loss, a%d" % L)
        return "\n".join(["def step(x, y, LR):"] + ["    " + line for line in lines]) + "\n"
    lines = ["# the sums over the batch of dL/dW^l, dL/db^l (kept lists, emptied) and each layer's guard bound"]
    for l in range(1, L + 1):
        lines += ["for i in range(%d):" % sizes[l],
                  "    row = G%d[i]" % l,
                  "    for j in range(%d):" % sizes[l - 1],
                  "        row[j] = 0.0",
                  "    GB%d[i] = 0.0" % l,
                  "bound%d = 0.0" % l]
    each = sample_lines(net, sparse) + ["# this sample's gradient times c, added to the sums; its guard bound, to the layer's"]
    for l in range(1, L + 1):
        each += either_way(l - 1, sizes[l - 1], ["for i in range(%d):" % sizes[l],
                                                 "    row, c_i = G%d[i], c * d%d[i]" % (l, l),
                                                 "    for j in %(J)s:",
                                                 "        row[j] += c_i * a%d[j]" % (l - 1),
                                                 "    GB%d[i] += c_i" % l])
        each += bound_lines(net, l) + ["bound%d += bound" % l]
    lines += ["c = LR / len(batch)  # lr times the mean, (1/B) sum: the sums are of c dL/dW^l, the step's changes",
              "results = []", "for x, y in batch:"] + ["    " + line for line in each + ["results.append((loss, a%d))" % L]]
    lines += ["# the guard: the sum of the samples' bounds, times c, bounds every change (fast.batch_is_safe)",
              "if not (%s):  # also False for NaN" % " and ".join("c * bound%d <= MAX_CHANGE" % l for l in range(1, L + 1)),
              "    return None",
              "# update: W^l -= (lr / B) sum_s delta^l_s (a^(l-1)_s)^T, b^l -= (lr / B) sum_s delta^l_s"]
    for l in range(1, L + 1):
        lines += ["for i in range(%d):" % sizes[l],
                  "    row, g = W%d[i], G%d[i]" % (l, l),
                  "    for j in range(%d):" % sizes[l - 1],
                  "        row[j] -= g[j]",
                  "    B%d[i] -= GB%d[i]" % (l, l)]
    lines.append("return results")
    return "\n".join(["def batch_step(batch, LR):"] + ["    " + line for line in lines]) + "\n"


def sample_lines(net, sparse):
    """One sample's forward pass, loss (None returned if it is not finite) and delta
    recursion, from x and y to the lists a0 .. aL and d1 .. dL, with the sums the guard
    takes (bound_lines) made in the loops that pass over the same numbers: sd1 .. sdL,
    sum|delta^l|, and sa0 ..., sum|a^(l-1)| where no bound is known (unroll.needs_sum)."""
    sizes, L = net.sizes, len(net.sizes) - 1
    lines = ["a0 = x"]
    for l in range(1, L + 1):
        lines += forward_lines(net, l, sparse)
    out, delta_L = output_lines(net)
    lines += out
    # delta^L_i, as delta_L writes it or as DELTA_L made it, in the loop over i that
    # takes sum|delta^L|: the backward one, or one of its own without a hidden layer
    take = (["    d_i = %s" % delta_L, "    d%d.append(d_i)" % L] if delta_L is not None
            else ["    d_i = d%d[i]" % L]) + ["    sd%d += abs(d_i)" % L]
    lines += (["d%d = []" % L] if delta_L is not None else []) + ["sd%d = 0.0" % L]
    if L == 1:
        lines += ["for i in range(%d):" % sizes[1]] + take
    lines.append("# backward: delta^l = ((W^(l+1))^T delta^(l+1)) ⊙ sigma'(z^l), and sum|delta^l|")
    for l in range(L - 1, 0, -1):
        prime = ACTIVATION_FORMS[net.activations[l - 1]]["step"][1] % {"z": "z%d[j]" % l, "a": "a%d[j]" % l}
        lines += ["g = [0.0] * %d  # (W^%d)^T delta^%d, row by row as matrix.transpose_times" % (sizes[l], l + 1, l + 1),
                  "for i in range(%d):" % sizes[l + 1]]
        lines += take if l + 1 == L else ["    d_i = d%d[i]" % (l + 1)]  # a hidden delta's sum: made with it (below)
        lines += ["    row = W%d[i]" % (l + 1),
                  "    for j in range(%d):" % sizes[l],
                  "        g[j] += row[j] * d_i",
                  "d%d = []" % l,
                  "sd%d = 0.0" % l,
                  "for j in range(%d):" % sizes[l],
                  "    d = g[j] * (%s)" % prime,
                  "    d%d.append(d)" % l,
                  "    sd%d += abs(d)" % l]
    return lines


def output_lines(net):
    """(lines, delta_L): the lines that set the loss (and return None where it is not
    finite), and the expression of delta^L_i, for the loop that makes the list dL; for
    a pair of backprop.SHORT_FORMS written out in loops with unroll's terms (loss_term,
    delta_term: the library's numbers, to the bit), softmax as activations.softmax
    computes it; for any other pair, by the library's own functions, LOSS and DELTA_L
    (then delta_L is None: DELTA_L made the list)."""
    n, L = net.sizes[len(net.sizes) - 1], len(net.sizes) - 1
    pair = (net.activations[L - 1], net.loss)
    a, z = "a%d" % L, "z%d" % L
    if pair not in SHORT_FORMS:
        return (["# the loss and delta^L, by the library's own functions for the output layer",
                 "loss = LOSS(%s, y)" % a, "if not isfinite(loss):", "    return None",
                 "d%d = DELTA_L(%s, %s, y)" % (L, z, a)], None)
    delta_L = delta_term(net.loss, "%s[i]" % a, "y[i]", n)
    if pair == ("softmax", "cross_entropy"):
        return (["# a^L = softmax(z^L) = e / sum(e), e_i = exp(z_i - max z); L = -sum_i y_i log a_i",
                 "# (a clamped; 0 log a = 0); delta^L = a^L sum_i y_i - y",
                 "z_max = max(%s)" % z,
                 "e = []",
                 "total = 0.0",
                 "for i in range(%d):" % n,
                 "    e_i = exp(%s[i] - z_max)" % z,
                 "    e.append(e_i)",
                 "    total += e_i",
                 "%s = []" % a,
                 "loss = 0.0",
                 "y_sum = 0.0",
                 "for i in range(%d):" % n,
                 "    a_i = e[i] / total",
                 "    %s.append(a_i)" % a,
                 "    y_i = y[i]",
                 "    if y_i != 0.0:",
                 "        loss -= %s" % loss_term(net.loss, "a_i", "y_i"),
                 "    y_sum += y_i",
                 "if not isfinite(loss):",
                 "    return None"], delta_L)
    # sigmoid with binary cross-entropy: a^L made in the forward loop
    return (["# L = (1/n) sum_i -[y_i log a_i + (1 - y_i) log(1 - a_i)] (a clamped); delta^L = (a^L - y) / n",
             "loss = 0.0",
             "for i in range(%d):" % n,
             "    a_i = %s[i]" % a,
             "    a_i = %s" % clamped("a_i"),
             "    y_i = y[i]",
             "    loss -= %s" % loss_term(net.loss, "a_i", "y_i"),
             "loss = loss / %d" % n,
             "if not isfinite(loss):",
             "    return None"], delta_L)


def forward_lines(net, l, sparse):
    """z^l = W^l a^(l-1) + b^l and a^l = sigma(z^l), each sum over J(l-1): the j where
    a^(l-1)_j != 0 if at least sparse of them are 0 (kernels.zeros_to_skip), else all.
    Where the guard needs sum|a^(l-1)| (unroll.needs_sum), the loop that finds J(l-1) makes it."""
    n_before, n, name = net.sizes[l - 1], net.sizes[l], net.activations[l - 1]
    sigma = ACTIVATION_FORMS[name]["step"]
    lines = ["# forward: z^%d = W^%d a^%d + b^%d, a^%d = sigma(z^%d)" % (l, l, l - 1, l, l, l)]
    if needs_sum(net, l):
        lines += ["J%d = []  # the j where a^%d_j != 0, and sa%d = sum|a^%d| for the guard" % (l - 1, l - 1, l - 1, l - 1),
                  "sa%d = 0.0" % (l - 1),
                  "for j in range(%d):" % n_before,
                  "    v = a%d[j]" % (l - 1),
                  "    if v != 0.0:",
                  "        J%d.append(j)" % (l - 1),
                  "        sa%d += abs(v)" % (l - 1),
                  "if len(J%d) > %r:  # fewer than sparse of them 0: every j" % (l - 1, n_before - sparse * n_before),
                  "    J%d = None" % (l - 1)]
    else:
        lines.append("J%d = [j for j in range(%d) if a%d[j] != 0.0] if a%d.count(0.0) >= %r else None"
                     % (l - 1, n_before, l - 1, l - 1, sparse * n_before))
    lines += ["z%d = []" % l] + (["a%d = []" % l] if sigma is not None else [])
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
    if sigma is None and (name, net.loss) not in SHORT_FORMS:  # else output_lines makes a^L
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


def bound_lines(net, l):
    """The line that sets bound = sum|delta^l| max(1, sum|a^(l-1)|), which times lr bounds
    every change to W^l and b^l, from the sums sample_lines made; after a tanh or sigmoid
    layer sum|a^(l-1)| is at most n_(l-1) (unroll.needs_sum, unroll.guard)."""
    if not needs_sum(net, l):
        return ["bound = sd%d * %r" % (l, float(max(1, net.sizes[l - 1])))]
    return ["bound = sd%d * (sa%d if sa%d > 1.0 else 1.0)" % (l, l - 1, l - 1)]


def looped_stepper(net, plan, sparse, batch=False):
    """step(x, y, lr) for net compiled from loop_source (batch=True: batch_step(batch, lr)),
    bound to net's own lists; plan is fast.plan_for(net).  Compiled once per shape
    (unroll.COMPILED); None where source cannot be compiled."""
    sigmas, primes, output_delta_of, loss_of = plan
    bound = {"LOSS": loss_of, "DELTA_L": output_delta_of, "SIGMA_L": sigmas[len(sigmas) - 1]}
    for l in range(1, len(net.sizes)):
        bound["W%d" % l], bound["B%d" % l] = net.weights[l - 1], net.biases[l - 1]
        if batch:
            bound["G%d" % l] = [[0.0] * net.sizes[l - 1] for i in range(net.sizes[l])]
            bound["GB%d" % l] = [0.0] * net.sizes[l]
    key = (tuple(net.sizes), tuple(net.activations), net.loss, "looped batch" if batch else "looped")
    if key not in COMPILED and MICROPYTHON and not heap_free(LOOP_HEAP):
        return None
    return compiled_and_bound(key, lambda: loop_source(net, sparse, batch), bound)

