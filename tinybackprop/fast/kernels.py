"""The fast path: the same SGD step as ``tinybackprop.core.backprop``, by faster means.

Everything that is there for speed lives here; tests/test_fast.py checks, on
every interpreter, that training through this module gives the weights of the
reference (to 1e-12, relative) for every activation and loss, one sample or
mini-batches at a time.  Eight means, each exact up to rounding:

1. The fastest form of a sum for the running interpreter, chosen once below:
   math.sumprod on CPython 3.12+, sum(map(operator.mul, ...)) on older
   CPython, the index loop on PyPy (its JIT) and MicroPython (no operator
   module); docs/speed.md has the measurements.  A call of
   sumprod or sum(map) costs about as much as a few loop turns, so sums of
   fewer than SHORTEST terms (a narrow layer, one output) stay loops.
2. The update is made in place, W_ij += (-lr delta_i) a_j, without building
   the gradient matrix, and skips the columns where a_j = 0 (the change there
   is 0; digits pixels are 49% zeros, relu outputs often half).  Where the
   sums are loops (SKIP_ZEROS), the forward sums skip them too; where they are
   in C, an input at most half non-zero has its non-zero entries gathered in C
   and summed alone (GATHER).
3. The divergence guard bounds a step's changes by lr sum|delta^l| sum|a^(l-1)|,
   O(neurons), not O(weights): at least the reference's exact largest change.
4. Deferred first-layer updates, on CPython 3.12+ (see sgd_stepper).
5. A generated step for small networks (tinybackprop.fast.unroll), native code on MicroPython.
6. On MicroPython, the loops compiled to machine code (tinybackprop.fast.native).
7. On PyPy and MicroPython, the step of a wider network generated as one
   function (tinybackprop.fast.looped), machine code on MicroPython.
8. On PyPy and MicroPython (machine code), train's check of every input number
   in one loop (usual_samples).

``sgd_stepper`` offers a step for plain SGD with the activations and losses
listed in SHOWN_EQUAL, and declines anything else (None): the reference
step then runs.
"""
import math

from ..core.activations import ACTIVATIONS, softmax_jacobian_times
from ..core.backprop import MAX_CHANGE, SHORT_FORMS, output_delta
from ..core.losses import LOSSES
from ..core.matrix import affine as affine_loop
from ..core.matrix import add_inplace, hadamard, scale, transpose_times as transpose_times_loop, zeros

from .probes import CPYTHON, MICROPYTHON, compress, itemgetter, mul, sumprod

# What this module has been shown equal to the reference on (tests/test_fast.py).
SHOWN_EQUAL = {"activations": ("sigmoid", "tanh", "relu", "leaky_relu", "identity", "softmax"),
               "losses": ("mse", "binary_cross_entropy", "cross_entropy")}


# -- 1. The fastest form of a sum ----------------------------------------------

def _affine_sumprod(W, a, b):
    return [sumprod(row, a) + b_i for row, b_i in zip(W, b)]


def _transpose_times_sumprod(W, d):
    return [sumprod(column, d) for column in zip(*W)]  # zip(*W) yields W's columns


def _affine_map(W, a, b):
    return [sum(map(mul, row, a)) + b_i for row, b_i in zip(W, b)]


def _transpose_times_map(W, d):
    return [sum(map(mul, column, d)) for column in zip(*W)]


if sumprod is not None:
    IDIOM = "math.sumprod"
    SHORTEST, _affine_fast, _transpose_times_fast = 4, _affine_sumprod, _transpose_times_sumprod
elif mul is not None and CPYTHON:
    IDIOM = "sum(map(operator.mul))"
    SHORTEST, _affine_fast, _transpose_times_fast = 8, _affine_map, _transpose_times_map
else:
    IDIOM = "index loops"  # fastest on PyPy (the JIT) and MicroPython
    SHORTEST, _affine_fast, _transpose_times_fast = 0, affine_loop, transpose_times_loop


