"""The fast path against the reference: every form, every activation and loss, deferral."""
import math

from helpers import close, for_this_width, random_matrix, random_vector, raises, seeded
import tinybackprop as tb
from tinybackprop.fast import kernels as fast
from tinybackprop.fast import looped, native, unroll
from tinybackprop.fast.probes import MICROPYTHON
from tinybackprop.core import matrix
from tinybackprop.core.activations import ACTIVATIONS
from tinybackprop.core.backprop import MAX_CHANGE, SGD, feedforward
from tinybackprop.core.checks import OUTPUTS_FOR_LOSS
from tinybackprop.core.errors import TinyBackpropError

# math.sumprod and (on 3.12+) sum() round more exactly than a running sum, and the
# fast update multiplies (-lr delta_i) a_j where the reference takes -lr (delta_i a_j):
# the two paths agree to rounding, not bit for bit.
SUM_ROUNDING = for_this_width(1e-13)
ROUNDING = for_this_width(1e-12)  # weights after several epochs, relative
HAND = for_this_width(1e-14)  # two steps against numbers worked out by hand


def fast_forms():
    """Every fast form this interpreter can run, not only the one chosen."""
    forms = [(fast.affine, fast.transpose_times)]
    if fast.mul is not None:
        forms.append((fast._affine_map, fast._transpose_times_map))
    if fast.sumprod is not None:
        forms.append((fast._affine_sumprod, fast._transpose_times_sumprod))
    return forms


def test_every_fast_form_equals_its_loop():
    rng = seeded(3)
    for n, m in ((1, 1), (3, 5), (10, 64), (32, 7)):
        W, a, b, d = random_matrix(rng, n, m), random_vector(rng, m), random_vector(rng, n), \
            random_vector(rng, n)
        for affine, transpose_times in fast_forms():
            assert close(affine(W, a, b), matrix.affine(W, a, b), SUM_ROUNDING)
            assert close(transpose_times(W, d), matrix.transpose_times(W, d), SUM_ROUNDING)
        assert close(fast.dot(a, a), sum(a_j * a_j for a_j in a), SUM_ROUNDING)


def test_the_idiom_is_the_one_this_interpreter_has():
    # math.sumprod where it exists (CPython 3.12+), sum(map(operator.mul)) on older CPython,
    # the loops of the core elsewhere (PyPy's JIT, MicroPython without operator), compiled
    # to machine code on MicroPython where it can (fast.NATIVE).
    from tinybackprop.fast import probes
    if probes.sumprod is not None:
        assert fast.IDIOM == "math.sumprod" and fast._affine_fast is fast._affine_sumprod
    elif probes.CPYTHON and probes.mul is not None:
        assert fast.IDIOM == "sum(map(operator.mul))" and fast._affine_fast is fast._affine_map
    else:
        loops = matrix.affine if fast.NATIVE is None else fast.NATIVE["affine"]
        assert fast.IDIOM == "index loops" and fast.affine is loops and fast.SKIP_ZEROS


def test_in_place_update_by_hand():
    M = [[1.0, 1.0], [1.0, 1.0]]
    fast.add_outer_inplace(M, -0.5, [1.0, 2.0], [2.0, 4.0])  # M - 0.5 [1, 2]^T [2, 4]
    assert M == [[0.0, -1.0], [-1.0, -3.0]]
    # Zeros in v: [1, 2, 3] - 0.5 * 2 * [1, 0, -2] = [0, 2, 5], every column updated, then
    # with the middle column (v_1 = 0) skipped by the list of the others.
    M = [[1.0, 2.0, 3.0]]
    fast.add_outer_inplace(M, -0.5, [2.0], [1.0, 0.0, -2.0])
    assert M == [[0.0, 2.0, 5.0]]
    M = [[1.0, 2.0, 3.0]]
    fast.add_outer_inplace(M, -0.5, [2.0], [1.0, 0.0, -2.0], [0, 2])
    assert M == [[0.0, 2.0, 5.0]]
    # Only the listed columns change: a list that leaves out j = 0 leaves M_00 as it was.
    M = [[1.0, 2.0, 3.0]]
    fast.add_outer_inplace(M, -0.5, [2.0], [1.0, 0.0, -2.0], [2])
    assert M == [[1.0, 2.0, 5.0]]


def test_zeros_are_skipped_only_where_a_third_or_more_of_a_vector_is_zeros():
    # 1 zero in 4 is under SPARSE = 1/3: the loops run over all 4; 2 in 5 is over it.
    assert fast.zeros_to_skip([1.0, 0.0, 2.0, 3.0]) is None
    assert fast.zeros_to_skip([1.0, 0.0, 2.0, -0.0, 4.0]) == [0, 2, 4]
    assert fast.zeros_to_skip([0.0, 0.0]) == []
    assert fast.zeros_to_skip([1.0, 2.0]) is None


