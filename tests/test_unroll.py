"""The generated step (tinybackprop.fast.unroll) against the reference step, on every interpreter."""
import tinybackprop as tb
from helpers import close, for_this_width, seeded
from tinybackprop.core.backprop import MAX_CHANGE, SGD, step
from tinybackprop.core.checks import OUTPUTS_FOR_LOSS
from tinybackprop.fast.kernels import plan_for
from tinybackprop.core.activations import ELEMENT_WISE
from tinybackprop.fast.probes import MICROPYTHON
from tinybackprop.fast.unroll import (SPLIT_BATCH, bind, bindings, can_unroll, compile_step, generated_stepper,
                                      heap_free, heap_to_compile, step_source)

AGREEMENT = for_this_width(1e-12)  # relative; the sums are the reference's, in its order


def test_the_generated_step_equals_the_reference_for_every_activation_and_loss():
    rng = seeded(18)
    tried = 0
    for loss in OUTPUTS_FOR_LOSS:
        for output in OUTPUTS_FOR_LOSS[loss]:
            for hidden in ELEMENT_WISE:
                nets = [tb.Network([3, 4, 2], activations=[hidden, output], loss=loss, seed=tried) for _ in range(2)]
                generated = generated_stepper(nets[0], plan_for(nets[0]))
                if generated is None:  # only MicroPython without the heap to compile (a board)
                    assert MICROPYTHON and not heap_to_compile(nets[0])
                    return
                for k in range(5):
                    x = [rng.uniform(-1.0, 1.0) for j in range(3)]
                    y = [1.0, 0.0] if k % 2 else [0.0, 1.0]
                    loss_a, a_a = generated(x, y, 0.1)
                    [(loss_b, a_b)] = step(nets[1], [(x, y)], SGD(0.1))
                    assert close(loss_a, loss_b, AGREEMENT) and close(a_a, a_b, AGREEMENT), (hidden, output, loss)
                assert close(nets[0].weights, nets[1].weights, AGREEMENT), (hidden, output, loss)
                assert close(nets[0].biases, nets[1].biases, AGREEMENT), (hidden, output, loss)
                tried += 1
    assert tried == len(ELEMENT_WISE) * sum(len(OUTPUTS_FOR_LOSS[loss]) for loss in OUTPUTS_FOR_LOSS) == 45


def test_the_written_out_output_layer_gives_the_librarys_loss_and_delta_to_the_bit():
    # Sigmoid with binary cross-entropy and softmax with cross-entropy are written out in
    # the step (unroll.output_lines); its loss must be losses.py's, and a^L, delta^L (seen
    # through the biases' change, b^L_i - lr delta^L_i) the reference's, exactly.  A target
    # with a 0 and an output driven to saturation take the clamps and 0 log a = 0.
    for sizes, output, loss, y in (([2, 3, 2], "softmax", "cross_entropy", [0.0, 1.0]),
                                   ([2, 3, 2], "sigmoid", "binary_cross_entropy", [1.0, 0.0])):
        for scale in (1.0, 60.0):
            nets = [tb.Network(sizes, activations=["tanh", output], loss=loss, seed=7) for _ in range(2)]
            for net in nets:
                net.biases[1][:] = [scale, -scale]  # 60: a^L saturates, past the clamps
            generated = generated_stepper(nets[0], plan_for(nets[0]))
            if generated is None:  # only MicroPython without the heap to compile (a board's 140 KB
                assert MICROPYTHON  # may pass heap_to_compile and still run out while compiling)
                return
            assert "DELTA_L" not in step_source(nets[0]) and "LOSS(" not in step_source(nets[0])
            x = [0.5, -0.25]
            loss_a, a_a = generated(x, y, 0.5)
            [(loss_b, a_b)] = step(nets[1], [(x, y)], SGD(0.5))
            assert loss_a == loss_b and a_a == a_b, (output, scale, loss_a, loss_b)
            assert nets[0].biases[1] == nets[1].biases[1], (output, scale)


