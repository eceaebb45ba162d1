"""One SGD step written out in the article's notation, with every number shown.

``explain(net, x, y, lr)`` returns the text; ``trace`` gathers the numbers.  They
are the ones the library computes (``backprop.feedforward``, ``deltas``,
``backprop`` and ``step``, the reference), never a second derivation, so the trace and ``backprop`` cannot
disagree.  The network itself is not changed: the step is taken on a copy.

>>> import tinybackprop as tb
>>> net = tb.Network([1, 1], activations="identity", weights=[[[2.0]]], biases=[[0.0]])
>>> print(explain(net, [1.0], [1.0], 0.25, precision=2).splitlines()[-1])
Loss after the step: L = 0.00 (before: 1.00)
"""
from ..core.activations import ACTIVATIONS
from ..core.backprop import SGD, SHORT_FORMS, deltas, feedforward, step
from ..core.checks import check_learning_rate, check_sample, parameter_count
from ..core.losses import loss_gradient, loss_value
from ..core.matrix import copy_matrix, transpose_times
from ..core.errors import TinyBackpropError
from ..core.network import Network
from ..core.written import ACTIVATION_FORMS, LOSS_FORMS, SHORT_FORM_FORMS

MAX_PRECISION = 17  # digits after the point: a float has at most 17 significant ones
MAX_SHOWN_PARAMETERS = 20000  # weights and biases written out (about 420 bytes each on a page)


def check_shown(net):
    """Refuse, before any work, a step too large to write out: every weight is written
    several times, so a [1000, 1000, 2] network (a 2 MB model file) would make a page of
    about 420 MB.  ``trace`` calls it; every text and picture of a step starts there."""
    n = parameter_count(net.sizes)
    if n > MAX_SHOWN_PARAMETERS:
        raise TinyBackpropError("the network %s has %d weights and biases: a step is written out for at most "
                                "%d; explain a smaller network" % (net.sizes, n, MAX_SHOWN_PARAMETERS))


def trace(net, x, y, lr):
    """Every number of one SGD step on (x, y), as computed by the library.

    A dict: a, z (a[0] = x), loss, dL_da (dL/da^L), sigma_prime (sigma'(z^l),
    None for softmax), back (W^(l+1)^T delta^(l+1)), delta, gW, gb, the
    weights and biases after the step, and loss_after.
    """
    check_sample(net, x, y, "")
    check_learning_rate(lr)
    check_shown(net)
    L = len(net.sizes) - 1
    z, a = feedforward(net, x)
    delta = deltas(net, z, a, y)
    sigma_prime, back = [None] * (L + 1), [None] * (L + 1)
    for l in range(1, L + 1):
        name = net.activations[l - 1]
        if name != "softmax":
            sigma_prime[l] = ACTIVATIONS[name]["prime"](z[l], a[l])
        if l < L:
            back[l] = transpose_times(net.weights[l], delta[l + 1])  # (W^(l+1))^T delta^(l+1)
    gW, gb = net.backprop(x, y)  # the gradients exactly as training uses them
    after = Network(net.sizes, net.activations, net.loss,
                    weights=[copy_matrix(W) for W in net.weights], biases=[list(b) for b in net.biases])
    step(after, [(x, y)], SGD(lr))
    return {"net": net, "y": y, "lr": lr, "a": a, "z": z,
            "loss": loss_value(net.loss, a[L], y), "dL_da": loss_gradient(net.loss, a[L], y),
            "sigma_prime": sigma_prime, "back": back, "delta": delta,
            "gW": [None] + gW, "gb": [None] + gb,
            "W_after": [None] + after.weights, "b_after": [None] + after.biases,
            "loss_after": loss_value(net.loss, feedforward(after, x)[1][L], y)}


