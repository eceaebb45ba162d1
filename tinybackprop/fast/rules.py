"""The update rules of tinybackprop.training.rules on the fast path: the same equations.

The reference step (core/backprop.py's step with a rule of training/rules.py)
builds the gradient matrices, then the rule's change matrices, and adds them.
For mini-batches, here the forward and backward passes are the fast path's
(kernels.feedforward, kernels.deltas, the gradients summed in place), and a
rule's step goes row by row: the gradient's row i of layer l is the batch's mean
row; with weight decay it gains lambda_n W_i; the rule makes the row's new
state (velocity, moments) and changes from it by the reference's own
expressions, in the same order, so that the numbers are the same.  The new state
and the changes of every row are held until the whole step is known to be within
bounds (every change finite and at most MAX_CHANGE, every loss finite); only then
are the weights and the rule's state changed, in place.  Otherwise nothing
changes and the step returns None, as backprop.step does.

    Momentum   v <- mu v + g (v = g at the first step); Delta W = -lr v, or -lr (g + mu v)
    Adam       m <- b1 m + (1 - b1) g, s <- b2 s + (1 - b2) g g, t <- t + 1
               Delta W = -lr (m / (1 - b1^t)) / (sqrt(s / (1 - b2^t)) + eps)
    SGD        Delta W = -lr g   (here only with weight decay: plain SGD is kernels')

tests/test_fast.py checks that training with each rule, with and without weight
decay, by mini-batches, gives the reference's weights (to 1e-12, relative) for
several activations and losses, on every interpreter.

Per sample, SGD with weight decay has a step of its own (decayed_sgd_step): every
weight changes at every sample, W_ij <- (1 - lr lambda_n) W_ij - lr delta_i a_j, in
one pass over each row (no zero to skip: a decayed weight moves where a_j = 0 too),
the guard bounding the decay's part by a bound of each layer's largest |W| kept
from step to step.  The other rules decline per sample: a rule with a state changes
every weight's state at every sample (two passes over the weights, where plain SGD's
one pass skips the zero inputs), and this row-by-row form was measured no faster than the
reference's there (digits [64, 32, 10], 2026-12-02: CPython 3.11 0.9-1.05 of the
reference, PyPy 0.4, MicroPython 0.9; an in-place form by index loops into
buffers made once, no list per row, was no better: PyPy 0.94 for momentum and
0.62 for Adam, MicroPython 1.0), while for batches of 32 it is 1.5-1.8 times the
reference on CPython and PyPy (examples/benchmark.py's rules).
"""
import math

from ..core.backprop import MAX_CHANGE, SGD
from ..training.rules import Adam, Momentum, WeightDecay
from .kernels import (SHOWN_EQUAL, abs_sum, add_scaled_inplace, changes_are_safe, deltas, feedforward, none_or_list,
                      plan_for, summed_gradients)
from .probes import CPYTHON, mul

try:
    from itertools import repeat
    from operator import add
except ImportError:  # MicroPython: the loops
    repeat = add = None


def rule_stepper(net, rule, batch_size):
    """(step, settle) for rule (Momentum, Adam, or any of them or SGD inside WeightDecay)
    on net, or None where the fast path has no such step: the reference runs then.

    step(batch) makes one step on a list of (x, y) pairs and returns each sample's
    (loss, a^L), or None, changing nothing, on divergence (as backprop.step).
    train changes rule.lr between epochs (a schedule): each step reads it.
    """
    lambda_n, inner = 0.0, rule
    if type(rule) is WeightDecay:
        lambda_n, inner = rule.lambda_n, rule.rule
    if type(inner) not in (SGD, Momentum, Adam) or net.loss not in SHOWN_EQUAL["losses"] or \
            any(name not in SHOWN_EQUAL["activations"] for name in net.activations):
        return None
    plan = plan_for(net)
    if batch_size == 1:
        if type(inner) is not SGD:
            return None  # per sample, the reference's rule step is as fast or faster (see above)
        largest = [largest_abs(W) for W in net.weights]  # SGD with weight decay: kept up to date by each step

        def decayed(batch):
            return none_or_list(decayed_sgd_step(net, batch[0][0], batch[0][1], inner, lambda_n, plan, largest))
        return decayed, (lambda: None)

    def step(batch):
        return rule_step(net, batch, inner, lambda_n, plan)

    return step, (lambda: None)


