"""The training settings are defined once (tinybackprop.training.defaults): Network.train,
the estimators and the command line take the same names, defaults and checks from there."""
import inspect

import tinybackprop as tb
from helpers import raises
from tinybackprop.core.errors import TinyBackpropError
from tinybackprop.front import estimators
from tinybackprop.front.cli import parser
from tinybackprop.front.cli.train import settings_of
from tinybackprop.training import defaults as settings
from tinybackprop.training.settings import step_rate
from tinybackprop.training.epochs import train_network

XOR = [([0.0, 0.0], [0.0]), ([0.0, 1.0], [1.0]), ([1.0, 0.0], [1.0]), ([1.0, 1.0], [0.0])]


def test_train_networks_signature_is_the_settings_network_defaults():
    parameters = inspect.signature(train_network).parameters
    assert {name: parameters[name].default for name in settings.NAMES} == settings.NETWORK_DEFAULTS
    # Network.train passes every setting through, by name: nothing of its own to drift
    assert list(inspect.signature(tb.Network.train).parameters) == ["self", "samples", "settings"]


def test_the_estimators_and_the_command_line_take_a_tables_defaults():
    assert {name: estimators.DEFAULTS[name] for name in settings.NAMES} == settings.TABLE_DEFAULTS
    assert estimators.PARAMETERS == tuple(name for name, default, kind, text in estimators.SETTINGS)
    model = tb.Classifier()
    assert model.get_params() == estimators.DEFAULTS
    args = parser().parse_args(["train", "data.csv"])
    assert settings_of(args) == estimators.DEFAULTS  # every flag's default is the estimators'
    changed = parser().parse_args(["train", "data.csv", "--lr-scaling", "none", "--batch-size", "8",
                                   "--hidden", "4,3", "--category", "a,b", "--no-early-stopping"])
    assert settings_of(changed) == dict(estimators.DEFAULTS, lr_scaling="none", batch_size=8, hidden=(4, 3),
                                        category=["a", "b"], patience=None)


def trained(**chosen):
    net = tb.Network([2, 3, 1], activations=["tanh", "sigmoid"], loss="binary_cross_entropy", seed=1)
    net.train(XOR * 3, epochs=3, seed=2, **chosen)
    return net.weights, net.biases


def test_lr_scaling_batch_is_lr_times_the_batch_size_except_for_adam():
    assert trained(lr=0.1, batch_size=4, lr_scaling="batch") == trained(lr=0.4, batch_size=4)
    assert trained(lr=0.1, batch_size=4, lr_scaling="batch") != trained(lr=0.1, batch_size=4)
    assert trained(lr=0.01, batch_size=4, rule="adam", lr_scaling="batch") == \
        trained(lr=0.01, batch_size=4, rule="adam")
    assert trained(lr=0.1, lr_scaling="batch") == trained(lr=0.1)  # batch_size=1: the same
    assert step_rate(0.1, "batch", 8, "momentum") == 0.1 * 8


def test_each_bad_setting_is_refused_by_name_everywhere():
    cases = [("epochs", 0, "epochs is 0"), ("lr", -1.0, "lr is -1.0"), ("lr_scaling", "sqrt", "lr_scaling is 'sqrt'"),
             ("batch_size", 2.5, "batch_size is 2.5"), ("seed", -1, "seed is -1"), ("rule", "rmsprop", "rule is 'rmsprop'"),
             ("momentum", 1.0, "momentum is 1.0"), ("weight_decay", -0.1, "weight_decay is -0.1"),
             ("schedule", "cosine", "schedule is 'cosine'"), ("patience", 0, "patience is 0")]
    net = tb.Network([2, 3, 1], activations=["tanh", "sigmoid"], loss="binary_cross_entropy")
    for name, value, expected in cases:
        chosen = {name: value}
        if name == "patience":
            chosen["validation"] = XOR
        assert expected in raises(TinyBackpropError, net.train, XOR, **chosen), name
        assert expected in raises(TinyBackpropError, tb.Classifier(**{name: value}).fit, [[0.0], [1.0]] * 5,
                                  [0, 1] * 5), name
    assert "no parameter 'learning_rate'" in raises(TypeError, tb.Classifier, learning_rate=0.1)