def affine(W, a, b):
    """z = W a + b by the fastest form for this interpreter and size."""
    if len(a) < SHORTEST:  # each z_i is a sum of len(a) terms
        return affine_loop(W, a, b)
    return _affine_fast(W, a, b)


def transpose_times(W, d):
    """W^T d by the fastest form for this interpreter and size."""
    if len(d) < SHORTEST:  # each entry is a sum of len(d) terms
        return transpose_times_loop(W, d)
    return _transpose_times_fast(W, d)


if SHORTEST == 0:  # the loops everywhere: skip the dispatch
    affine, transpose_times = affine_loop, transpose_times_loop  # noqa: F811

# Where the sums are loops, a sum over the non-zero a_j only is a shorter loop; sumprod
# and sum(map) would first have to gather them, which costs more than it saves.
SKIP_ZEROS = SHORTEST == 0


def nonzero_indices(v):
    """The indices j, in order, where v_j != 0."""
    return [j for j in range(len(v)) if v[j] != 0.0]


# A loop over a list of indices costs more a turn than one over range(n) (PyPy: dense
# digits [64, 32, 10] ran at 0.80 of the hand-tuned loop with it, 0.86-0.90 without):
# the zeros of a vector are skipped only where at least SPARSE of its entries are 0.
SPARSE = 1 / 3


def zeros_to_skip(v):
    """nonzero_indices(v) if at least SPARSE of v's entries are 0, else None (loop over all)."""
    return nonzero_indices(v) if v.count(0.0) >= SPARSE * len(v) else None


def affine_skipping_zeros(W, a, b, nonzero):
    """z = W a + b as matrix.affine makes it, each sum over the j in nonzero only
    (nonzero_indices(a)).  The same z to the bit: a term skipped is +0.0 or -0.0,
    and each sum starts at +0.0, which adding either zero leaves as it is."""
    z = []
    for i in range(len(W)):
        row = W[i]
        s = 0.0
        for j in nonzero:
            s += row[j] * a[j]
        z.append(s + b[i])
    return z


# Where the sums are in C (sumprod, sum(map)), the non-zero a_j can be gathered in C
# too (operator.itemgetter): for an input of 81% zeros (MNIST's pixels), the gathered
# sums of [784, 32] took 164 us against 536 for the full ones (CPython 3.11).  Worth it
# where at most half of a^(l-1) is non-zero; the sums then have the same terms but the
# zeros, so the same z to the bit (adding +0.0 or -0.0 to a sum leaves it as it is).
GATHER = not SKIP_ZEROS and compress is not None and itemgetter is not None


def nonzero_if_sparse(v):
    """The indices j, in order, where v_j != 0, found in C, if they are at most half of
    v's and at least 2 (itemgetter then gathers a tuple); else None."""
    nonzero = list(compress(range(len(v)), v))  # the j where v_j is true: not 0.0 (NaN is true)
    return nonzero if 2 <= len(nonzero) <= len(v) // 2 else None


def to_gather(a):
    """nonzero_if_sparse(a) where gathering pays (GATHER, sums of SHORTEST terms or more), else None.
    A vector more than half non-zero is told by its count of zeros, in C, before any list is
    made (a dense [64] input: 0.3 us against 1.0 for compress's list, CPython 3.11)."""
    if not GATHER or len(a) < SHORTEST or len(a) - a.count(0.0) > len(a) // 2:
        return None
    return nonzero_if_sparse(a)


def affine_gathered_or_full(W, a, b, nonzero):
    """z = W a + b: over the non-zero a_j (nonzero, from to_gather) or, for None, the full sums."""
    return affine(W, a, b) if nonzero is None else affine_gathering(W, a, b, nonzero)


def affine_gathering(W, a, b, nonzero):
    """z = W a + b with each sum over the j in nonzero only, gathered by itemgetter and
    summed by the fast form: the same z as the full sums (see GATHER)."""
    gather = itemgetter(*nonzero)
    a_nonzero = gather(a)
    return [dot(gather(row), a_nonzero) + b_i for row, b_i in zip(W, b)]