def test_skipping_zero_columns_changes_nothing():
    # add_outer_inplace skips v_j = 0; the result must equal, bit for bit, the
    # update of every entry, M_ij + (c u_i) v_j, zeros included.
    rng = seeded(8)
    u, v = random_vector(rng, 5), random_vector(rng, 9)
    v[0] = v[4] = v[8] = v[6] = 0.0
    M = random_matrix(rng, 5, 9)
    expected = [[M[i][j] + (-0.3 * u[i]) * v[j] for j in range(9)] for i in range(5)]
    nonzero = fast.zeros_to_skip(v)
    assert nonzero == [1, 2, 3, 5, 7]  # 4 zeros in 9: more than a third, skipped
    fast.add_outer_inplace(M, -0.3, u, v, nonzero)
    assert M == expected


def test_skipping_zeros_in_the_forward_sum_changes_nothing():
    # z_i = sum_j W_ij a_j + b_i over the non-zero a_j only must be matrix.affine's z to
    # the bit, zeros of both signs in a and b included (the sum starts at +0.0, and
    # +0.0 + -0.0 = +0.0: a skipped -0.0 term would have changed nothing either).
    rng = seeded(9)
    W, a, b = random_matrix(rng, 6, 9), random_vector(rng, 9), random_vector(rng, 6)
    a[0], a[3], a[8] = 0.0, -0.0, 0.0
    b[1] = -0.0
    W[2] = [0.0] * 9  # a row whose sum is all zeros: z_2 = 0.0 + b_2
    nonzero = fast.nonzero_indices(a)
    assert nonzero == [1, 2, 4, 5, 6, 7]
    z = fast.affine_skipping_zeros(W, a, b, nonzero)
    expected = matrix.affine(W, a, b)
    assert z == expected
    assert [math.copysign(1.0, z_i) for z_i in z] == [math.copysign(1.0, e_i) for e_i in expected]
    assert fast.affine_skipping_zeros([[2.0, 5.0]], [0.0, 3.0], [1.0], [1]) == [16.0]  # 5*3 + 1


def test_the_fast_path_trains_as_the_reference_with_and_without_skipping_zeros():
    # fast.SKIP_ZEROS is chosen by the interpreter (on where the sums are loops); both
    # settings must train as the reference here, one sample or 3 at a time.
    chosen = fast.SKIP_ZEROS
    try:
        for skip in (True, False):
            fast.SKIP_ZEROS = skip
            for hidden, output, loss in (("relu", "softmax", "cross_entropy"), ("tanh", "sigmoid", "mse")):
                for batch_size in (1, 3):
                    reference, samples = case(hidden, output, loss, 5)
                    by_fast = case(hidden, output, loss, 5)[0]
                    reference.train(samples, epochs=3, lr=0.1, batch_size=batch_size, seed=5, fast=False)
                    by_fast.train(samples, epochs=3, lr=0.1, batch_size=batch_size, seed=5, fast=True)
                    what = (skip, hidden, output, batch_size)
                    assert close(by_fast.weights, reference.weights, ROUNDING), what
                    assert close(by_fast.biases, reference.biases, ROUNDING), what
                    assert by_fast.weights != case(hidden, output, loss, 5)[0].weights, what  # it learned
    finally:
        fast.SKIP_ZEROS = chosen


def test_gathering_the_nonzero_inputs_changes_nothing():
    # Where the sums are in C, the non-zero a_j are gathered (fast.GATHER): the same sums
    # over fewer terms, so the same z to the bit as the full fast form, zeros of both signs
    # included.  MicroPython has no operator.itemgetter: there it is off, the loops skip.
    if fast.itemgetter is None:
        assert not fast.GATHER
        return
    rng = seeded(11)
    W, a, b = random_matrix(rng, 5, 16), random_vector(rng, 16), random_vector(rng, 5)
    for j in (0, 2, 3, 5, 6, 8, 9, 11, 12, 14):
        a[j] = -0.0 if j % 3 == 0 else 0.0  # 10 of 16 zero: 6 non-zero, at most half
    b[4] = -0.0
    W[4] = [0.0] * 16  # a row whose sum is all zeros: z_4 = 0.0 + b_4
    nonzero = fast.nonzero_if_sparse(a)
    assert nonzero == [1, 4, 7, 10, 13, 15]
    z = fast.affine_gathering(W, a, b, nonzero)
    full = [fast.dot(row, a) + b_i for row, b_i in zip(W, b)]  # the same fast sum over every term
    assert z == full
    assert [math.copysign(1.0, z_i) for z_i in z] == [math.copysign(1.0, e_i) for e_i in full]
    assert close(z, matrix.affine(W, a, b), SUM_ROUNDING)
    assert fast.affine_gathering([[2.0, 5.0, 7.0, 1.0]], [0.0, 3.0, 0.0, 2.0], [1.0], [1, 3]) == [18.0]  # 15+2+1
    assert fast.nonzero_if_sparse([0.0, 1.0, 0.0, 2.0, 3.0]) is None  # 3 of 5: more than half
    assert fast.nonzero_if_sparse([0.0, 1.0, 0.0, 0.0]) is None  # one: itemgetter would not give a tuple


