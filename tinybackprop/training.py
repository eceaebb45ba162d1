"""Training: stochastic gradient descent, one sample or one mini-batch at a time.

    W^l <- W^l - lr dL/dW^l = W^l - lr delta^l (a^(l-1))^T
    b^l <- b^l - lr dL/db^l = b^l - lr delta^l

With batch_size=1 (the default, the article's SGD) the weights change after
every sample; with batch_size=B they change after every B samples, by the mean
of the B gradients (a last, shorter batch uses its own size).
"""
import math

from .errors import TinyBackpropError
from .floats import LARGEST
from .losses import loss_value
from .matrix import add_outer_inplace, add_scaled_inplace, affine, dot, scale, sumprod, zeros
from .network import check_samples, correct, deltas, evaluate, feedforward, is_classifier
from .rng import Random


# A single weight change beyond this is divergence, not learning: the square
# root of the largest float, 1.3e154 with 64-bit floats and 1.8e19 with 32-bit
# ones, so that a weight and an activation of that size still have a finite
# product.  (Taken from the measured width: a literal such as 1e100 does not
# exist as a 32-bit float, and a board's firmware could not hold it.)
MAX_CHANGE = math.sqrt(LARGEST)


def change_is_safe(lr, delta, a):
    """Is every weight change |lr delta^l_i a^(l-1)_j| of a step at most MAX_CHANGE?

    lr sum|delta^l| sum|a^(l-1)| bounds all of a layer's changes at the cost of
    its neurons, not its weights; it is NaN or inf if any of them is.
    """
    for l in range(1, len(delta)):
        bound = lr * sum(map(abs, delta[l])) * sum(map(abs, a[l - 1]))
        if not bound <= MAX_CHANGE:  # also False for NaN
            return False
    return True


def sgd_step(net, x, y, lr, pending=None):
    """One SGD step on one sample, in place; returns (loss, a^L) from before the step.

    All deltas are computed before any weight changes, so each delta^l uses the
    weights from before this step (updating W^(l+1) first and then propagating
    through it is a classic slip).  Returns None, and changes nothing, if the
    loss is not finite or a weight change would exceed MAX_CHANGE.

    pending, if given, is a pair of lists ([c_s], [x_s]) of first-layer updates
    not yet applied (see DEFER below): the forward pass counts them, and this
    step's W^1 change is appended to them instead of being made.
    """
    z1 = None if pending is None else first_layer_z(net, x, pending)
    z, a = feedforward(net, x, z1)
    L = len(net.sizes) - 1
    loss = loss_value(net.loss, a[L], y)
    if not math.isfinite(loss):
        return None
    delta = deltas(net, z, a, y)
    if not change_is_safe(lr, delta, a):
        return None
    for l in range(1, L + 1):
        if l == 1 and pending is not None and worth_deferring(x):
            pending[0].append(scale(-lr, delta[1]))  # W^1 -= lr delta^1 x^T, applied later
            pending[1].append(x)
        else:
            add_outer_inplace(net.weights[l - 1], -lr, delta[l], a[l - 1])  # W^l -= lr delta^l (a^(l-1))^T
        add_scaled_inplace(net.biases[l - 1], -lr, delta[l])  # b^l -= lr delta^l
    return loss, a[L]


# -- Deferred first-layer updates: an exact rearrangement, for CPython 3.12+ ----
#
# Per-sample SGD changes every weight of W^1, usually the widest layer, after
# every sample, one loop turn per weight.  Instead, keep the last steps' pairs
# c_s = -lr delta^1_s and x_s, and in the forward passes that follow use
#     W^1 x = W x + sum_s c_s (x_s . x)      (W as stored, the pairs pending),
# which is all a pending update changes: W^1 is not used in the backward pass,
# since the delta recursion ends at delta^1.  Every DEFER steps apply them all,
#     W_ij <- W_ij + sum_s c_s[i] x_s[j],
# one math.sumprod of DEFER terms per weight in place of DEFER loop turns.  The
# weights are those of per-sample SGD up to rounding (tests/test_training.py
# compares them with the step-by-step update).
#
# Measured (CPython 3.12, [64, 32, 10], 600 samples, medians of 12 repeats run
# alternately): on inputs with no zeros 7,780 samples/s deferred against 6,200
# updated at every step.  But add_outer_inplace skips the columns where x_j = 0,
# so for inputs with many zeros the update at every step is cheaper: digits (49%
# zeros) 8,100 at every step against 7,650 deferred (medians of 7).  So a step whose input is at least
# SPARSE zeros updates W^1 at once; only the others are deferred (both kinds
# mix freely: the pending sum is added to whatever W holds).  Without sumprod,
# or with few inputs (short sums), deferring is slower: it is used only where
# sumprod exists, for batch_size 1 and at least DEFER_MIN_INPUTS inputs.
DEFER = 16 if sumprod is not None else 0
DEFER_MIN_INPUTS = 16
SPARSE = 1 / 3