def _dot_loop(u, v):
    """u . v = sum_i u_i v_i, for two sequences of one length."""
    s = 0.0
    for i in range(len(u)):
        s += u[i] * v[i]
    return s


def _dot_map(u, v):
    return sum(map(mul, u, v))


# u . v, in C where CPython has it
dot = sumprod if sumprod is not None else (_dot_map if mul is not None and CPYTHON else _dot_loop)


def plan_for(net):
    """What a step would look up by name, looked up once in the registries:
    (sigmas, primes, output_delta_of, loss_of), each layer's sigma and sigma' (None for
    softmax), delta^L as a function of (z^L, a^L, y), and L as one of (a^L, y)."""
    entries = [ACTIVATIONS[name] for name in net.activations]
    return ([entry["sigma"] for entry in entries], [entry["prime"] for entry in entries],
            output_delta_for(net), LOSSES[net.loss]["loss"])


def feedforward(net, x, sigmas, z1=None):
    """backprop.feedforward by the fast sums, with sigmas = plan_for(net)[0]; z1, if given,
    is z^1 made by the caller (deferred first-layer updates make it, see first_layer_z).

    Returns (z, a, nonzero): nonzero[l], for l = 0 .. L-1, is nonzero_indices(a^l) where
    the update is to skip a^l's zeros (zeros_to_skip), or where the sums in C gathered
    its non-zero entries (GATHER); else None, a dense a^l, whose loops run over it all."""
    z = [None]
    a = [x]
    nonzero = []
    for l in range(1, len(net.sizes)):
        W, a_before, b = net.weights[l - 1], a[l - 1], net.biases[l - 1]
        gathered = None if SKIP_ZEROS else to_gather(a_before)  # sums in C: gather where at most half are non-zero
        nonzero.append(gathered if gathered is not None else zeros_to_skip(a_before))
        if l == 1 and z1 is not None:
            z.append(z1)
        elif SKIP_ZEROS and nonzero[l - 1] is not None:  # the loops skip the zeros the update skips
            z.append(affine_skipping_zeros(W, a_before, b, nonzero[l - 1]))
        else:
            z.append(affine_gathered_or_full(W, a_before, b, gathered))
        a.append(sigmas[l - 1](z[l]))
    return z, a, nonzero


def outputs(net, x):
    """a^L for one sample x: what predict returns."""
    return feedforward(net, x, [ACTIVATIONS[name]["sigma"] for name in net.activations])[1][len(net.sizes) - 1]


def output_delta_for(net):
    """backprop.output_delta for net's output activation and loss, as a function of
    (z^L, a^L, y), chosen once rather than at every step."""
    activation, loss = net.activations[len(net.activations) - 1], net.loss
    short_form = SHORT_FORMS.get((activation, loss))
    if short_form is not None:
        return short_form
    return lambda z_L, a_L, y: output_delta(activation, loss, z_L, a_L, y)


def deltas(net, z, a, y, primes, output_delta_of, columns=None):
    """backprop.deltas by the fast sums, with primes and output_delta_of from plan_for(net);
    columns, if given, is columns_for_batch(net): the columns of each W^l, made once for a batch."""
    L = len(net.sizes) - 1
    delta = [None] * (L + 1)
    delta[L] = output_delta_of(z[L], a[L], y)
    for l in range(L - 1, 0, -1):
        if columns is None or columns[l] is None:
            g = transpose_times(net.weights[l], delta[l + 1])  # (W^(l+1))^T delta^(l+1)
        else:
            g = [dot(column, delta[l + 1]) for column in columns[l]]  # the same, W^(l+1)'s columns made once
        prime = primes[l - 1]
        delta[l] = hadamard(g, prime(z[l], a[l])) if prime is not None else softmax_jacobian_times(a[l], g)
    return delta