def explain(net, x, y, lr, format="text", precision=4):
    """One SGD step of net on (x, y) with learning rate lr, written out layer by layer.

    format "text" (aligned, for a terminal) or "markdown" (LaTeX $$ blocks and
    tables for GitHub); numbers with precision digits after the point.
    """
    if format not in ("text", "markdown"):
        raise ValueError("format must be 'text' or 'markdown', got %r" % (format,))
    out = Writer(format == "markdown", precision)
    t = trace(net, x, y, lr)
    L = len(net.sizes) - 1
    out.title("One SGD step of %r, learning rate η = %s" % (net, lr))
    out.heading("Forward pass: z^l = W^l a^(l-1) + b^l, a^l = σ(z^l)")
    out.equation("a^0 = x", "a^{0} = x", t["a"][0])
    for l in range(1, L + 1):
        name = net.activations[l - 1]
        out.text("Layer %d (%d neurons, %s):" % (l, net.sizes[l], name))
        out.equation("W^%d" % l, "W^{%d}" % l, net.weights[l - 1])
        out.equation("b^%d" % l, "b^{%d}" % l, net.biases[l - 1])
        out.equation("z^%d = W^%d a^%d + b^%d" % (l, l, l - 1, l),
                     "z^{%d} = W^{%d} a^{%d} + b^{%d}" % (l, l, l - 1, l), t["z"][l])
        out.equation("a^%d = %s(z^%d)" % (l, name, l), r"a^{%d} = \mathrm{%s}(z^{%d})"
                     % (l, name.replace("_", r"\_"), l), t["a"][l])
    out.heading("The loss")
    out.equation("y", "y", t["y"])
    text, latex = LOSS_FORMS[net.loss]
    out.equation("L = %s = %s" % (net.loss, text), "L = " + latex, t["loss"])
    out.heading("Backward pass: the output error, then δ^l = ((W^(l+1))ᵀ δ^(l+1)) ⊙ σ'(z^l)")
    output = net.activations[L - 1]
    out.equation("∂L/∂a^%d" % L, r"\frac{\partial L}{\partial a^{%d}}" % L, t["dL_da"])
    if (output, net.loss) in SHORT_FORMS:
        text, latex = [form.replace("L", str(L)) for form in SHORT_FORM_FORMS[(output, net.loss)]]
        out.text("%s with %s: σ' cancels against ∂L/∂a, so δ^%d = %s exactly." % (output, net.loss, L, text))
        out.equation("δ^%d = %s" % (L, text), r"\delta^{%d} = %s" % (L, latex), t["delta"][L])
    else:
        _delta_factors(out, t, L, "∂L/∂a^%d" % L, r"\frac{\partial L}{\partial a^{%d}}" % L, output)
    for l in range(L - 1, 0, -1):
        out.equation("(W^%d)ᵀ δ^%d" % (l + 1, l + 1), r"(W^{%d})^\top \delta^{%d}" % (l + 1, l + 1),
                     t["back"][l])
        _delta_factors(out, t, l, "((W^%d)ᵀ δ^%d)" % (l + 1, l + 1),
                       r"\left((W^{%d})^\top \delta^{%d}\right)" % (l + 1, l + 1), net.activations[l - 1])
    out.heading("Gradients: ∂L/∂W^l = δ^l (a^(l-1))ᵀ, ∂L/∂b^l = δ^l")
    for l in range(1, L + 1):
        out.equation("∂L/∂W^%d = δ^%d (a^%d)ᵀ" % (l, l, l - 1),
                     r"\frac{\partial L}{\partial W^{%d}} = \delta^{%d} (a^{%d})^\top" % (l, l, l - 1),
                     t["gW"][l])
        out.equation("∂L/∂b^%d = δ^%d" % (l, l), r"\frac{\partial L}{\partial b^{%d}} = \delta^{%d}"
                     % (l, l), t["gb"][l])
    out.heading("Update: W ← W − η ∂L/∂W, b ← b − η ∂L/∂b, η = %s" % lr)
    for l in range(1, L + 1):
        out.equation("W^%d ← W^%d − η ∂L/∂W^%d" % (l, l, l),
                     r"W^{%d} \leftarrow W^{%d} - \eta \frac{\partial L}{\partial W^{%d}}" % (l, l, l),
                     t["W_after"][l])
        out.equation("b^%d ← b^%d − η ∂L/∂b^%d" % (l, l, l),
                     r"b^{%d} \leftarrow b^{%d} - \eta \frac{\partial L}{\partial b^{%d}}" % (l, l, l),
                     t["b_after"][l])
    out.heading("Neuron by neuron")
    rows = []
    for l in range(1, L + 1):
        for i in range(net.sizes[l]):
            rows.append(["%d" % l, "%d" % i, t["z"][l][i], t["a"][l][i], t["delta"][l][i],
                         net.biases[l - 1][i], t["b_after"][l][i]])
    out.table(["layer l", "neuron i", "z_i", "a_i", "δ_i", "b_i before", "b_i after"], rows)
    out.summary(t["loss"], t["loss_after"])
    return out.result()