def test_the_fast_path_trains_as_the_reference_with_and_without_gathering():
    # A [40, 20, 3] network (wider than the generated step's 16) on inputs of 36 zeros in
    # 40: gathered (where operator has itemgetter) or not, per sample and by batches, the
    # reference's weights.
    if fast.itemgetter is None:
        assert not fast.GATHER
        return
    chosen, skip, gathering, as_one = fast.GATHER, fast.SKIP_ZEROS, fast.affine_gathering, looped.LOOPED
    calls = []

    def counting(W, a, b, nonzero):
        calls.append(len(nonzero))
        return gathering(W, a, b, nonzero)
    rng = seeded(12)
    samples = []
    for k in range(9):
        x = [0.0] * 40
        for j in range(4):
            x[(3 * k + 7 * j) % 40] = rng.uniform(-1.0, 1.0)
        samples.append((x, [1.0 if i == k % 3 else 0.0 for i in range(3)]))
    try:
        fast.SKIP_ZEROS, fast.affine_gathering, looped.LOOPED = False, counting, False  # kernels' own loops
        for gather in (True, False):
            fast.GATHER = gather
            for batch_size in (1, 3):
                reference = tb.Network([40, 20, 3], activations=["tanh", "softmax"], loss="cross_entropy", seed=3)
                by_fast = tb.Network([40, 20, 3], activations=["tanh", "softmax"], loss="cross_entropy", seed=3)
                reference.train(samples, epochs=3, lr=0.1, batch_size=batch_size, fast=False)
                del calls[:]
                by_fast.train(samples, epochs=3, lr=0.1, batch_size=batch_size, fast=True)
                assert close(by_fast.weights, reference.weights, ROUNDING), (gather, batch_size)
                assert close(by_fast.biases, reference.biases, ROUNDING), (gather, batch_size)
                # gathered: every first layer's sum, 4 inputs of 40 (the hidden layer's 20 tanh are dense)
                assert calls == ([4] * 27 if gather else []), (gather, batch_size, calls[:5])
    finally:
        fast.GATHER, fast.SKIP_ZEROS, fast.affine_gathering, looped.LOOPED = chosen, skip, gathering, as_one


def case(hidden, output, loss, seed):
    """A [3, 4, 3] network and 7 samples whose targets suit the loss."""
    rng = seeded(seed)
    net = tb.Network([3, 4, 3], activations=[hidden, output], loss=loss, seed=seed)
    samples = []
    for k in range(7):
        x = random_vector(rng, 3)
        if k % 3 == 0:
            x[1] = 0.0  # a zero input: its column is skipped by the fast update
        if loss == "mse":
            y = random_vector(rng, 3)
        elif loss == "binary_cross_entropy":
            y = [rng.random() for _ in range(3)]
        else:
            y = [1.0 if i == k % 3 else 0.0 for i in range(3)]
        samples.append((x, y))
    return net, samples


def test_the_fast_path_trains_as_the_reference_for_every_activation_and_loss():
    # Every hidden activation, every output activation each loss takes, one sample
    # or 3 at a time (7 samples: a last, shorter batch), 3 epochs, shuffled: 108 runs;
    # by the generated step (tinybackprop.fast.unroll) where it has one and by the
    # loops of kernels (unroll.UNROLL_MAX set to 0: no network is written out), per
    # sample as one function where train takes that (looped.LOOPED: PyPy, MicroPython) and not.
    widest, as_one = unroll.UNROLL_MAX, looped.LOOPED
    try:
        for written_out, one_function in ((widest, as_one), (0, as_one), (0, False)):
            unroll.UNROLL_MAX, looped.LOOPED = written_out, one_function
            trained, learned = every_activation_and_loss()
            assert trained == 6 * (6 + 2 + 1) * 2
            assert learned >= trained - 6, learned  # (a relu output that starts dead learns nothing)
    finally:
        unroll.UNROLL_MAX, looped.LOOPED = widest, as_one


def every_activation_and_loss():
    """(runs, runs that changed the weights) of the test above, each checked against the reference."""
    trained = learned = 0
    for loss in OUTPUTS_FOR_LOSS:
        for output in OUTPUTS_FOR_LOSS[loss]:
            for hidden in ACTIVATIONS:
                for batch_size in (1, 3):
                    seed = trained
                    reference, samples = case(hidden, output, loss, seed)
                    by_fast = case(hidden, output, loss, seed)[0]
                    history_reference = reference.train(samples, epochs=3, lr=0.1, batch_size=batch_size,
                                                        seed=seed, fast=False)
                    history_fast = by_fast.train(samples, epochs=3, lr=0.1, batch_size=batch_size,
                                                 seed=seed, fast=True)
                    what = (loss, output, hidden, batch_size)
                    assert close(by_fast.weights, reference.weights, ROUNDING), what
                    assert close(by_fast.biases, reference.biases, ROUNDING), what
                    assert close([r["loss"] for r in history_fast], [r["loss"] for r in history_reference],
                                 ROUNDING), what
                    assert [r["accuracy"] for r in history_fast] == [r["accuracy"] for r in history_reference]
                    learned += by_fast.weights != case(hidden, output, loss, seed)[0].weights
                    x = samples[0][0]
                    assert close(fast.outputs(by_fast, x), feedforward(by_fast, x)[1][2], SUM_ROUNDING)
                    trained += 1
    return trained, learned