def columns_for_batch(net):
    """For each l = 0 .. L-1, the columns of W^(l+1) as tuples where deltas' sums are in C
    (sums of SHORTEST terms or more), else None.  A batch's samples all see the same weights:
    made once, they save each sample the transpose that transpose_times makes (zip(*W))."""
    if SHORTEST == 0:
        return None
    return [list(zip(*W)) if len(W) >= SHORTEST else None for W in net.weights]


# -- 2. The update in place, zeros skipped; 3. the guard ---------------------------

def add_outer_inplace(M, c, u, v, nonzero=None):
    """M <- M + c u v^T, in place: M_ij += (c u_i) v_j; returns None.  nonzero, if given
    (zeros_to_skip(v), feedforward's), lists the j where v_j != 0, and only those columns
    change (elsewhere the change is 0, so the result is the same)."""
    if nonzero is None:
        n = len(v)
        for i in range(len(M)):
            row = M[i]
            c_i = c * u[i]
            for j in range(n):
                row[j] += c_i * v[j]
        return
    for i in range(len(M)):
        row = M[i]
        c_i = c * u[i]
        for j in nonzero:
            row[j] += c_i * v[j]


def add_scaled_inplace(v, c, u):
    """v <- v + c u, in place; returns None."""
    for i in range(len(v)):
        v[i] += c * u[i]


def _abs_sum_map(v):
    return sum(map(abs, v))


def _abs_sum_loop(v):
    s = 0.0
    for i in range(len(v)):
        s += abs(v[i])
    return s


# sum_i |v_i|, for the guard: sum(map(abs)) is in C on CPython and MicroPython, but PyPy's
# JIT does not trace through it, and the loop it does trace took dense digits [64, 32, 10]
# from 0.84 and 0.70 of the hand-tuned loop to 0.94 and 0.91 (two runs).
abs_sum = _abs_sum_map if CPYTHON or MICROPYTHON else _abs_sum_loop


def changes_are_safe(lr, delta, a, decay=None):
    """Is every change |lr delta^l_i a^(l-1)_j| and |lr delta^l_i| of a step at most MAX_CHANGE?

    lr sum|delta^l| max(1, sum|a^(l-1)|) bounds them all at the cost of the
    layer's neurons, not its weights; it is NaN or inf if any of them is.
    decay: with weight decay, each layer's lambda_n max|W^l|, the most its
    decay adds to a gradient (a change is then lr |delta_i a_j + lambda_n W_ij|).
    """
    for l in range(1, len(delta)):
        a_sum = abs_sum(a[l - 1])
        bound = lr * abs_sum(delta[l]) * (1.0 if a_sum <= 1.0 else a_sum)  # NaN: stays NaN
        if decay is not None:
            bound += lr * decay[l - 1]
        if not bound <= MAX_CHANGE:  # also False for NaN
            return False
    return True


def sgd_step(net, x, y, lr, plan, pending=None):
    """One per-sample SGD step, in place; returns (loss, a^L) from before it, or None,
    changing nothing, if the loss is not finite or a change would exceed MAX_CHANGE.

    pending, if given, holds the first-layer updates not yet made (see
    sgd_stepper): the forward pass counts them, and this step's W^1 change,
    for a dense input, joins them instead of being made.  plan: plan_for(net).
    """
    z1 = None if pending is None else first_layer_z(net, x, pending)
    sigmas, primes, output_delta_of, loss_of = plan
    z, a, nonzero = feedforward(net, x, sigmas, z1)
    L = len(net.sizes) - 1
    loss = loss_of(a[L], y)
    if not math.isfinite(loss):
        return None
    delta = deltas(net, z, a, y, primes, output_delta_of)
    if not changes_are_safe(lr, delta, a):
        return None
    for l in range(1, L + 1):
        if l == 1 and pending is not None and worth_deferring(x):
            pending[0].append(scale(-lr, delta[1]))  # W^1 += -lr delta^1 x^T, made later
            pending[1].append(x)
        else:
            add_outer_inplace(net.weights[l - 1], -lr, delta[l], a[l - 1], nonzero[l - 1])  # W^l -= lr delta^l (a^(l-1))^T
        add_scaled_inplace(net.biases[l - 1], -lr, delta[l])  # b^l -= lr delta^l
    return loss, a[L]


