"""explain: one step written out; gradcheck on the command line."""
import subprocess
import sys

from helpers import close, seeded
from interpreters import ROOT
from test_gradients import random_case
from test_network import net_2_2_1
from tinybackprop.seeing.trace import explain

PRINTED = 1e-11  # gradients printed with 12 digits after the point


def test_explain_2_2_1_by_hand():
    # The 2-2-1 case of test_network (relu, then sigmoid with binary cross-entropy),
    # x = [1, 2], y = [1], lr = 0.5; worked out there:
    #   z^1 = [0.5, -0.5], a^1 = [0.5, 0], z^2 = 0, a^2 = 0.5, L = log 2 = 0.6931
    #   delta^2 = (a - y)/1 = -0.5, (W^2)^T delta^2 = [-1, -1.5], relu' = [1, 0], delta^1 = [-1, 0]
    #   dL/dW^1 = [[-1, -2], [0, 0]], dL/dW^2 = [[-0.25, 0]]
    #   after: W^1 = [[1, 0.75], [-1, 0.25]], b^1 = [1, 0], W^2 = [[2.125, 3]], b^2 = -0.75
    # and the loss after the step: z^1 = [1 + 1.5 + 1, -1 + 0.5] = [3.5, -0.5], a^1 = [3.5, 0],
    #   z^2 = 2.125 * 3.5 - 0.75 = 6.6875, L = log(1 + e^-6.6875) = 0.0012456
    text = explain(net_2_2_1(), [1.0, 2.0], [1.0], 0.5)
    lines = text.splitlines()
    for expected in [
        "z^1 = W^1 a^0 + b^1 = [ 0.5000  -0.5000 ]ᵀ",
        "a^1 = relu(z^1) = [ 0.5000  0.0000 ]ᵀ",
        "z^2 = W^2 a^1 + b^2 = [ 0.0000 ]ᵀ",
        "a^2 = sigmoid(z^2) = [ 0.5000 ]ᵀ",
        "L = binary_cross_entropy = −(1/n) Σ_i [y_i log a_i + (1 − y_i) log(1 − a_i)] = 0.6931",
        "δ^2 = (a^2 − y) / n_2 = [ -0.5000 ]ᵀ",
        "(W^2)ᵀ δ^2 = [ -1.0000  -1.5000 ]ᵀ",
        "σ'(z^1) = 1 where z > 0, else 0 = [ 1.0000  0.0000 ]ᵀ",
        "δ^1 = ((W^2)ᵀ δ^2) ⊙ σ'(z^1) = [ -1.0000  0.0000 ]ᵀ",
        "∂L/∂b^1 = δ^1 = [ -1.0000  0.0000 ]ᵀ",
        "b^1 ← b^1 − η ∂L/∂b^1 = [ 1.0000  0.0000 ]ᵀ",
        "b^2 ← b^2 − η ∂L/∂b^2 = [ -0.7500 ]ᵀ",
        "Loss after the step: L = 0.0012 (before: 0.6931)",
    ]:
        assert expected in lines, expected
    k = lines.index("∂L/∂W^1 = δ^1 (a^0)ᵀ =")
    assert lines[k + 1:k + 3] == ["    [ -1.0000  -2.0000 ]", "    [  0.0000   0.0000 ]"]
    k = lines.index("W^1 ← W^1 − η ∂L/∂W^1 =")
    assert lines[k + 1:k + 3] == ["    [  1.0000   0.7500 ]", "    [ -1.0000   0.2500 ]"]
    k = lines.index("W^2 ← W^2 − η ∂L/∂W^2 =")
    assert lines[k + 1] == "    [ 2.1250  3.0000 ]"


def printed_gradients(text, sizes):
    """The dL/dW^l and dL/db^l that explain printed, read back from its text."""
    lines = text.splitlines()
    gW, gb = [], []
    for l in range(1, len(sizes)):
        k = lines.index("∂L/∂W^%d = δ^%d (a^%d)ᵀ =" % (l, l, l - 1))
        gW.append([[float(v) for v in lines[k + 1 + i].strip(" []").split()]
                   for i in range(sizes[l])])
        line = lines[lines.index(lines[k + 1 + sizes[l]])]
        assert line.startswith("∂L/∂b^%d = δ^%d = [" % (l, l))
        gb.append([float(v) for v in line.split("[")[1].split("]")[0].split()])
    return gW, gb