def test_a_batch_of_products_by_hand():
    # M = [[1, 2]], U = ([1], [2]), V = ([1, 0], [0, 3]): M + U_1 V_1^T + U_2 V_2^T
    # = [[1, 2]] + [[1, 0]] + [[0, 6]] = [[2, 8]], by the dot products over the batch
    # and by the loop that adds one sample at a time (fast.SHORTEST 0: the loops' form).
    shortest = fast.SHORTEST
    try:
        for form in (shortest, 0):
            fast.SHORTEST = form
            M = [[1.0, 2.0]]
            fast.products_inplace(M, 1.0, [[1.0], [2.0]], [[1.0, 0.0], [0.0, 3.0]])
            assert M == [[2.0, 8.0]], fast.SHORTEST
            # c = -0.5: [[1, 2]] - 0.5 [[1, 6]] = [[0.5, -1]]; with the non-zero indices given
            M = [[1.0, 2.0]]
            fast.products_inplace(M, -0.5, [[1.0], [2.0]], [[1.0, 0.0], [0.0, 3.0]], [[0], [1]])
            assert M == [[0.5, -1.0]], fast.SHORTEST
    finally:
        fast.SHORTEST = shortest
    assert fast.mostly_zeros([[1.0, 0.0], [0.0, 3.0]]) and not fast.mostly_zeros([[1.0, 2.0], [0.0, 3.0]])


def test_the_batch_guard_by_hand():
    # delta = [2], a = [0.5, 0.25] (sum|a| = 0.75, so max(1, 0.75) = 1): the bound is
    # |c| * 2 * 1 for one sample, |c| * 4 for the same sample twice.  D[l - 1] holds each
    # sample's delta^l, A[l - 1] each sample's a^(l-1), as fast.batch_pairs makes them.
    D, A = [[[2.0]]], [[[0.5, 0.25]]]  # one layer: its samples' delta^1 and a^0
    assert fast.batch_is_safe(-0.5 * MAX_CHANGE, D, A)  # 0.5 MAX * 2 = MAX: allowed
    assert not fast.batch_is_safe(-0.5 * MAX_CHANGE, [D[0] + D[0]], [A[0] + A[0]])  # 0.5 MAX * 4
    assert not fast.batch_is_safe(-0.1, [[[float("nan")]]], A)
    assert not fast.batch_is_safe(-0.1, D, [[[float("inf"), 0.0]]])


def test_the_fast_path_declines_what_it_was_not_shown_equal_on():
    net = tb.Network([2, 3, 1], activations=["tanh", "sigmoid"], loss="mse")
    assert fast.sgd_stepper(net, SGD(0.1), 1) is not None and fast.sgd_stepper(net, SGD(0.1), 4) is not None
    net.activations = ["tanh", "cube"]  # as if a new activation were registered
    assert fast.sgd_stepper(net, SGD(0.1), 1) is None


# -- The update rules on the fast path (tinybackprop.fast.rules) --------------------

def test_every_rule_trains_on_the_fast_path_as_the_reference():
    # Momentum, Nesterov, Adam, and SGD with weight decay, each with and without weight
    # decay, 2 or 3 samples at a time (7 samples: a last, shorter batch), for three
    # (hidden, output, loss) pairs: 42 runs, each step through fast.rules (counted).
    from tinybackprop.fast import rules
    made = []
    original = rules.rule_step

    def counted(*arguments):
        made.append(1)
        return original(*arguments)

    rules.rule_step = counted
    trained = 0
    try:
        for rule in ("momentum", "nesterov", "adam", "sgd"):
            for decay in (0.0, 0.05):
                if rule == "sgd" and decay == 0.0:
                    continue  # plain SGD: kernels' step, tested above
                for hidden, output, loss in (("relu", "softmax", "cross_entropy"), ("tanh", "sigmoid", "mse"),
                                             ("leaky_relu", "sigmoid", "binary_cross_entropy")):
                    for batch_size in (2, 3):
                        reference, samples = case(hidden, output, loss, trained)
                        by_fast = case(hidden, output, loss, trained)[0]
                        settings = dict(epochs=3, lr=0.05, batch_size=batch_size, rule=rule, momentum=0.8,
                                        weight_decay=decay, seed=trained, history="all")
                        history_reference = reference.train(samples, fast=False, **settings)
                        before = len(made)
                        history_fast = by_fast.train(samples, fast=True, **settings)
                        what = (rule, decay, hidden, output, batch_size)
                        assert len(made) - before == 3 * len(range(0, 7, batch_size)), what  # every step
                        assert close(by_fast.weights, reference.weights, ROUNDING), what
                        assert close(by_fast.biases, reference.biases, ROUNDING), what
                        assert close([r["loss"] for r in history_fast], [r["loss"] for r in history_reference],
                                     ROUNDING), what
                        assert by_fast.weights != case(hidden, output, loss, trained)[0].weights, what
                        trained += 1
    finally:
        rules.rule_step = original
    assert trained == 7 * 3 * 2