def batch_pairs(net, batch, plan):
    """(D, A, N, results) for a batch of (x, y) pairs at the weights from before its step:
    D[l - 1] the list of each sample's delta^l, A[l - 1] of each sample's a^(l-1), N[l - 1]
    of feedforward's nonzero[l - 1] for it (its non-zero indices, or None), and results
    each sample's (loss, a^L); None if a loss is not finite.  The batch's gradient is then
    dL/dW^l summed = sum_s delta^l_s (a^(l-1)_s)^T, made by products_inplace."""
    sigmas, primes, output_delta_of, loss_of = plan
    L = len(net.sizes) - 1
    columns = columns_for_batch(net)
    D = [[] for l in range(L)]
    A = [[] for l in range(L)]
    N = [[] for l in range(L)]
    results = []
    for x, y in batch:
        z, a, nonzero = feedforward(net, x, sigmas)
        loss = loss_of(a[L], y)
        if not math.isfinite(loss):
            return None
        delta = deltas(net, z, a, y, primes, output_delta_of, columns)
        for l in range(1, L + 1):
            D[l - 1].append(delta[l])
            A[l - 1].append(a[l - 1])
            N[l - 1].append(nonzero[l - 1])
        results.append((loss, a[L]))
    return D, A, N, results


def products_inplace(M, c, U, V, nonzero=None):
    """M <- M + c sum_s U_s V_s^T, in place, for lists U and V of one length (a batch's
    delta^l_s and a^(l-1)_s); returns None.  Where the sums are in C, M_ij += (cU)_.i . V_.j,
    one dot product over the batch per entry in place of a loop turn per sample; with
    math.sumprod always, with sum(map) only where V is mostly non-zero (else its zeros
    cost more than the loop that skips them saves); elsewhere by add_outer_inplace,
    one sample at a time, its zero columns skipped (nonzero: each V_s's non-zero
    indices or None, as feedforward found them; else found here)."""
    if SHORTEST == 0 or (sumprod is None and mostly_zeros(V)):
        for s in range(len(U)):
            skip = nonzero[s] if nonzero is not None else zeros_to_skip(V[s])
            add_outer_inplace(M, c, U[s], V[s], skip)  # M += c U_s V_s^T
        return
    if c != 1.0:
        U = [scale(c, u) for u in U]  # a new list: the caller's stays as it was
    rows, columns = list(zip(*U)), list(zip(*V))  # rows[i] = (U_s[i])_s, columns[j] = (V_s[j])_s
    for i in range(len(rows)):
        u_i = rows[i]
        M[i][:] = [m + dot(u_i, v_j) for m, v_j in zip(M[i], columns)]


def mostly_zeros(V):
    """Are at least SPARSE of the entries of the vectors V zeros?"""
    zeros_counted = sum(v.count(0.0) for v in V)
    return zeros_counted >= SPARSE * len(V) * len(V[0])


def batch_is_safe(c, D, A):
    """Is every change of a batch's step, |c sum_s delta_s,i a_s,j| and |c sum_s delta_s,i|,
    at most MAX_CHANGE?  |c| sum_s sum|delta_s| max(1, sum|a_s|) bounds them all, at the
    cost of the neurons (as changes_are_safe for one sample); NaN or inf fails."""
    for l in range(len(D)):
        bound = 0.0
        for delta_s, a_s in zip(D[l], A[l]):
            a_sum = abs_sum(a_s)
            bound += abs_sum(delta_s) * (1.0 if a_sum <= 1.0 else a_sum)
        if not abs(c) * bound <= MAX_CHANGE:  # also False for NaN
            return False
    return True