def largest_abs(W):
    """max |W_ij| over a matrix."""
    return max(max(map(abs, row)) for row in W)


def decayed_sgd_step(net, x, y, rule, lambda_n, plan, largest):
    """One per-sample step of SGD with weight decay (rule: the SGD whose lr it takes), in place:
    W^l <- (1 - lr lambda_n) W^l - lr delta^l (a^(l-1))^T, b^l <- b^l - lr delta^l, the
    reference's W^l + (-lr)(delta^l (a^(l-1))^T + lambda_n W^l) rearranged (equal to rounding).
    Returns (loss, a^L) from before it, or None, changing nothing.

    largest: for each layer, at least max |W^l| (the guard's bound of the decay's part),
    kept so here at the cost of the neurons: |W_ij| after the step is at most
    |1 - lr lambda_n| largest + lr max|delta| max|a|.  Where that bound refuses the
    step, the exact max |W^l| is taken and asked again.
    """
    sigmas, primes, output_delta_of, loss_of = plan
    z, a, nonzero = feedforward(net, x, sigmas)
    L = len(net.sizes) - 1
    loss = loss_of(a[L], y)
    if not math.isfinite(loss):
        return None
    delta = deltas(net, z, a, y, primes, output_delta_of)
    lr = rule.lr
    if not changes_are_safe(lr, delta, a, [lambda_n * w for w in largest]):
        largest[:] = [largest_abs(W) for W in net.weights]  # the exact bound, before refusing
        if not changes_are_safe(lr, delta, a, [lambda_n * w for w in largest]):
            return None
    keep = 1.0 - lr * lambda_n  # what the decay leaves of a weight
    for l in range(1, L + 1):
        W, d, a_before = net.weights[l - 1], delta[l], a[l - 1]
        decay_outer_inplace(W, keep, -lr, d, a_before)  # W^l <- keep W^l - lr delta^l (a^(l-1))^T
        largest[l - 1] = abs(keep) * largest[l - 1] + lr * max(map(abs, d)) * max(map(abs, a_before))
        add_scaled_inplace(net.biases[l - 1], -lr, d)  # b^l <- b^l - lr delta^l
    return loss, a[L]


def decay_outer_inplace(M, keep, c, u, v):
    """M <- keep M + c u v^T, in place: W^l with weight decay (keep = 1 - lr lambda_n,
    c = -lr); each row a list made at once on CPython, index loops elsewhere (PyPy's
    JIT, MicroPython: measured faster there); returns None."""
    for i in range(len(M)):
        row, c_i = M[i], c * u[i]
        if CPYTHON:
            row[:] = [keep * w + c_i * v_j for w, v_j in zip(row, v)]
        else:
            for j in range(len(row)):
                row[j] = keep * row[j] + c_i * v[j]


def rule_step(net, batch, rule, lambda_n, plan):
    """One step of rule on batch (two or more (x, y) pairs), in place; each sample's
    (loss, a^L) from before it, or None, changing nothing."""
    L = len(net.sizes) - 1
    summed = summed_gradients(net, batch, plan)  # the sums, as kernels.minibatch_step makes them
    if summed is None:
        return None
    gW, gb, results = summed
    m = 1.0 / len(batch)  # the mean, (1/B) sum, as backprop.mean_gradient takes it
    gb = [times(m, g_b) for g_b in gb]

    def gradient_row(l, i):  # row i of the mean dL/dW^(l+1)
        return times(m, gW[l][i])
    if type(rule) is Adam:
        rule.t += 1  # undone below if the step is not made
    planned = planned_rows(net, rule, lambda_n, gradient_row, gb)
    if planned is None:
        if type(rule) is Adam:
            rule.t -= 1
        return None
    new_W, new_b = planned
    for l in range(L):
        W = net.weights[l]
        for i in range(len(W)):
            make_change(W[i], new_W[l][i])  # W^l <- W^l + Delta W^l
        make_change(net.biases[l], new_b[l])  # b^l <- b^l + Delta b^l
    keep_state(rule, new_W, new_b)
    return results


def times(c, v):
    """c v, a new list: matrix.scale, in C where CPython has operator.mul."""
    if CPYTHON and mul is not None:
        return list(map(mul, repeat(c, len(v)), v))
    return [c * v_i for v_i in v]