def test_the_generated_step_refuses_a_diverging_step_and_changes_nothing():
    # w = 1, x = 4, y = 0: a = 4, L = 16, delta = 2 * 4 = 8; with lr = MAX_CHANGE the change
    # of w would be 8 * 4 * MAX_CHANGE, beyond MAX_CHANGE: the guard refuses the step.
    net = tb.Network([1, 1], activations="identity", weights=[[[1.0]]], biases=[[0.0]])
    generated = generated_stepper(net, plan_for(net))
    if generated is None:  # only MicroPython without the heap to compile (a board)
        assert MICROPYTHON and not heap_to_compile(net)
        return
    assert generated([4.0], [0.0], MAX_CHANGE) is None and net.weights == [[[1.0]]] and net.biases == [[0.0]]
    assert generated([4.0], [0.0], 0.01)[0] == 16.0  # a safe step is taken


def test_after_a_tanh_layer_the_guard_bounds_sum_a_by_the_layer_width():
    # [1, 2, 1], tanh then identity, mse: b^1 = 20 saturates a^1 = [1, 1] (tanh(20) is 1.0
    # in 64 and 32 bits), W^2 = [1, 1]: a^2 = 2, L = 4, delta^2 = 2 (a - y) = 4, delta^1 =
    # (W^2)^T 4 (1 - 1^2) = 0.  The change of each w2 is lr * 4 * 1 = 4 lr, and the guard's
    # bound for W^2 is sum|delta^2| * n_1 = 8 lr: lr = MAX_CHANGE / 3 (a change of 1.33
    # MAX_CHANGE) is refused, lr = MAX_CHANGE / 9 (0.44 of it, bound 0.89) is taken.
    fresh = lambda: tb.Network([1, 2, 1], activations=["tanh", "identity"], loss="mse",
                               weights=[[[0.0], [0.0]], [[1.0, 1.0]]], biases=[[20.0, 20.0], [0.0]])
    net = fresh()
    assert "* 2.0 <= MAX_CHANGE" in step_source(net) and "abs(a1_0)" not in step_source(net)
    generated = generated_stepper(net, plan_for(net))
    if generated is None:  # only MicroPython without the heap to compile (a board)
        assert MICROPYTHON and not heap_to_compile(net)
        return
    assert generated([0.0], [0.0], MAX_CHANGE / 3) is None and net.weights == fresh().weights
    loss, a_L = generated([0.0], [0.0], MAX_CHANGE / 9)
    assert loss == 4.0 and a_L == [2.0] and net.weights[1][0][0] == 1.0 - 4.0 * (MAX_CHANGE / 9)


def test_the_generated_batch_step_equals_the_reference_and_refuses_a_diverging_batch():
    # Both forms (unroll.SPLIT_BATCH: PyPy's, each sample's sums added into a list by a
    # function of its own; the others', into locals), compiled anew for each (COMPILED
    # emptied): the same numbers to the bit.  MicroPython keeps its own form only.
    import tinybackprop.fast.unroll as unroll
    chosen, found = unroll.SPLIT_BATCH, []
    try:
        for split in ((False, True) if not MICROPYTHON else (chosen,)):
            unroll.SPLIT_BATCH = split
            unroll.COMPILED.clear()
            found.append(batch_step_against_the_reference())
    finally:
        unroll.SPLIT_BATCH = chosen
        unroll.COMPILED.clear()
    assert all(weights == found[0] for weights in found)