def summed_gradients(net, batch, plan):
    """(gW, gb, results): the sums over batch of dL/dW^l and dL/db^l, and each sample's
    (loss, a^L); None if a loss is not finite."""
    pairs = batch_pairs(net, batch, plan)
    if pairs is None:
        return None
    D, A, N, results = pairs
    gW = [zeros(len(W), len(W[0])) for W in net.weights]
    gb = []
    for l in range(len(D)):
        products_inplace(gW[l], 1.0, D[l], A[l], N[l])  # sum_s delta^l_s (a^(l-1)_s)^T
        gb.append(column_sums(D[l]))  # sum_s delta^l_s
    return gW, gb, results


def column_sums(U):
    """sum_s U_s for a list of vectors of one length."""
    total = list(U[0])
    for s in range(1, len(U)):
        add_inplace(total, U[s])
    return total


def minibatch_step(net, batch, lr, plan):
    """One SGD step on a list of (x, y) pairs by their mean gradient, in place:
    W^l <- W^l - (lr / B) sum_s delta^l_s (a^(l-1)_s)^T, b^l <- b^l - (lr / B) sum_s delta^l_s.

    Returns each sample's (loss, a^L) from before the step; or None, changing
    nothing, if a loss is not finite or a change would exceed MAX_CHANGE.
    """
    pairs = batch_pairs(net, batch, plan)
    if pairs is None:
        return None
    D, A, N, results = pairs
    c = -lr / len(batch)  # -lr times the mean, (1/B) sum
    if not batch_is_safe(c, D, A):
        return None
    for l in range(len(D)):
        products_inplace(net.weights[l], c, D[l], A[l], N[l])  # W^l += c sum_s delta^l_s (a^(l-1)_s)^T
        add_scaled_inplace(net.biases[l], c, column_sums(D[l]))  # b^l += c sum_s delta^l_s
    return results


# -- 4. Deferred first-layer updates: an exact rearrangement, for CPython 3.12+ ----
#
# Per-sample SGD changes every weight of W^1, usually the widest layer, after
# every sample, one loop turn per weight.  Instead, keep the last steps' pairs
# c_s = -lr delta^1_s and x_s, and in the forward passes that follow use
#     W^1 x = W x + sum_s c_s (x_s . x)      (W as stored, the pairs pending),
# which is all a pending update changes: W^1 is not used in the backward pass,
# since the delta recursion ends at delta^1.  Every DEFER steps make them all,
#     W_ij <- W_ij + sum_s c_s[i] x_s[j],
# one math.sumprod of DEFER terms per weight in place of DEFER loop turns:
# faster for dense inputs on CPython 3.12+ (docs/speed.md).  For inputs with
# many zeros the update that skips them is cheaper, so a step whose input is at
# least SPARSE zeros updates W^1 at once; only the others are deferred (the two
# kinds mix freely: the pending sum is added to whatever W holds).  Without
# sumprod, or with few inputs (short sums), deferring is slower: it is used
# only where sumprod exists, for batch_size 1 and at least DEFER_MIN_INPUTS
# inputs.
DEFER = 16 if sumprod is not None else 0
DEFER_MIN_INPUTS = 16


def worth_deferring(x):
    """Should this step's W^1 update wait?  Only if fewer than SPARSE of x's inputs are 0."""
    return x.count(0.0) < SPARSE * len(x)


def first_layer_z(net, x, pending):
    """z^1 = W^1 x + b^1 where W^1 = W + sum_s c_s x_s^T: the stored W and the pending pairs."""
    C, X = pending
    z1 = affine_gathered_or_full(net.weights[0], x, net.biases[0], to_gather(x))  # W x + b^1
    if C:
        p = [dot(x_s, x) for x_s in X]  # p_s = x_s . x
        z1 = [z_i + dot(c_i, p) for z_i, c_i in zip(z1, zip(*C))]  # + sum_s c_s[i] p_s
    return z1


def apply_pending_inplace(W, pending):
    """W_ij <- W_ij + sum_s c_s[i] x_s[j] for the pending pairs, in place; empties pending."""
    C, X = pending
    if not C:
        return
    taken = (list(C), list(X))
    del C[:], X[:]  # taken: a second call cannot apply them twice
    products_inplace(W, 1.0, taken[0], taken[1])