def test_printed_gradients_are_backprop_s():
    rng = seeded(31)
    for hidden, output, loss in [("tanh", "softmax", "cross_entropy"), ("relu", "identity", "mse"),
                                 ("leaky_relu", "sigmoid", "binary_cross_entropy"),
                                 ("sigmoid", "softmax", "mse")]:
        net, x, y = random_case(rng, hidden, 2, output, loss)
        gW, gb = printed_gradients(explain(net, x, y, 0.1, precision=12), net.sizes)
        bW, bb = net.backprop(x, y)
        assert close(gW, bW, PRINTED) and close(gb, bb, PRINTED), (hidden, output, loss)


def test_explain_does_not_change_the_network():
    net = net_2_2_1()
    explain(net, [1.0, 2.0], [1.0], 0.5)
    assert net.weights == net_2_2_1().weights and net.biases == net_2_2_1().biases


def test_markdown_has_latex_blocks_and_tables():
    text = explain(net_2_2_1(), [1.0, 2.0], [1.0], 0.5, format="markdown")
    assert r"$$z^{1} = W^{1} a^{0} + b^{1} = \begin{bmatrix} 0.5000 \\ -0.5000 \end{bmatrix}$$" in text
    assert r"$$\delta^{1} = \left((W^{2})^\top \delta^{2}\right) \odot \sigma'(z^{1})" in text
    assert "| layer l | neuron i | z_i | a_i | δ_i | b_i before | b_i after |" in text
    assert "| 1 | 1 | -0.5000 | 0.0000 | 0.0000 | 0.0000 | 0.0000 |" in text
    assert "| after the step | 0.0012 |" in text
    assert text.count("$$") % 2 == 0


def run(*args):
    return subprocess.run([sys.executable, "-m", "tinybackprop"] + list(args), cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)


def test_explain_command_defaults_and_options():
    out = run("explain")
    assert out.returncode == 0
    assert out.stdout.startswith("One SGD step of Network([2, 3, 2], activations=['sigmoid', 'sigmoid']")
    out = run("explain", "--sizes", "3,2", "--activations", "softmax", "--loss", "cross_entropy",
              "--x", "1,0,-1", "--y", "0,1", "--lr", "0.1", "--precision", "2", "--format", "markdown")
    assert out.returncode == 0 and "$$a^{0} = x = \\begin{bmatrix} 1.00 \\\\ 0.00 \\\\ -1.00" in out.stdout
    out = run("explain", "--x", "1")
    assert out.returncode == 2 and "x has 1 number, but layer 0 (the input) has 2 neurons" in out.stderr


def test_gradcheck_command_reports_error_and_costs():
    out = run("gradcheck", "--sizes", "4,5,3", "--activations", "tanh,softmax", "--loss", "cross_entropy")
    assert out.returncode == 0, out.stderr
    assert "43 parameters" in out.stdout  # 5*4 + 5 + 3*5 + 3
    assert "86 forward passes (2 per parameter)" in out.stdout
    error = float(out.stdout.split("largest relative error: ")[1].split()[0])
    assert error < 1e-6 and "backprop is right" in out.stdout


def test_explain_names_a_short_form_exactly_where_output_delta_uses_one():
    # explain writes delta^L out exactly where backprop.SHORT_FORMS has a short form (its
    # text is the entry's own), and each short form equals the general dL/da ⊙ σ'(z) (or J^T dL/da).
    from tinybackprop.core.activations import ACTIVATIONS, delta_from
    from tinybackprop.core.backprop import SHORT_FORMS
    from tinybackprop.core.losses import loss_gradient
    z, y = [0.3, -1.2, 0.7], [0.2, 0.5, 0.3]
    from tinybackprop.core.written import SHORT_FORM_FORMS
    for (activation, loss), short_form in SHORT_FORMS.items():
        a = ACTIVATIONS[activation]["sigma"](z)
        assert close(short_form(z, a, y), delta_from(activation, z, a, loss_gradient(loss, a, y)), 1e-12)
    from tinybackprop.core.checks import OUTPUTS_FOR_LOSS
    from tinybackprop.network import Network
    for loss in OUTPUTS_FOR_LOSS:
        for output in OUTPUTS_FOR_LOSS[loss]:
            net = Network([2, 2], activations=output, loss=loss, seed=1)
            text = explain(net, [0.5, -1.0], [1.0, 0.0], 0.1)
            if (output, loss) in SHORT_FORMS:
                written = SHORT_FORM_FORMS[(output, loss)][0].replace("L", "1")
                assert "σ' cancels against ∂L/∂a, so δ^1 = %s exactly" % written in text, (output, loss)
            else:
                assert "cancels" not in text, (output, loss)
