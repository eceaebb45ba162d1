"""Training: SGD order of operations, mini-batches, shuffling, history, XOR."""
import math

from helpers import XOR, close, for_this_width, raises, seeded, random_vector
import tinybackprop as tb
from tinybackprop.core.errors import TinyBackpropError
from tinybackprop.core.matrix import outer, transpose_times, hadamard, copy_matrix

ROUNDING = for_this_width(1e-12)  # W - lr*(delta a) and W + (-lr delta) a differ by rounding only
SLIP = 1e-6  # the slip changes the result by far more than rounding


def three_layer_case():
    rng = seeded(9)
    net = tb.Network([3, 4, 3, 2], activations=["tanh", "sigmoid", "identity"], loss="mse", seed=4)
    return net, random_vector(rng, 3), random_vector(rng, 2)


def test_every_delta_uses_the_weights_from_before_the_step():
    net, x, y = three_layer_case()
    lr = 0.5
    gW, gb = net.backprop(x, y)  # all gradients at the old weights
    expected = [[[w - lr * g for w, g in zip(row, grow)] for row, grow in zip(W, G)]
                for W, G in zip(net.weights, gW)]
    old = [copy_matrix(W) for W in net.weights]
    net.train([(x, y)], epochs=1, lr=lr)
    assert close(net.weights, expected, ROUNDING)

    # The slip: update W^3 first, then send delta^3 back through the new W^3.
    slip = tb.Network([3, 4, 3, 2], activations=["tanh", "sigmoid", "identity"], loss="mse")
    slip.weights = [copy_matrix(W) for W in old]
    z, a = slip.forward(x)
    d3 = [2.0 / 2 * (a_i - y_i) for a_i, y_i in zip(a[3], y)]  # identity + mse: delta^3
    W3 = [[w - lr * g for w, g in zip(row, grow)] for row, grow in zip(old[2], outer(d3, a[2]))]
    d2 = hadamard(transpose_times(W3, d3), [s * (1 - s) for s in a[2]])
    slipped_W2 = [[w - lr * g for w, g in zip(row, grow)] for row, grow in zip(old[1], outer(d2, a[1]))]
    assert not close(slipped_W2, net.weights[1], SLIP)


def test_xor_is_learned():
    net = tb.Network([2, 4, 1], activations=["tanh", "sigmoid"], loss="binary_cross_entropy", seed=0)
    first = []
    history = net.train(XOR, epochs=500, lr=0.1, seed=0, history="last",  # a board's heap: one record
                        callback=lambda record: first.append(record) if not first else None)
    for x, y in XOR:
        assert (net.predict(x)[0] > 0.5) == (y[0] == 1.0), (x, net.predict(x))
    assert history[0]["epoch"] == 500 and history[0]["accuracy"] == 1.0
    assert history[0]["loss"] < first[0]["loss"]


def test_full_batch_step_is_the_mean_gradient():
    net = tb.Network([2, 3, 1], activations="tanh", loss="mse", seed=1)
    samples = [([0.5, -1.0], [0.2]), ([1.0, 0.25], [-0.4]), ([-0.3, 0.8], [0.9])]
    grads = [net.backprop(x, y) for x, y in samples]
    mean_W = [[[sum(g[0][l][i][j] for g in grads) / 3 for j in range(len(W[0]))]
               for i in range(len(W))] for l, W in enumerate(net.weights)]
    expected = [[[w - 0.1 * g for w, g in zip(row, grow)] for row, grow in zip(W, G)]
                for W, G in zip(net.weights, mean_W)]
    net.train(samples, epochs=1, lr=0.1, batch_size=3, shuffle=False)
    assert close(net.weights, expected, ROUNDING)


def test_last_shorter_batch_uses_its_own_size():
    # 3 samples in batches of 2: the last batch is one sample, a plain SGD step.
    samples = [([0.5, -1.0], [0.2]), ([1.0, 0.25], [-0.4]), ([-0.3, 0.8], [0.9])]
    a = tb.Network([2, 3, 1], activations="tanh", loss="mse", seed=1)
    b = tb.Network([2, 3, 1], activations="tanh", loss="mse", seed=1)
    a.train(samples, epochs=1, lr=0.1, batch_size=2, shuffle=False)
    b.train(samples[:2], epochs=1, lr=0.1, batch_size=2, shuffle=False)
    b.train(samples[2:], epochs=1, lr=0.1, batch_size=1, shuffle=False)
    assert close(a.weights, b.weights, ROUNDING)


def test_callers_samples_are_never_reordered():
    samples = list(XOR)
    tb.Network([2, 2, 1], seed=0).train(samples, epochs=3, shuffle=True)
    assert samples == XOR


def test_shuffle_follows_the_seed():
    nets = [tb.Network([2, 3, 1], activations="tanh", seed=0) for _ in range(3)]
    nets[0].train(XOR, epochs=2, seed=1)
    nets[1].train(XOR, epochs=2, seed=1)
    nets[2].train(XOR, epochs=2, seed=2)
    assert nets[0].weights == nets[1].weights and nets[0].weights != nets[2].weights