def test_sgd_with_weight_decay_trains_per_sample_on_the_fast_path_as_the_reference():
    # Per sample, SGD with weight decay has its own step (fast.rules.decayed_sgd_step: the
    # reference's W + (-lr)(delta a^T + lambda_n W) as (1 - lr lambda_n) W - lr delta a^T);
    # three (hidden, output, loss) pairs, 3 epochs of 7 samples, every step counted.
    from tinybackprop.fast import rules
    made = []
    original = rules.decayed_sgd_step

    def counted(*arguments):
        made.append(1)
        return original(*arguments)

    rules.decayed_sgd_step = counted
    try:
        for trained, (hidden, output, loss) in enumerate((("relu", "softmax", "cross_entropy"),
                                                          ("tanh", "sigmoid", "mse"),
                                                          ("leaky_relu", "identity", "mse"))):
            reference, samples = case(hidden, output, loss, trained)
            by_fast = case(hidden, output, loss, trained)[0]
            settings = dict(epochs=3, lr=0.05, weight_decay=0.7, seed=trained, history="all")
            history_reference = reference.train(samples, fast=False, **settings)
            before = len(made)
            history_fast = by_fast.train(samples, fast=True, **settings)
            assert len(made) - before == 3 * 7, hidden  # every step
            assert close(by_fast.weights, reference.weights, ROUNDING), hidden
            assert close(by_fast.biases, reference.biases, ROUNDING), hidden
            assert close([r["loss"] for r in history_fast], [r["loss"] for r in history_reference], ROUNDING)
            assert by_fast.weights != case(hidden, output, loss, trained)[0].weights, hidden
    finally:
        rules.decayed_sgd_step = original


def test_a_weight_decay_step_by_hand():
    # [1, 1], identity, mse, x = 1, y = 0, W = 0.5, b = 0, lr 0.1, lambda_n 0.5.
    # a = 0.5, delta = dL/da = 2 a = 1; dL/dW = delta x = 1, plus lambda_n W = 0.25: 1.25;
    # W = 0.5 - 0.1 * 1.25 = 0.375, b = 0 - 0.1 * 1 = -0.1 (the bias is not decayed).
    # Step 2: a = 0.375 - 0.1 = 0.275, delta = 0.55, g = 0.55 + 0.1875 = 0.7375,
    # W = 0.375 - 0.07375 = 0.30125, b = -0.1 - 0.055 = -0.155.
    from tinybackprop.fast.rules import rule_stepper
    from tinybackprop.training.rules import WeightDecay
    net = tb.Network([1, 1], activations="identity", loss="mse", weights=[[[0.5]]], biases=[[0.0]])
    step, settle = rule_stepper(net, WeightDecay(SGD(0.1), net.weights, 0.5), 1)
    assert close(step([([1.0], [0.0])])[0][0], 0.25, HAND)  # L = a^2 before step 1
    assert close(net.weights[0][0][0], 0.375, HAND) and close(net.biases[0][0], -0.1, HAND)
    step([([1.0], [0.0])])
    assert close(net.weights[0][0][0], 0.30125, HAND) and close(net.biases[0][0], -0.155, HAND)


def test_a_loose_bound_of_the_largest_weight_does_not_refuse_a_step():
    # decayed_sgd_step keeps only a bound of each layer's max |W|; given one far too large
    # (the largest float, against 0.5), it takes the exact max before refusing, and makes the step.
    from tinybackprop.core.floats import LARGEST
    from tinybackprop.fast.kernels import plan_for
    from tinybackprop.fast.rules import decayed_sgd_step
    net = tb.Network([1, 1], activations="identity", loss="mse", weights=[[[0.5]]], biases=[[0.0]])
    largest = [LARGEST]
    assert decayed_sgd_step(net, [1.0], [0.0], SGD(0.1), 0.5, plan_for(net), largest) is not None
    assert close(net.weights[0][0][0], 0.375, HAND)  # the step by hand below
    assert close(largest[0], 0.95 * 0.5 + 0.1 * 1.0 * 1.0, HAND)  # |keep| max|W| + lr max|delta| max|x|