def batch_step_against_the_reference():
    # Batches of 3 and of 2 on [3, 4, 2] (tanh, softmax): the mean gradient's step, as
    # backprop.step takes it.  Then w = 1, b = 0, x = 4 and 2, y = 0 (identity, mse):
    # delta = 2 a = 8 and 4, bounds 8 * 4 + 4 * 2 = 40; at lr = MAX_CHANGE, c * 40 is
    # beyond MAX_CHANGE: the whole batch is refused.  Returns the weights learned.
    rng = seeded(19)
    nets = [tb.Network([3, 4, 2], activations=["tanh", "softmax"], loss="cross_entropy", seed=2) for _ in range(2)]
    generated = generated_stepper(nets[0], plan_for(nets[0]), batch=True)
    if generated is None:  # only MicroPython without the heap to compile (a board)
        assert MICROPYTHON and not heap_to_compile(nets[0])
        return None
    for size in (3, 2, 3):
        batch = [([rng.uniform(-1.0, 1.0) for j in range(3)], [1.0, 0.0] if k % 2 else [0.0, 1.0])
                 for k in range(size)]
        results_a = generated(batch, 0.2)
        results_b = step(nets[1], batch, SGD(0.2))
        assert len(results_a) == size and close(results_a, results_b, AGREEMENT)
    assert close(nets[0].weights, nets[1].weights, AGREEMENT) and close(nets[0].biases, nets[1].biases, AGREEMENT)
    net = tb.Network([1, 1], activations="identity", weights=[[[1.0]]], biases=[[0.0]])
    generated = generated_stepper(net, plan_for(net), batch=True)
    batch = [([4.0], [0.0]), ([2.0], [0.0])]
    assert generated(batch, MAX_CHANGE) is None and net.weights == [[[1.0]]] and net.biases == [[0.0]]
    assert generated(batch, 0.01) == [(16.0, [4.0]), (4.0, [2.0])]  # a safe step is taken
    assert net.weights[0][0][0] < 1.0
    return nets[0].weights + nets[0].biases


def test_without_the_native_emitter_micropython_runs_the_step_as_bytecode():
    # A port built without the native emitter rejects @micropython.native as it rejects
    # any decorator it does not know (SyntaxError: invalid micropython decorator); the
    # step must then be compiled without it and still equal the reference.  MicroPython
    # only: elsewhere the step is never compiled this way (compile_step's make).
    if not MICROPYTHON:
        return
    fresh = lambda: tb.Network([2, 3, 2], activations=["tanh", "softmax"], loss="cross_entropy", seed=4)
    nets = [fresh(), fresh()]
    if not heap_to_compile(nets[0]):  # a board: the loops run, nothing is compiled
        return
    try:
        exec("@micropython.no_such_emitter\ndef f():\n    pass\n", {})
        rejected = False
    except SyntaxError:
        rejected = True
    assert rejected  # the decorator used below does stand for a missing emitter
    for decorator in ("@micropython.native", "@micropython.no_such_emitter"):
        bound = bindings(nets[0], plan_for(nets[0]))
        generated = bind(compile_step(step_source(nets[0]), sorted(bound), decorator), bound)
        for k in range(4):
            x, y = [0.5 * k - 0.7, 0.3], ([1.0, 0.0] if k % 2 else [0.0, 1.0])
            loss_a, a_a = generated(x, y, 0.1)
            [(loss_b, a_b)] = step(nets[1], [(x, y)], SGD(0.1))
            assert close(loss_a, loss_b, AGREEMENT) and close(a_a, a_b, AGREEMENT), decorator
        assert close(nets[0].weights, nets[1].weights, AGREEMENT), decorator
        assert nets[0].weights != fresh().weights  # it learned


def test_the_source_reads_as_the_math():
    net = tb.Network([2, 3, 1], activations=["tanh", "sigmoid"], loss="binary_cross_entropy")
    source = step_source(net)
    assert "    z1_0 = w1_0_0 * x0 + w1_0_1 * x1 + b1_0\n" in source
    assert "    a1_2 = _tanh(z1_2)\n" in source
    assert "    d1_1 = (w2_0_1 * d2_0) * (1.0 - a1_1 * a1_1)\n" in source
    batch_source = step_source(net, batch=True)
    if SPLIT_BATCH:  # PyPy: each sample's gradient summed into a list G by a function of its own
        assert "def gradient_into(x, y, G):\n" in batch_source
        assert "    G[1] += d1_0 * x1\n" in batch_source  # dL/dW^1_01, the second of the sums
    else:
        assert "        g1_0_1 += d1_0 * x1\n" in batch_source
    if MICROPYTHON:  # a store an entry: no tuple, no slice object on the heap (unroll.row_update)
        assert "    R1_0[0] = w1_0_0 - c * x0\n    R1_0[1] = w1_0_1 - c * x1\n" in source
        assert "    R1_0[0] = w1_0_0 - c * g1_0_0\n    R1_0[1] = w1_0_1 - c * g1_0_1\n" in batch_source
    else:
        assert "    R1_0[:] = (w1_0_0 - c * x0, w1_0_1 - c * x1,)\n" in source
        assert "    R1_0[:] = (w1_0_0 - c * g1_0_0, w1_0_1 - c * g1_0_1,)\n" in batch_source
    assert can_unroll(net) and not can_unroll(tb.Network([17, 2, 1]))
    assert not can_unroll(tb.Network([2, 3, 3, 1], activations=["tanh", "softmax", "sigmoid"],
                                     loss="binary_cross_entropy"))