def test_history_validation_and_callback():
    seen = []
    net = tb.Network([2, 3, 1], activations=["tanh", "sigmoid"], seed=0)
    history = net.train(XOR, epochs=3, validation=XOR[:2], callback=seen.append, history="all")
    assert [r["epoch"] for r in history] == [1, 2, 3] and seen == history
    assert history[-1]["val_loss"] == net.evaluate(XOR[:2])[0]
    assert 0.0 <= history[-1]["accuracy"] <= 1.0
    regression = tb.Network([1, 1], activations="identity").train([([1.0], [2.0])], epochs=1)
    assert regression[0]["accuracy"] is None and regression[0]["val_loss"] is None


def test_the_default_history_is_every_epoch_but_on_micropython_the_last():
    # A board's heap: 500 epochs of XOR kept whole cost 4 KB there (docs/boards.md)
    import sys
    net = tb.Network([2, 3, 1], activations=["tanh", "sigmoid"], seed=0)
    history = net.train(XOR, epochs=5)
    assert len(history) == (1 if sys.implementation.name == "micropython" else 5)
    assert history[len(history) - 1]["epoch"] == 5


def test_history_can_keep_the_last_record_or_none():
    # The weights do not depend on what is kept; the callback sees every epoch either way.
    kept = {}
    for history in ("all", "last", "none"):
        seen = []
        net = tb.Network([2, 3, 1], activations=["tanh", "sigmoid"], seed=0)
        kept[history] = net.train(XOR, epochs=4, history=history, callback=seen.append), net.weights
        assert [r["epoch"] for r in seen] == [1, 2, 3, 4]
    assert len(kept["all"][0]) == 4 and kept["last"][0] == [kept["all"][0][3]] and kept["none"][0] == []
    assert kept["all"][1] == kept["last"][1] == kept["none"][1]
    assert "'all'" in raises(TinyBackpropError, tb.Network([2, 1]).train, XOR, history="first")


def test_the_whole_history_keeps_numbers_not_a_dict_per_epoch():
    # A dict per epoch cost a board about 150 bytes an epoch, and 2,500 of them a list that
    # needed one 32 KB block (MicroPython, 8 MB heap, the eighth run in a row: MemoryError).
    seen = []
    net = tb.Network([2, 3, 1], activations=["tanh", "sigmoid"], seed=0)
    history = net.train(XOR, epochs=100, validation=XOR[:2], callback=seen.append, history="all")
    assert len(history) == 100 and seen == list(history) and history == seen
    assert history[99] == history[-1] == seen[99] and history[-100] == seen[0]
    assert history[98:] == seen[98:] and [r["epoch"] for r in history][:3] == [1, 2, 3]
    assert raises(IndexError, lambda: history[100])
    chunks = history.chunks  # 32 epochs each, four numbers an epoch: no block grows with the epochs
    assert len(chunks) == 4 and [len(c) for c in chunks] == [128] * 4
    regression = tb.Network([1, 1], activations="identity").train([([1.0], [2.0])], epochs=40, history="all")
    assert [len(c) for c in regression.chunks] == [32, 32]  # the loss alone
    assert regression[39]["accuracy"] is None and regression[39]["val_loss"] is None


def test_bad_training_arguments_are_refused():
    net = tb.Network([2, 1])
    assert "lr" in raises(TinyBackpropError, net.train, XOR, lr=0.0)
    assert "lr" in raises(TinyBackpropError, net.train, XOR, lr=float("inf"))
    assert "epochs" in raises(TinyBackpropError, net.train, XOR, epochs=0)
    assert "batch_size" in raises(TinyBackpropError, net.train, XOR, batch_size=0)
    assert "non-empty" in raises(TinyBackpropError, net.train, [])
    assert "[0, 1]" in raises(TinyBackpropError, tb.Network([2, 1], loss="binary_cross_entropy").train,
                              [([0.0, 0.0], [2.0])])


def test_divergence_stops_keeps_finite_weights_and_says_where():
    samples = [([3.0, -2.0], [50.0]), ([1.0, 4.0], [-70.0])]
    for batch_size in (1, 2):
        net = tb.Network([2, 8, 1], activations=["relu", "identity"], loss="mse", seed=0)
        message = raises(TinyBackpropError, net.train, samples, epochs=50, lr=10.0,
                         batch_size=batch_size)
        assert "diverged in epoch" in message and "smaller learning rate" in message
        assert all(math.isfinite(w) for W in net.weights for row in W for w in row)
        assert all(math.isfinite(v) for b in net.biases for v in b)


def test_divergence_restores_the_weights_of_the_last_good_step():
    # Keep a copy of the weights after every step; when training breaks off, the
    # network must hold exactly the copy of the last step that went well, and the
    # message must name the epoch of the step that broke.
    samples = [([3.0, -2.0], [50.0]), ([1.0, 4.0], [-70.0]), ([-2.0, 1.0], [30.0])]
    net = tb.Network([2, 8, 1], activations=["relu", "identity"], loss="mse", seed=0)
    kept = {}

    def keep(epoch, done):
        kept["weights"] = [copy_matrix(W) for W in net.weights]
        kept["biases"] = [list(b) for b in net.biases]
        kept["epoch"] = epoch if done < len(samples) else epoch + 1

    message = raises(TinyBackpropError, net.train, samples, epochs=50, lr=10.0, step_callback=keep)
    assert kept, "no step went well: the test would not show anything"
    assert net.weights == kept["weights"] and net.biases == kept["biases"]
    assert ("diverged in epoch %d at samples[" % kept["epoch"]) in message
    assert "smaller learning rate than lr=10.0" in message
