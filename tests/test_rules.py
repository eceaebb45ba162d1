"""Update rules, schedules and early stopping: first steps against numbers worked by hand.

The network of the hand-worked steps is the smallest there is: one input, one
identity output, mean squared error, W = [[0.5]], b = [0], trained again and again
on the one sample x = 1, y = 0.  Then a = w + b and L = a^2, so
dL/dw = dL/db = 2 a.  (tests/test_torch.py compares the rules with PyTorch's.)
"""
import tinybackprop as tb
from helpers import close, for_this_width, raises
from tinybackprop.core.errors import TinyBackpropError
from tinybackprop.training.rules import inverse_scaling, step_decay

EXACT = for_this_width(1e-12)  # a few roundings of numbers near 1
ADAM = for_this_width(1e-7)  # Adam's epsilon, 1e-8, moves the first steps by about that
SAMPLE = [([1.0], [0.0])]


def one_weight():
    return tb.Network([1, 1], activations="identity", weights=[[[0.5]]], biases=[[0.0]])


def after(steps, **rule):
    """(w, b) after each of steps steps of per-sample training on SAMPLE with the rule."""
    net = one_weight()
    seen = []
    net.train(SAMPLE, epochs=steps, lr=0.1, shuffle=False,
              callback=lambda record: seen.append((net.weights[0][0][0], net.biases[0][0])), **rule)
    return seen


def test_plain_sgd():
    # a = 0.5, g = 1: w = 0.5 - 0.1 = 0.4, b = -0.1; a = 0.3, g = 0.6: w = 0.34, b = -0.16.
    assert close(after(2), [(0.4, -0.1), (0.34, -0.16)], EXACT)


def test_momentum_first_steps():
    # mu = 0.9, lr = 0.1.  1: a = 0.5, g = 1, v = g = 1, change -0.1: w = 0.4, b = -0.1.
    # 2: a = 0.3, g = 0.6, v = 0.9 + 0.6 = 1.5, change -0.15: w = 0.25, b = -0.25.
    # 3: a = 0, g = 0, v = 1.35, change -0.135: w = 0.115, b = -0.385.
    assert close(after(3, rule="momentum"), [(0.4, -0.1), (0.25, -0.25), (0.115, -0.385)], EXACT)


def test_nesterov_first_steps():
    # 1: g = 1, v = 1, change -0.1 (g + 0.9 v) = -0.19: w = 0.31, b = -0.19.
    # 2: a = 0.12, g = 0.24, v = 0.9 + 0.24 = 1.14, change -0.1 (0.24 + 1.026) = -0.1266:
    #    w = 0.1834, b = -0.3166.
    assert close(after(2, rule="nesterov"), [(0.31, -0.19), (0.1834, -0.3166)], EXACT)


def test_weight_decay_first_steps():
    # lambda = 0.5, n = 1 sample: the gradient of w gains 0.5 w; b's does not.
    # 1: g_w = 1 + 0.25 = 1.25, g_b = 1: w = 0.375, b = -0.1.
    # 2: a = 0.275, g_w = 0.55 + 0.1875 = 0.7375, g_b = 0.55: w = 0.30125, b = -0.155.
    assert close(after(2, weight_decay=0.5), [(0.375, -0.1), (0.30125, -0.155)], EXACT)
    # With n = 2 samples the gradient gains (0.5 / 2) w, as in Nielsen's network2:
    # each step's g_w = 1 + 0.125 = 1.125 (the two samples are the same: the same a).
    net = one_weight()
    net.train(SAMPLE * 2, epochs=1, lr=0.1, shuffle=False, weight_decay=0.5, batch_size=2)
    assert close(net.weights[0][0][0], 0.5 - 0.1125, EXACT)


def test_adam_first_steps():
    # 1: g = 1: m = 0.1, s = 0.001; unbiased 1 and 1: change -0.1 / (1 + 1e-8): w = 0.4, b = -0.1.
    # 2: a = 0.3, g = 0.6: m = 0.09 + 0.06 = 0.15, s = 0.000999 + 0.00036 = 0.001359;
    #    unbiased m = 0.15 / 0.19 = 0.7894737, s = 0.001359 / 0.001999 = 0.6798399, sqrt 0.8245240;
    #    change -0.1 * 0.7894737 / 0.8245240 = -0.0957490: w = 0.3042510, b = -0.1957490.
    assert close(after(2, rule="adam"), [(0.4, -0.1), (0.3042510, -0.1957490)], ADAM)