def test_a_momentum_step_by_hand():
    # [1, 1], identity, mse, x = 1, y = 0 (a batch of this sample twice: its mean gradient is
    # the sample's), W = 0.5, b = 0, lr 0.1, mu 0.9; delta = dL/da = 2 a, g_W = g_b = delta.
    # Classical: step 1: a = 0.5, g = 1, v = g = 1 (the first step), W = 0.5 - 0.1 = 0.4,
    #   b = -0.1; step 2: a = 0.3, g = 0.6, v = 0.9 + 0.6 = 1.5, W = 0.4 - 0.15 = 0.25, b = -0.25.
    # Nesterov (Delta = -lr (g + mu v)): step 1: v = 1, Delta = -0.19, W = 0.31, b = -0.19;
    #   step 2: a = 0.12, g = 0.24, v = 0.9 + 0.24 = 1.14, Delta = -0.1 (0.24 + 1.026) = -0.1266,
    #   W = 0.1834, b = -0.3166.
    from tinybackprop.fast.rules import rule_stepper
    from tinybackprop.training.rules import Momentum
    for nesterov, W1, W2, b2, v2 in ((False, 0.4, 0.25, -0.25, 1.5), (True, 0.31, 0.1834, -0.3166, 1.14)):
        net = tb.Network([1, 1], activations="identity", loss="mse", weights=[[[0.5]]], biases=[[0.0]])
        rule = Momentum(0.1, 0.9, nesterov=nesterov)
        step, settle = rule_stepper(net, rule, 2)
        twice = [([1.0], [0.0]), ([1.0], [0.0])]
        assert close(step(twice)[0][0], 0.25, HAND)  # L = a^2 before step 1
        assert close(net.weights[0][0][0], W1, HAND), nesterov
        step(twice)
        assert close(net.weights[0][0][0], W2, HAND) and close(net.biases[0][0], b2, HAND), nesterov
        assert close(rule.vW[0][0][0], v2, HAND) and close(rule.vb[0][0], v2, HAND), nesterov


def state_of(rule):
    """A rule's state (its velocities or moments, Adam's step count), without its rate."""
    inner = rule.rule if hasattr(rule, "rule") else rule
    return repr(sorted((name, value) for name, value in inner.__dict__.items() if name != "lr"))


def test_a_rule_step_out_of_bounds_changes_nothing():
    # A rate so large that a change is infinite: the step returns None and leaves the
    # weights, the biases and the rule's state (Adam's step count too) as they were.
    from tinybackprop.core.floats import LARGEST
    from tinybackprop.fast.rules import rule_stepper
    from tinybackprop.training.rules import Adam, Momentum, WeightDecay
    for kind, batch_size in (("momentum", 2), ("adam", 2), ("decay", 2), ("decay", 1)):
        net, samples = case("tanh", "sigmoid", "mse", 3)
        rule = Momentum(0.1, 0.9) if kind == "momentum" else Adam(0.1) if kind == "adam" else \
            WeightDecay(SGD(0.1), net.weights, 0.01)
        step, settle = rule_stepper(net, rule, batch_size)
        assert step(samples[:batch_size]) is not None  # a first step, as usual
        weights, biases = [matrix.copy_matrix(W) for W in net.weights], [list(b) for b in net.biases]
        state = state_of(rule)
        rule.lr = LARGEST
        assert step(samples[2:2 + batch_size]) is None, kind
        assert net.weights == weights and net.biases == biases, kind
        assert state_of(rule) == state, kind


def test_the_fast_rules_decline_what_they_were_not_shown_equal_on():
    from tinybackprop.fast.rules import rule_stepper
    from tinybackprop.training.rules import Adam, Momentum, WeightDecay
    net = tb.Network([2, 3, 1], activations=["tanh", "sigmoid"], loss="mse")
    assert rule_stepper(net, Adam(0.1), 4) is not None
    assert rule_stepper(net, Adam(0.1), 1) is None  # per sample: the reference's step (fast/rules.py says why)
    assert rule_stepper(net, WeightDecay(Momentum(0.1), net.weights, 0.1), 1) is None
    assert rule_stepper(net, WeightDecay(SGD(0.1), net.weights, 0.1), 1) is not None  # its own step
    net.activations = ["tanh", "cube"]  # as if a new activation were registered
    assert rule_stepper(net, Adam(0.1), 4) is None


# -- Deferred first-layer updates (fast.DEFER) -------------------------------------

def test_pending_updates_by_hand():
    # W = [[1, 2]], b = [0]; pending c_1 = [0.5] with x_1 = [1, 0], c_2 = [-1] with x_2 = [0, 1]:
    # W^1 = W + c_1 x_1^T + c_2 x_2^T = [[1.5, 1]].  For x = [2, 1]:
    # W x = 4, x_1 . x = 2, x_2 . x = 1, so z^1 = 4 + 0.5*2 - 1*1 = 4 = W^1 x.
    net = tb.Network([2, 1], activations="identity", weights=[[[1.0, 2.0]]], biases=[[0.0]])
    pending = ([[0.5], [-1.0]], [[1.0, 0.0], [0.0, 1.0]])
    assert fast.first_layer_z(net, [2.0, 1.0], pending) == [4.0]
    fast.apply_pending_inplace(net.weights[0], pending)
    assert net.weights == [[[1.5, 1.0]]] and pending == ([], [])
    assert net.predict([2.0, 1.0]) == [4.0]