def planned_rows(net, rule, lambda_n, gradient_row, gb):
    """For every row of every W^l and b^l, (its new state, its changes or None); None
    if a change is not finite or exceeds MAX_CHANGE.  Nothing is changed here."""
    new_W, new_b = [], []
    for l in range(len(net.weights)):
        W = net.weights[l]
        rows = []
        for i in range(len(W)):
            g = gradient_row(l, i)
            if lambda_n != 0.0:
                g = [g_j + lambda_n * w for g_j, w in zip(g, W[i])]  # dL/dW + lambda_n W
            planned = plan_row(rule, g, old_state(rule, "W", l, i))
            if planned is None:
                return None
            rows.append(planned)
        planned = plan_row(rule, gb[l], old_state(rule, "b", l, None))  # biases are not decayed
        if planned is None:
            return None
        new_W.append(rows)
        new_b.append(planned)
    return new_W, new_b


def within(change):
    """Is every change finite and at most MAX_CHANGE?  sum_j |change_j| bounds them all
    (NaN or inf if one is), as kernels.changes_are_safe bounds a step's changes."""
    return abs_sum(change) <= MAX_CHANGE


def old_state(rule, kind, l, i):
    """The rule's state for row i of W^(l+1) (kind "W") or for b^(l+1) (kind "b", i None):
    a velocity row, an (m, s) pair of rows, or None (SGD, or before the first step)."""
    if type(rule) is Momentum:
        v = rule.vW if kind == "W" else rule.vb
        if v is None:
            return None
        return v[l][i] if kind == "W" else v[l]
    if type(rule) is Adam:
        m, s = (rule.mW, rule.sW) if kind == "W" else (rule.mb, rule.sb)
        if m is None:
            return None
        return (m[l][i], s[l][i]) if kind == "W" else (m[l], s[l])
    return None


def plan_row(rule, g, state):
    """(the row's new state, its changes) for the rule, from its gradients g and its old
    state, by training/rules.py's expressions term for term; None if a change would be
    out of bounds."""
    c = -rule.lr
    if type(rule) is Momentum:
        mu = rule.mu
        v = list(g) if state is None else [mu * v_i + g_i for v_i, g_i in zip(state, g)]  # v <- mu v + g
        if rule.nesterov:
            change = [c * (g_i + mu * v_i) for v_i, g_i in zip(v, g)]  # -lr (g + mu v)
        else:
            change = times(c, v)  # -lr v
    elif type(rule) is Adam:
        b1, b2, eps = rule.beta1, rule.beta2, rule.epsilon
        unbias1, unbias2 = 1.0 - b1 ** rule.t, 1.0 - b2 ** rule.t
        m0, s0 = state if state is not None else ([0.0] * len(g), [0.0] * len(g))
        m = [b1 * m_i + (1.0 - b1) * g_i for m_i, g_i in zip(m0, g)]  # m <- b1 m + (1 - b1) g
        s = [b2 * s_i + (1.0 - b2) * g_i * g_i for s_i, g_i in zip(s0, g)]  # s <- b2 s + (1 - b2) g^2
        sqrt = math.sqrt
        change = [c * (m_i / unbias1) / (sqrt(s_i / unbias2) + eps) for m_i, s_i in zip(m, s)]
        v = (m, s)
    else:
        v, change = None, times(c, g)  # SGD: -lr g
    return (v, change) if within(change) else None


def make_change(row, planned):
    """row <- row + its changes, in place."""
    state, change = planned
    if CPYTHON and add is not None:
        row[:] = map(add, row, change)
    else:
        for j in range(len(row)):
            row[j] += change[j]


def keep_state(rule, new_W, new_b):
    """Make the step's new rows the rule's state (once the step is made)."""
    if type(rule) is Momentum:
        rule.vW = [[v for v, change in rows] for rows in new_W]
        rule.vb = [v for v, change in new_b]
    elif type(rule) is Adam:
        rule.mW = [[v[0] for v, change in rows] for rows in new_W]
        rule.sW = [[v[1] for v, change in rows] for rows in new_W]
        rule.mb = [v[0] for v, change in new_b]
        rule.sb = [v[1] for v, change in new_b]