# -- The loops as one function (tinybackprop.fast.looped, the step for wide networks on PyPy and MicroPython) --

def test_the_looped_step_equals_the_reference_for_every_activation_and_loss():
    # [3, 4, 5, 3]: two hidden layers (a backward loop between them), the inputs a third
    # zeros (x_1 = 0: J0 lists the others) or none; per sample, 5 steps each.  On PyPy and
    # MicroPython, where train takes it, also the loops of fast.kernels, to the bit: the
    # same sums in the same order.  (A MicroPython heap without LOOP_HEAP free, a board's,
    # compiles no step: kernels' loops serve there.)
    from tinybackprop.fast import kernels
    from tinybackprop.fast.looped import LOOP_HEAP, LOOPED, can_loop, looped_stepper
    rng = seeded(23)
    tried = 0
    for loss in OUTPUTS_FOR_LOSS:
        for output in OUTPUTS_FOR_LOSS[loss]:
            for hidden in ELEMENT_WISE:
                nets = [tb.Network([3, 4, 5, 3], activations=[hidden, hidden, output], loss=loss, seed=tried)
                        for _ in range(3)]
                assert can_loop(nets[0])
                looped = looped_stepper(nets[0], plan_for(nets[0]), kernels.SPARSE)
                if looped is None:
                    assert MICROPYTHON and not heap_free(LOOP_HEAP)
                    return
                for k in range(5):
                    x = [rng.uniform(-1.0, 1.0) for j in range(3)]
                    if k % 2:
                        x[1] = 0.0
                    y = [0.0, 1.0, 0.0] if loss == "cross_entropy" else [rng.random() for i in range(3)]
                    loss_a, a_a = looped(x, y, 0.1)
                    [(loss_b, a_b)] = step(nets[1], [(x, y)], SGD(0.1))
                    assert close(loss_a, loss_b, AGREEMENT) and close(a_a, a_b, AGREEMENT), (hidden, output, loss)
                    if LOOPED:
                        assert kernels.sgd_step(nets[2], x, y, 0.1, plan_for(nets[2])) == (loss_a, a_a)
                assert close(nets[0].weights, nets[1].weights, AGREEMENT), (hidden, output, loss)
                assert close(nets[0].biases, nets[1].biases, AGREEMENT), (hidden, output, loss)
                if LOOPED:
                    assert (nets[0].weights, nets[0].biases) == (nets[2].weights, nets[2].biases)
                assert nets[0].weights != tb.Network([3, 4, 5, 3], seed=tried).weights
                tried += 1
    assert tried == len(ELEMENT_WISE) * (6 + 2 + 1)