def _delta_factors(out, t, l, g_text, g_latex, name):
    """delta^l = g ⊙ sigma'(z^l), with sigma'(z^l) shown first; for softmax, J^T g."""
    if ACTIVATION_FORMS[name]["prime"] is None:  # softmax: not element-wise
        out.text("softmax is not element-wise: δ^%d = Jᵀ %s with J = diag(a^%d) − a^%d (a^%d)ᵀ."
                 % (l, g_text, l, l, l))
        out.equation("δ^%d = Jᵀ %s" % (l, g_text), r"\delta^{%d} = J^\top %s" % (l, g_latex), t["delta"][l])
        return
    text, latex = ACTIVATION_FORMS[name]["prime"]
    out.equation("σ'(z^%d) = %s" % (l, text), r"\sigma'(z^{%d}) = %s" % (l, latex), t["sigma_prime"][l])
    out.equation("δ^%d = %s ⊙ σ'(z^%d)" % (l, g_text, l),
                 r"\delta^{%d} = %s \odot \sigma'(z^{%d})" % (l, g_latex, l), t["delta"][l])


class Writer:
    """Collects the lines of the text or Markdown rendering."""

    def __init__(self, markdown, precision):
        if not isinstance(precision, int) or isinstance(precision, bool) or not 0 <= precision <= MAX_PRECISION:
            raise TinyBackpropError("precision is %r: give a whole number of digits after the point, 0 to %d "
                                    "(a float has no more)" % (precision, MAX_PRECISION))
        self.markdown = markdown
        self.precision = precision
        self.lines = []

    def number(self, v):
        text = "%.*f" % (self.precision, v)
        if text.startswith("-") and text.strip("-0.") == "":
            return text[1:]  # -0.0 (e.g. -1.5 * 0.0) or a tiny negative: shown as 0
        return text

    def title(self, text):
        self.lines += ["# " + text, ""] if self.markdown else [text]

    def heading(self, text):
        self.lines += ["## " + text, ""] if self.markdown else ["", "-- " + text]

    def text(self, text):
        self.lines += [text, ""] if self.markdown else ["", text]

    def equation(self, text, latex, value):
        """name = value, for a number, a vector (shown as a column) or a matrix."""
        if isinstance(value, (int, float)):
            rows = [[value]]
        elif isinstance(value[0], (int, float)):
            rows = [[v] for v in value]  # a column vector
        else:
            rows = value
        cells = [[self.number(v) for v in row] for row in rows]
        if self.markdown:
            body = r" \\ ".join(" & ".join(row) for row in cells)
            shown = cells[0][0] if isinstance(value, (int, float)) else \
                r"\begin{bmatrix} %s \end{bmatrix}" % body
            self.lines += ["$$%s = %s$$" % (latex, shown), ""]
            return
        if isinstance(value, (int, float)):
            self.lines.append("%s = %s" % (text, cells[0][0]))
            return
        if rows is not value:  # a column vector, written as a transposed row to save lines
            self.lines.append("%s = [ %s ]ᵀ" % (text, "  ".join(row[0] for row in cells)))
            return
        width = max(len(c) for row in cells for c in row)
        self.lines.append("%s =" % text)
        for row in cells:
            self.lines.append("    [ " + "  ".join("%*s" % (width, c) for c in row) + " ]")

    def table(self, header, rows):
        """A table; numbers in rows are formatted, strings kept."""
        cells = [header] + [[c if isinstance(c, str) else self.number(c) for c in row] for row in rows]
        if self.markdown:
            self.lines.append("| " + " | ".join(header) + " |")
            self.lines.append("|" + "---|" * len(header))
            self.lines += ["| " + " | ".join(row) + " |" for row in cells[1:]]
            self.lines.append("")
            return
        widths = [max(len(row[k]) for row in cells) for k in range(len(header))]
        for row in cells:
            self.lines.append("  ".join("%*s" % (widths[k], row[k]) for k in range(len(row))))

    def summary(self, before, after):
        if self.markdown:
            self.lines += ["## The loss, before and after", "",
                           "| | L |", "|---|---|",
                           "| before the step | %s |" % self.number(before),
                           "| after the step | %s |" % self.number(after), ""]
        else:
            self.lines.append("")
        self.lines.append("Loss after the step: L = %s (before: %s)"
                          % (self.number(after), self.number(before)))

    def result(self):
        return "\n".join(self.lines)
