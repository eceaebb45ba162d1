"""Backprop against PyTorch autograd (float64), when torch is installed.

docs/math.md defines the losses so that the gradients equal PyTorch's for the same
network; this checks it for every activation and loss pair.  Not part of the
portable core tests; skipped where torch is absent (CI does not install it).
"""
import pytest

import tinybackprop as tb
from helpers import close, seeded
from test_gradients import random_case
from tinybackprop.core.activations import ACTIVATIONS
from tinybackprop.core.checks import OUTPUTS_FOR_LOSS
from tinybackprop.core.losses import LOSSES
from tinybackprop.training.rules import RULES

torch = pytest.importorskip("torch")
F = torch.nn.functional

AGREEMENT = 1e-12  # both sides compute the same float64 sums, in a different order


# Each registered name as PyTorch writes it: a name added to a registry fails
# test_every_registered_name_has_its_pytorch_twin until it is added here.
TORCH_ACTIVATIONS = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu,
                     "leaky_relu": lambda v: F.leaky_relu(v, 0.01), "identity": lambda v: v,
                     "softmax": lambda v: torch.softmax(v, dim=0)}
TORCH_LOSSES = {"mse": F.mse_loss,  # mean over the outputs
                "binary_cross_entropy": F.binary_cross_entropy,  # mean over the outputs
                "cross_entropy": lambda a, y: -(y * torch.log(a)).sum()}  # on softmax outputs
TORCH_RULES = {  # (parameter groups, lr, mu) -> the torch.optim optimizer
    "sgd": lambda groups, lr, mu: torch.optim.SGD(groups, lr=lr, momentum=0.0),
    "momentum": lambda groups, lr, mu: torch.optim.SGD(groups, lr=lr, momentum=mu),
    "nesterov": lambda groups, lr, mu: torch.optim.SGD(groups, lr=lr, momentum=mu, nesterov=True),
    "adam": lambda groups, lr, mu: torch.optim.Adam(groups, lr=lr)}


def torch_activation(name, z):
    return TORCH_ACTIVATIONS[name](z)


def torch_loss(name, a, y):
    return TORCH_LOSSES[name](a, y)


def test_every_registered_name_has_its_pytorch_twin():
    assert sorted(TORCH_ACTIVATIONS) == sorted(ACTIVATIONS)
    assert sorted(TORCH_LOSSES) == sorted(LOSSES)
    assert sorted(TORCH_RULES) == sorted(RULES)


def torch_gradients(net, x, y):
    """dL/dW^l and dL/db^l by autograd for net's weights, as nested lists."""
    Ws = [torch.tensor(W, dtype=torch.float64, requires_grad=True) for W in net.weights]
    bs = [torch.tensor(b, dtype=torch.float64, requires_grad=True) for b in net.biases]
    a = torch.tensor(x, dtype=torch.float64)
    for W, b, name in zip(Ws, bs, net.activations):
        a = torch_activation(name, W @ a + b)
    torch_loss(net.loss, a, torch.tensor(y, dtype=torch.float64)).backward()
    return [W.grad.tolist() for W in Ws], [b.grad.tolist() for b in bs]


def test_backprop_equals_pytorch_autograd():
    rng = seeded(77)
    for loss in OUTPUTS_FOR_LOSS:
        for output in OUTPUTS_FOR_LOSS[loss]:
            for hidden in ACTIVATIONS:
                net, x, y = random_case(rng, hidden, 2, output, loss)
                gW, gb = net.backprop(x, y)
                tW, tb_ = torch_gradients(net, x, y)
                assert close(gW, tW, AGREEMENT), (loss, output, hidden)
                assert close(gb, tb_, AGREEMENT), (loss, output, hidden)


def test_model_file_loads_into_pytorch_and_back(tmp_path):
    # The README's snippet, in short: nn.Linear stores weight as (out, in), as we do.
    net = tb.Network([4, 5, 3], activations=["tanh", "softmax"], loss="cross_entropy", seed=3)
    path = str(tmp_path / "model.json")
    net.save(path)
    back = tb.load(path)
    x = [0.5, -1.0, 2.0, 0.25]
    linears = []
    for W, b in zip(back.weights, back.biases):
        linear = torch.nn.Linear(len(W[0]), len(W)).double()
        with torch.no_grad():
            linear.weight.copy_(torch.tensor(W, dtype=torch.float64))
            linear.bias.copy_(torch.tensor(b, dtype=torch.float64))
        linears.append(linear)
    a = torch.tensor(x, dtype=torch.float64)
    a = torch.softmax(linears[1](torch.tanh(linears[0](a))), dim=0)
    assert close(a.tolist(), net.predict(x), AGREEMENT)


def torch_trained(net, samples, rule, lr, momentum, lambda_n):
    """net's weights after one pass of per-sample steps over samples, in order, by torch.optim."""
    Ws = [torch.tensor(W, dtype=torch.float64, requires_grad=True) for W in net.weights]
    bs = [torch.tensor(b, dtype=torch.float64, requires_grad=True) for b in net.biases]
    groups = [{"params": Ws, "weight_decay": lambda_n}, {"params": bs, "weight_decay": 0.0}]  # b not decayed
    optimizer = TORCH_RULES[rule](groups, lr, momentum)
    for x, y in samples:
        optimizer.zero_grad()
        a = torch.tensor(x, dtype=torch.float64)
        for W, b, name in zip(Ws, bs, net.activations):
            a = torch_activation(name, W @ a + b)
        torch_loss(net.loss, a, torch.tensor(y, dtype=torch.float64)).backward()
        optimizer.step()
    return [W.tolist() for W in Ws], [b.tolist() for b in bs]


def test_update_rules_equal_torch_optim():
    rng = seeded(5)
    samples = []
    for k in range(6):
        x = [rng.uniform(-1.0, 1.0) for j in range(3)]
        samples.append((x, [1.0, 0.0] if k % 2 else [0.0, 1.0]))
    for rule in RULES:
        for weight_decay in (0.0, 0.3):
            net = tb.Network([3, 4, 2], activations=["tanh", "softmax"], loss="cross_entropy", seed=6)
            expected = torch_trained(net, samples, rule, 0.05, 0.8, weight_decay / len(samples))
            net.train(samples, epochs=1, lr=0.05, shuffle=False, rule=rule, momentum=0.8,
                      weight_decay=weight_decay)
            assert close(net.weights, expected[0], AGREEMENT), (rule, weight_decay)
            assert close(net.biases, expected[1], AGREEMENT), (rule, weight_decay)