def test_schedules():
    assert inverse_scaling(0.1)(1) == 0.1 and close(inverse_scaling(0.1)(4), 0.05, EXACT)
    assert [step_decay(0.1, every=10)(e) for e in (1, 10, 11, 21)] == [0.1, 0.1, 0.05, 0.025]
    # train uses the epoch's rate: plain SGD with lr / epoch^0.5.
    # 1: lr 0.1, g = 1: w = 0.4, b = -0.1.  2: lr 0.1 / sqrt(2), g = 0.6: w = 0.4 - 0.0424264.
    seen = after(2, schedule="inverse_scaling")
    assert close(seen[1][0], 0.4 - 0.06 / 2 ** 0.5, EXACT)
    assert "epoch 2's learning rate is 0.0" in raises(TinyBackpropError, after, 2,
                                                      schedule=lambda epoch: 0.1 if epoch == 1 else 0.0)


def test_a_scheduled_fast_path_equals_the_reference():
    # The fast steps read the rule's rate at every step: a rate that changes every epoch
    # (inverse_scaling) or after ten (step_decay) reaches them, for a network the step is
    # generated for ([2, 5, 1]) and one it is not ([20, 3, 2], wider than unroll.UNROLL_MAX).
    small = [([0.1 * k, 1.0 - 0.05 * k], [1.0 if k % 2 else 0.0]) for k in range(10)]
    wide = [([0.01 * (k * j % 7) for j in range(20)], [1.0, 0.0] if k % 2 else [0.0, 1.0]) for k in range(10)]
    for sizes, activations, loss, samples in (([2, 5, 1], ["tanh", "sigmoid"], "binary_cross_entropy", small),
                                              ([20, 3, 2], ["tanh", "softmax"], "cross_entropy", wide)):
        for schedule, epochs in (("inverse_scaling", 4), ("step_decay", 12)):
            nets = []
            for fast in (True, False):
                net = tb.Network(sizes, activations=activations, loss=loss, seed=4)
                net.train(samples, epochs=epochs, lr=0.5, schedule=schedule, fast=fast)
                nets.append(net)
            assert close(nets[0].weights, nets[1].weights, EXACT), (sizes, schedule)
            assert close(nets[0].biases, nets[1].biases, EXACT), (sizes, schedule)


def test_early_stopping_keeps_the_best_epoch():
    # Trained towards y = 2x, watched on y = x: the validation loss, (w - 1)^2 + b^2, falls while w < 1,
    # then rises; with patience 3 training stops 3 epochs after the best one, and the
    # network is left with the best epoch's weights.
    train = [([x], [2.0 * x]) for x in (-1.0, -0.5, 0.5, 1.0)]
    watch = [([x], [x]) for x in (-1.0, 1.0)]
    net = tb.Network([1, 1], activations="identity", weights=[[[0.0]]], biases=[[0.0]])
    snapshots = []
    history = net.train(train, epochs=100, lr=0.05, validation=watch, patience=3, shuffle=False,
                        callback=lambda record: snapshots.append(net.weights[0][0][0]), history="all")
    losses = [record["val_loss"] for record in history]
    best = losses.index(min(losses))
    assert 1 <= best < len(history) - 1 and len(history) == best + 1 + 3 < 100
    assert all(losses[k] >= losses[best] for k in range(best + 1, len(losses)))
    assert net.weights[0][0][0] == snapshots[best] and net.weights[0][0][0] != snapshots[-1]


def test_bad_rule_arguments_are_refused():
    net = one_weight()
    assert "rule is 'rmsprop'" in raises(TinyBackpropError, net.train, SAMPLE, rule="rmsprop")
    assert "momentum is 1.0" in raises(TinyBackpropError, net.train, SAMPLE, rule="momentum", momentum=1.0)
    assert "weight_decay is -1" in raises(TinyBackpropError, net.train, SAMPLE, weight_decay=-1)
    assert "schedule is 'cosine'" in raises(TinyBackpropError, net.train, SAMPLE, schedule="cosine")
    assert "needs validation" in raises(TinyBackpropError, net.train, SAMPLE, patience=3)
    assert "patience is 0" in raises(TinyBackpropError, net.train, SAMPLE, patience=0, validation=SAMPLE)