# -- 5. A generated step, for small networks ----------------------------------------
#
# For networks of at most unroll.UNROLL_MAX neurons a layer, the step is written out
# as scalar statements over local names and compiled once (tinybackprop.fast.unroll): no
# list is made but the output layer's, no call per layer, and on MicroPython it is
# compiled to machine code (@micropython.native) where the port can.  Per-sample SGD
# on XOR [2, 8, 1], against the benchmark's hand-tuned loop, before and after it:
# CPython 3.11 0.51 -> 1.40, PyPy 0.21 -> 0.96, MicroPython's unix port 0.68 -> 1.46
# (docs/speed.md); the same weights to the last bit.


# -- 6. Machine code, on MicroPython ---------------------------------------------------
#
# Where the sums are MicroPython's loops, the loops above (with matrix.affine and
# transpose_times, and usual_samples below) are compiled again to machine code when this
# module is imported, if the port has the native emitter and the heap NATIVE_HEAP bytes
# free (tinybackprop.fast.native); elsewhere, and on a board's small heap, where that
# module is not even imported, they stay as they are.

NATIVE_HEAP = 96 * 1024  # bytes free to compile them (the text, its parse, its code)
NATIVE = None
if MICROPYTHON and __import__("gc").mem_free() >= NATIVE_HEAP:
    from .native import compiled
    NATIVE = compiled()
    if NATIVE is not None:
        nonzero_indices = NATIVE["nonzero_indices"]  # noqa: F811 (the same loops, machine code)
        affine_skipping_zeros = NATIVE["affine_skipping_zeros"]  # noqa: F811
        affine, transpose_times = NATIVE["affine"], NATIVE["transpose_times"]  # noqa: F811
        add_outer_inplace, add_scaled_inplace = NATIVE["add_outer_inplace"], NATIVE["add_scaled_inplace"]  # noqa: F811


# -- 7. The loops as one function, on PyPy and MicroPython ----------------------------
#
# For a network too wide to write out, PyPy's JIT warms up on the general step's many
# small functions and loops far slower than on one function with the same loops inline
# (tinybackprop.fast.looped): per-sample SGD on digits [64, 32, 10], the first epoch of
# a fresh process, 11,600-13,300 samples/s against 3,500-8,600 by the loops above (the
# hand-tuned loop: 17,700-21,500; three runs each).  On MicroPython, compiled to machine
# code as one function, it leaves out the calls between the loops above: digits with no
# zero pixel, 0.88-0.92 of the native hand-tuned loop against 0.81-0.86 (unix port; it
# needs some 1 MB of heap to compile, looped.LOOP_HEAP).  The same sums in the same
# order as the loops above, to the bit (tests/test_unroll.py).


# -- 8. The check of every input number in one loop, on PyPy and MicroPython -----------
#
# train checks every number of its samples before training (core.checks.check_samples:
# a bad one found in epoch 5 would leave a half-trained network).  On PyPy that check's
# small functions and loops were 31-48 ms of digits' first epoch (1,797 samples, a fresh
# process), against 4-5 ms for one loop over them all; warm, 1 ms.  So train first asks
# usual_samples, whose loop takes the usual case, and calls check_samples, with its
# messages, only where it says no.  It accepts nothing check_samples refuses.  On
# MicroPython the loop is used where it is machine code (section 6): 200 digits with no
# zero pixel, 1.8-3.3 ms against check_samples' 5.8-6.3 (as bytecode 6.4-6.9, since each
# of its additions makes a float object).  On CPython the sums of check_samples are in
# C: there it is not used (CHECK_BY_ONE_LOOP).