def worth_deferring(x):
    """Should this step's W^1 update wait?  Only if fewer than SPARSE of x's inputs are 0."""
    return x.count(0.0) < SPARSE * len(x)


def deferral(net, batch_size):
    """How many first-layer updates train collects before applying them (0: none)."""
    if DEFER > 1 and batch_size == 1 and net.sizes[0] >= DEFER_MIN_INPUTS:
        return DEFER
    return 0


def first_layer_z(net, x, pending):
    """z^1 = W^1 x + b^1 where W^1 = W + sum_s c_s x_s^T: the stored W and the pending pairs."""
    C, X = pending
    z1 = affine(net.weights[0], x, net.biases[0])  # W x + b^1
    if C:
        p = [dot(x_s, x) for x_s in X]  # p_s = x_s . x
        z1 = [z_i + dot(c_i, p) for z_i, c_i in zip(z1, zip(*C))]  # + sum_s c_s[i] p_s
    return z1


def apply_pending_inplace(W, pending):
    """W_ij <- W_ij + sum_s c_s[i] x_s[j] for the pending pairs, in place; empties pending."""
    C, X = pending
    rows, columns = list(zip(*C)), list(zip(*X))  # rows[i] = (c_s[i])_s, columns[j] = (x_s[j])_s
    del C[:], X[:]  # taken: a second call cannot apply them twice
    for i in range(len(rows)):
        c_i = rows[i]
        W[i][:] = [w + dot(c_i, x_j) for w, x_j in zip(W[i], columns)]


def minibatch_step(net, batch, lr):
    """One step on a list of (x, y) pairs by their mean gradient, in place.

    Returns a list of (loss, a^L), one per sample, from before the step; or None,
    changing nothing, if a loss is not finite or a change would exceed MAX_CHANGE.
    """
    L = len(net.sizes) - 1
    gW = [zeros(len(W), len(W[0])) for W in net.weights]  # sums of dL/dW^l over the batch
    gb = [zeros(len(b)) for b in net.biases]
    results = []
    for x, y in batch:
        z, a = feedforward(net, x)
        loss = loss_value(net.loss, a[L], y)
        if not math.isfinite(loss):
            return None
        delta = deltas(net, z, a, y)
        if not change_is_safe(lr, delta, a):  # each sample's share of the mean is smaller
            return None
        for l in range(1, L + 1):
            add_outer_inplace(gW[l - 1], 1.0, delta[l], a[l - 1])  # += delta^l (a^(l-1))^T
            add_scaled_inplace(gb[l - 1], 1.0, delta[l])  # += delta^l
        results.append((loss, a[L]))
    c = -lr / len(batch)  # -lr times the mean, (1/B) sum
    for l in range(1, L + 1):
        W, G = net.weights[l - 1], gW[l - 1]
        for i in range(len(W)):
            add_scaled_inplace(W[i], c, G[i])
        add_scaled_inplace(net.biases[l - 1], c, gb[l - 1])
    return results


HISTORY = ("all", "last", "none")  # how much of the history train returns