def deferral_case():
    # Ten samples; the five odd ones are 3/5 zeros, at least fast.SPARSE, so
    # their steps update W^1 at once (skipping the zeros) and only the five
    # even ones are deferred: both kinds of step mix in every epoch.
    rng = seeded(21)
    samples = []
    for k in range(10):
        x = random_vector(rng, 5)
        if k % 2:
            x[0] = x[2] = x[4] = 0.0
        samples.append((x, [1.0, 0.0, 0.0] if k % 3 == 0 else [0.0, 1.0, 0.0] if k % 3 == 1
                        else [0.0, 0.0, 1.0]))
    net = tb.Network([5, 6, 4, 3], activations=["tanh", "relu", "softmax"], loss="cross_entropy", seed=5)
    return net, samples


def run_stepper(net, samples, epochs, defer, stop_after=None):
    """Drive fast.sgd_stepper as train does (no shuffle): settle after each epoch, and
    after stop_after steps stop, settling.  Returns the losses of the steps."""
    take_step, settle = fast.sgd_stepper(net, SGD(0.1), 1, defer=defer)
    losses, steps = [], 0
    for _ in range(epochs):
        for pair in samples:
            if steps == stop_after:
                settle()
                return losses
            losses.append(take_step([pair])[0][0])
            steps += 1
        settle()
    return losses


def test_deferred_updates_equal_step_by_step_sgd():
    # 3 epochs of 10 samples, 5 of them deferred, with 4 updates pending at most:
    # made after the 4th deferred step and at each epoch's end (1 left).  The
    # weights differ from step-by-step SGD by rounding only; so do the losses.
    net, samples = deferral_case()
    reference = run_stepper(net, samples, 3, defer=0)
    deferred_net, _ = deferral_case()
    deferred = run_stepper(deferred_net, samples, 3, defer=4)
    assert close(deferred_net.weights, net.weights, ROUNDING)
    assert close(deferred_net.biases, net.biases, ROUNDING)
    assert close(deferred, reference, ROUNDING)
    assert deferred_net.weights != deferral_case()[0].weights  # it did learn


def test_settle_makes_the_pending_updates_when_training_stops():
    # Stopping after 6 steps (samples 0-5, three of them deferred, 4 pending at most):
    # settle must make the 3 pending updates, as if the 6 steps had run one by one.
    net, samples = deferral_case()
    run_stepper(net, samples[:6], 1, defer=0)
    stopped, _ = deferral_case()
    run_stepper(stopped, samples, 1, defer=4, stop_after=6)
    assert close(stopped.weights, net.weights, ROUNDING)


def test_train_keeps_every_whole_step_when_stopped():
    # train settles when a step_callback stops it: the weights are those after the
    # last whole step, by the fast path (deferring on CPython 3.12+) as by the reference.
    class Stop(Exception):
        pass

    def stop_after_6(epoch, done):
        if done == 6:
            raise Stop()

    net, samples = deferral_case()
    net.train(samples[:6], epochs=1, lr=0.1, shuffle=False, fast=False)
    for fast_path in (True, False):
        stopped, _ = deferral_case()
        raises(Stop, stopped.train, samples, epochs=1, lr=0.1, shuffle=False, step_callback=stop_after_6,
               fast=fast_path)
        assert close(stopped.weights, net.weights, ROUNDING)


def test_divergence_keeps_the_last_good_step_on_both_paths():
    samples = [([3.0, -2.0], [50.0]), ([1.0, 4.0], [-70.0]), ([-2.0, 1.0], [30.0])]
    messages = []
    for fast_path in (True, False):
        for batch_size in (1, 2):
            net = tb.Network([2, 8, 1], activations=["relu", "identity"], loss="mse", seed=0)
            messages.append(raises(TinyBackpropError, net.train, samples, epochs=50, lr=10.0,
                                   batch_size=batch_size, fast=fast_path))
            assert "diverged in epoch" in messages[len(messages) - 1]
    assert messages[0] == messages[2]  # per-sample: the same epoch and sample on both paths


def test_deferred_divergence_keeps_the_last_good_step():
    # A [2, 8, 1] relu net that diverges: with deferral, the weights kept are those of
    # step-by-step SGD up to the step that broke.
    samples = [([3.0, -2.0], [50.0]), ([1.0, 4.0], [-70.0]), ([-2.0, 1.0], [30.0])]
    results = []
    for defer in (0, 4):
        net = tb.Network([2, 8, 1], activations=["relu", "identity"], loss="mse", seed=0)
        take_step, settle = fast.sgd_stepper(net, SGD(10.0), 1, defer=defer)
        steps = 0
        while take_step([samples[steps % 3]]) is not None:
            steps += 1
        settle()
        results.append((steps, net.weights))
    assert results[0][0] == results[1][0] > 0
    assert close(results[1][1], results[0][1], ROUNDING)


# -- Machine code on MicroPython (tinybackprop.fast.native) ---------------------------