def test_the_looped_step_refuses_a_diverging_step_and_serves_train_on_pypy():
    # [1, 1], identity, mse, w = 1, b = 0, x = 4, y = 0: a = 4, delta = 2 a = 8, bound
    # 8 max(1, 4) = 32: at lr = MAX_CHANGE / 16 the change would be 2 MAX_CHANGE: refused,
    # nothing changed; at MAX_CHANGE / 64, half of it: made, w = 1 - 32 / 64 MAX_CHANGE...
    # (far from 1: a step of that size is what the guard lets through).
    from tinybackprop.fast import kernels
    from tinybackprop.fast.looped import LOOP_HEAP, LOOPED, looped_stepper
    from tinybackprop.fast.unroll import COMPILED, UNROLL_MAX
    net = tb.Network([1, 1], activations=["identity"], loss="mse")
    net.weights, net.biases = [[[1.0]]], [[0.0]]
    looped = looped_stepper(net, plan_for(net), kernels.SPARSE)
    if looped is None:
        assert MICROPYTHON and not heap_free(LOOP_HEAP)
        return
    assert looped([4.0], [0.0], MAX_CHANGE / 16) is None
    assert (net.weights, net.biases) == ([[[1.0]]], [[0.0]])
    assert looped([4.0], [0.0], 0.01) == (16.0, [4.0])  # L = (4 - 0)^2 from before the step
    assert close(net.weights, [[[1.0 - 0.01 * 8 * 4]]], AGREEMENT) and close(net.biases, [[-0.08]], AGREEMENT)
    # train's step for a network wider than unroll writes out: this one on PyPy and
    # MicroPython (LOOPED), where the heap has room
    wide = tb.Network([UNROLL_MAX + 1, 3, 2], activations=["tanh", "softmax"], loss="cross_entropy")
    COMPILED.clear()
    roomy = not MICROPYTHON or heap_free(LOOP_HEAP)
    assert kernels.sgd_stepper(wide, SGD(0.1), 1) is not None
    assert ((tuple(wide.sizes), tuple(wide.activations), wide.loss, "looped") in COMPILED) == (LOOPED and roomy)


def test_the_looped_batch_step_equals_the_reference_and_refuses_a_diverging_batch():
    # [3, 4, 5, 3], every hidden activation and output, batches of 3 and then 2 (a
    # shorter one): the mean gradient's step, as backprop.step takes it.  Then [1, 1]
    # (w = 1, b = 0, x = 4 and 2, y = 0, identity, mse): delta = 8 and 4, bounds
    # 8 * 4 + 4 * 2 = 40; at lr = MAX_CHANGE, c = MAX_CHANGE / 2 and c * 40 is beyond
    # MAX_CHANGE: the whole batch is refused, nothing changed.
    from tinybackprop.fast import kernels
    from tinybackprop.fast.looped import LOOP_HEAP, looped_stepper
    rng = seeded(29)
    tried = 0
    for loss in OUTPUTS_FOR_LOSS:
        for output in OUTPUTS_FOR_LOSS[loss]:
            for hidden in ELEMENT_WISE:
                nets = [tb.Network([3, 4, 5, 3], activations=[hidden, hidden, output], loss=loss, seed=tried)
                        for _ in range(2)]
                looped = looped_stepper(nets[0], plan_for(nets[0]), kernels.SPARSE, batch=True)
                if looped is None:
                    assert MICROPYTHON and not heap_free(LOOP_HEAP)
                    return
                for size in (3, 2, 3):
                    batch = []
                    for k in range(size):
                        x = [rng.uniform(-1.0, 1.0) for j in range(3)]
                        if k == 1:
                            x[0] = x[2] = 0.0  # two of three zeros: J0 = [1]
                        y = [0.0, 0.0, 1.0] if loss == "cross_entropy" else [rng.random() for i in range(3)]
                        batch.append((x, y))
                    found, expected = looped(batch, 0.2), step(nets[1], batch, SGD(0.2))
                    assert len(found) == size and all(close(list(f), list(e), AGREEMENT) for f, e in zip(found, expected))
                assert close(nets[0].weights, nets[1].weights, AGREEMENT), (hidden, output, loss)
                assert close(nets[0].biases, nets[1].biases, AGREEMENT), (hidden, output, loss)
                tried += 1
    assert tried == len(ELEMENT_WISE) * (6 + 2 + 1)
    net = tb.Network([1, 1], activations=["identity"], loss="mse")
    net.weights, net.biases = [[[1.0]]], [[0.0]]
    looped = looped_stepper(net, plan_for(net), kernels.SPARSE, batch=True)
    pairs = [([4.0], [0.0]), ([2.0], [0.0])]
    assert looped(pairs, MAX_CHANGE) is None and (net.weights, net.biases) == ([[[1.0]]], [[0.0]])
    # at lr = 0.05: c = 0.025, w = 1 - 0.025 * 40 = 0, b = -0.025 * 12 = -0.3
    assert looped(pairs, 0.05) == [(16.0, [4.0]), (4.0, [2.0])]
    assert close(net.weights, [[[0.0]]], AGREEMENT) and close(net.biases, [[-0.3]], AGREEMENT)