def check_training_arguments(epochs, lr, batch_size, history="all"):
    """Check the numbers and names that steer training; raise with what to give instead."""
    if history not in HISTORY:
        raise TinyBackpropError("history is %r: give 'all' (a record per epoch), 'last' (the "
                                "last epoch's only) or 'none'" % (history,))
    for name, value in (("epochs", epochs), ("batch_size", batch_size)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise TinyBackpropError("%s is %r: give a whole number of at least 1" % (name, value))
    if not isinstance(lr, (int, float)) or isinstance(lr, bool) or not math.isfinite(lr) or lr <= 0:
        raise TinyBackpropError("lr is %r: the learning rate must be a finite number above 0, "
                                "such as 0.1" % (lr,))


def train(net, samples, epochs=10, lr=0.1, batch_size=1, shuffle=True, seed=0,
          validation=None, callback=None, step_callback=None, history="all"):
    """Train net in place by SGD; return the history, one dict per epoch.

    samples     a list of (x, y) pairs; y has one target per output (one-hot for
                classes).  The list is never reordered: each epoch shuffles an
                index permutation, drawn from ``Random(seed)``.
    epochs      passes over the samples; lr the learning rate eta.
    batch_size  1 for per-sample SGD, B for mini-batches of the mean gradient.
    validation  optional (x, y) pairs, evaluated after each epoch.
    callback    optional function called with each epoch's dict as it ends
                (for progress lines); the library itself prints nothing.
    step_callback  optional function called after every step with (epoch,
                samples done in this epoch): for a progress bar, or to stop
                between two steps by raising an exception (the weights are
                then those after the last whole step).  Where first-layer
                updates are deferred (see DEFER), net.weights[0] seen from
                here may lag up to DEFER - 1 steps; it is complete at each
                epoch's end and when train returns or raises.

    history     "all" (the default) returns a record for every epoch; "last"
                a list of the last epoch's record only, and "none" an empty
                list: a record costs about 150 bytes on a 32-bit board (500
                epochs of XOR kept 74 KB of the emulated board's 140 KB heap).
                callback sees every record either way.

    Each dict holds ``epoch`` (from 1), ``loss`` (the mean of the samples'
    losses, each taken just before its own step), ``accuracy`` (None unless the
    network is a classifier), and ``val_loss`` and ``val_accuracy`` (None
    without validation).

    If a loss stops being finite, or a step would change a weight by more
    than MAX_CHANGE, training stops before that step changes anything and
    raises TinyBackpropError naming the epoch and sample: nothing learned
    before it is lost.
    """
    check_training_arguments(epochs, lr, batch_size, history)
    check_samples(net, samples, "samples")
    if validation is not None:
        check_samples(net, validation, "validation")
    rng = Random(seed)
    m = len(samples)
    order = list(range(m))  # the one index list, reshuffled in place: a new list every
    # epoch would be allocated wherever a board's scattered heap has room, or nowhere
    kept = [None] * (epochs if history == "all" else 1 if history == "last" else 0)  # allocated
    # whole: a list grown in the loop fragments a small heap
    k = deferral(net, batch_size)
    pending = ([], []) if k else None
    try:
        for epoch in range(1, epochs + 1):
            if shuffle:
                for i in range(m):
                    order[i] = i
                rng.shuffle_inplace(order)  # the same order as rng.permutation(m)
            total, right = 0.0, 0
            for start in range(0, m, batch_size):
                if batch_size == 1:
                    x, y = samples[order[start]]
                    result = sgd_step(net, x, y, lr, pending)
                    results = None if result is None else [result]
                    if pending is not None and len(pending[0]) == k:
                        apply_pending_inplace(net.weights[0], pending)
                else:
                    results = minibatch_step(net, [samples[j] for j in order[start:start + batch_size]], lr)
                if results is None:
                    raise diverged(epoch, order[start], batch_size, lr)
                for i in range(len(results)):
                    loss, a_L = results[i]
                    total += loss
                    right += correct(a_L, samples[order[start + i]][1])
                if step_callback is not None:
                    step_callback(epoch, start + len(results))
            if pending is not None:
                apply_pending_inplace(net.weights[0], pending)  # the epoch's weights, complete
            record = {"epoch": epoch, "loss": total / m,
                      "accuracy": right / m if is_classifier(net) else None,
                      "val_loss": None, "val_accuracy": None}
            if validation is not None:
                record["val_loss"], record["val_accuracy"] = evaluate(net, validation)
            if history == "all":
                kept[epoch - 1] = record
            elif history == "last":
                kept[0] = record
            if callback is not None:
                callback(record)
    finally:
        if pending is not None:  # stopped by divergence or by step_callback: keep every whole step
            apply_pending_inplace(net.weights[0], pending)
    return kept


def diverged(epoch, k, batch_size, lr):
    """The error for a step whose loss or weight change is no longer finite."""
    where = "samples[%d]" % k if batch_size == 1 else "the batch starting at samples[%d]" % k
    return TinyBackpropError(
        "training diverged in epoch %d at %s: the loss or a weight change stopped being "
        "finite; the weights are kept from before that step. Try a smaller learning rate "
        "than lr=%r, or scale the inputs to mean 0 and standard deviation 1"
        % (epoch, where, lr))