def test_the_native_loops_give_the_numbers_of_the_bytecode_and_of_matrix():
    # On MicroPython with the native emitter and the heap, kernels runs its own loops and
    # matrix.py's compiled again as machine code (native.LOOPS); they must give the same
    # numbers, to the bit, as the same text run as bytecode and as matrix.py's functions.
    # Elsewhere nothing is compiled.
    package = native.__file__.replace("\\", "/").rsplit("/", 2)[0]
    try:
        open(package + "/" + native.LOOPS[0][0]).close()
    except OSError:  # frozen modules (a board): no file to read, nothing is compiled
        assert MICROPYTHON and native.compiled() is None and fast.NATIVE is None
        return
    for path, names in native.LOOPS:  # each loop's text, read from its file: one whole function
        for name in names:
            text = native.function_source(package + "/" + path, name)
            assert text.startswith("def %s(" % name) and text.count("\ndef ") == 0, name
            namespace = {}
            exec(text, namespace)
            assert callable(namespace[name]), name
    found = native.compiled()
    if not MICROPYTHON:
        assert found is None and fast.NATIVE is None
        return
    if found is None:  # a port without the emitter, or a board's heap
        return
    assert fast.NATIVE is not None and fast.add_outer_inplace is fast.NATIVE["add_outer_inplace"]
    bytecode = native.compiled(decorator="")
    rng = seeded(23)
    W, b = random_matrix(rng, 5, 7), random_vector(rng, 5)
    a, d = random_vector(rng, 7), random_vector(rng, 5)
    a[2] = a[5] = 0.0
    nonzero = [0, 1, 3, 4, 6]
    for form in (found, bytecode):
        assert form["nonzero_indices"](a) == nonzero
        assert form["affine"](W, a, b) == matrix.affine(W, a, b)
        assert form["affine_skipping_zeros"](W, a, b, nonzero) == bytecode["affine_skipping_zeros"](W, a, b, nonzero)
        assert form["transpose_times"](W, d) == matrix.transpose_times(W, d)
        M, v = [list(row) for row in W], list(b)
        form["add_outer_inplace"](M, -0.5, d, a)
        form["add_scaled_inplace"](v, -0.5, d)
        assert M == [[W[i][j] + (-0.5 * d[i]) * a[j] for j in range(7)] for i in range(5)]
        form["add_outer_inplace"](M, -0.5, d, a, nonzero)  # the zero columns skipped
        assert M == [[W[i][j] + (-0.5 * d[i]) * a[j] + (-0.5 * d[i]) * a[j] for j in range(7)] for i in range(5)]
        assert v == [b[i] + -0.5 * d[i] for i in range(5)]


def test_the_one_loop_check_accepts_nothing_that_check_samples_refuses():
    # fast.usual_samples (train's first check on PyPy, and on MicroPython as machine code
    # where the port compiles it) on good samples and on each way a sample can be bad:
    # wherever check_samples raises, it says False; train with fast=True then raises
    # check_samples' message, the same as with fast=False.
    from tinybackprop.core.checks import TARGET_SUM, check_samples
    from tinybackprop.core.floats import LARGEST  # 9e307, or 1.7e38 with 32-bit floats: 3 of them are inf
    nets = [tb.Network([2, 3, 2], activations=["tanh", output], loss=loss)
            for output, loss in (("softmax", "cross_entropy"), ("sigmoid", "binary_cross_entropy"),
                                 ("identity", "mse"))]
    good = [([0.5, -1.0], [1.0, 0.0]), ([0.0, 2.0], [0.0, 1.0])]
    bad_pairs = [([0.5], [1.0, 0.0]), ([0.5, 1.0, 2.0], [1.0, 0.0]), ([0.5, 1.0], [1.0]),
                 ([1, 2.0], [1.0, 0.0]), ([True, 2.0], [1.0, 0.0]), ([0.5, float("nan")], [1.0, 0.0]),
                 ([float("inf"), 1.0], [1.0, 0.0]), ([1.5 * LARGEST, 1.5 * LARGEST], [1.0, 0.0]), ([0.5, 1.0], [1.5, -0.5]),
                 ([0.5, 1.0], [0.5, 0.6]), ([0.5, 1.0], [float("nan"), 1.0]), ("ab", [1.0, 0.0]),
                 ([0.5, 1.0], None), ([0.5, "1"], [1.0, 0.0]), ([0.5, 1.0], [1, 0])]
    assert fast.usual_samples(nets[0], good, TARGET_SUM) and fast.usual_samples(nets[0], tuple(good), TARGET_SUM)
    refused = 0
    for net in nets:
        assert fast.usual_samples(net, good, TARGET_SUM), net.loss
        for samples in [[], "xy", [good[0], (good[1][0],)], [good[0], [1.0, 2.0, 3.0]]] + \
                [[good[0], pair] for pair in bad_pairs]:
            try:
                check_samples(net, samples, "samples")
            except (TinyBackpropError, TypeError):
                refused += 1
                assert not fast.usual_samples(net, samples, TARGET_SUM), (net.loss, samples)
                shown = [raises((TinyBackpropError, TypeError), net.train, samples, epochs=1, fast=f)
                         for f in (True, False)]
                assert shown[0] == shown[1], shown
    # of 19 sets a loss: ints and two finite numbers whose sum is inf pass check_samples for all three;
    # y = [0.5, 0.6] passes binary cross-entropy and mse, y = [1.5, -0.5] mse too
    assert refused == 16 + 15 + 14