def usual_samples(net, samples, target_sum):
    """Is samples a non-empty list or tuple of (x, y) pairs, x and y lists or tuples of n_0
    and n_L floats (type float: not int, not bool), every one finite, and y's in [0, 1],
    summing to 1 within target_sum, where the loss asks (as core.checks.check_sample)?
    False says only "not sure": check_samples then checks, and names what is wrong."""
    if not isinstance(samples, (list, tuple)) or len(samples) == 0:
        return False
    n_in, n_out = net.sizes[0], net.sizes[len(net.sizes) - 1]
    unit = net.loss in ("binary_cross_entropy", "cross_entropy")  # targets in [0, 1]
    one_sum = net.loss == "cross_entropy"  # and summing to 1
    for k in range(len(samples)):
        pair = samples[k]
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            return False
        x, y = pair
        if not isinstance(x, (list, tuple)) or not isinstance(y, (list, tuple)) \
                or len(x) != n_in or len(y) != n_out:
            return False
        s = 0.0
        for v in x:
            if type(v) is not float:
                return False
            s += v
        s_y = 0.0
        for v in y:
            if type(v) is not float or (unit and not 0.0 <= v <= 1.0):
                return False
            s_y += v
        if not s - s == 0.0 or not s_y - s_y == 0.0:  # inf - inf and NaN - NaN are NaN
            return False
        if one_sum and abs(s_y - 1.0) > target_sum:
            return False
    return True


if NATIVE is not None:
    usual_samples = NATIVE["usual_samples"]  # noqa: F811 (the same loop, machine code)
CHECK_BY_ONE_LOOP = not CPYTHON and (not MICROPYTHON or NATIVE is not None)  # train asks usual_samples first


# -- The step that train runs ---------------------------------------------------------

def none_or_list(result):
    """A per-sample step's (loss, a^L) as the one-entry list of results train reads, or None."""
    return None if result is None else [result]


def sgd_stepper(net, rule, batch_size, defer=None):
    """(step, settle) for plain SGD on net with this module's means, or None where it
    has no step shown equal to the reference (an activation or loss not in SHOWN_EQUAL).

    rule is the backprop.SGD whose lr each step uses: train changes rule.lr
    between epochs (a schedule) and the same step goes on.
    step(batch) makes one step on a list of (x, y) pairs and returns each sample's
    (loss, a^L), or None, changing nothing, on divergence (as backprop.step).
    settle() makes the first-layer updates still pending, so that net.weights is
    complete; train calls it at the end of every epoch and when it stops.

    defer: how many first-layer updates to collect before making them (0: none);
    by default DEFER for per-sample SGD on DEFER_MIN_INPUTS inputs or more.
    """
    if net.loss not in SHOWN_EQUAL["losses"] or \
            any(name not in SHOWN_EQUAL["activations"] for name in net.activations):
        return None
    plan = plan_for(net)
    generated = None
    if defer is None:  # train's call: 5. a generated step if there is one, else the loops
        from .unroll import can_unroll, generated_stepper  # here: only train's call needs it
        generated = generated_stepper(net, plan, batch_size != 1) if can_unroll(net) else None
        if generated is None:  # 7. on PyPy, the loops as one function
            from .looped import LOOPED, can_loop, looped_stepper
            generated = looped_stepper(net, plan, SPARSE, batch_size != 1) if LOOPED and can_loop(net) else None
    if batch_size != 1:
        if generated is not None:
            return (lambda batch: generated(batch, rule.lr)), (lambda: None)
        return (lambda batch: minibatch_step(net, batch, rule.lr, plan)), (lambda: None)
    if generated is not None:
        return (lambda batch: none_or_list(generated(batch[0][0], batch[0][1], rule.lr))), (lambda: None)
    if defer is None:
        defer = DEFER if net.sizes[0] >= DEFER_MIN_INPUTS else 0
    pending = ([], []) if defer > 1 else None

    def step(batch):
        x, y = batch[0]
        result = sgd_step(net, x, y, rule.lr, plan, pending)
        if pending is not None and len(pending[0]) == defer:
            apply_pending_inplace(net.weights[0], pending)
        return none_or_list(result)

    def settle():
        if pending is not None:
            apply_pending_inplace(net.weights[0], pending)

    return step, settle
