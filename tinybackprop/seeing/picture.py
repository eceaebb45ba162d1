"""A picture of a network and of one SGD step: SVG, and one self-contained HTML page.

``step_svg(net, x, y, lr, stage)`` draws the network as columns of neurons joined
by edges, one edge per weight (blue for a positive number, red for a negative one,
wider for a larger one), with the numbers of one stage of the step on it:

    forward   each neuron's z and a; edges: the weights W
    backward  each neuron's delta; edges: dL/dW = delta a^T
    update    each neuron's bias, old -> new; edges: the new weights

Networks with a layer wider than SMALL neurons are drawn as heat maps of each W^l
(and dL/dW^l, and the new W^l) instead.  ``step_page`` puts the three stages in one
HTML page with no outside file, script or font: buttons and the arrow keys move
through the stages, and pointing at (or clicking) a neuron writes its equation with
its numbers beside the picture.  Without JavaScript the page shows all three stages
one after the other.  Every number is ``trace.trace``'s, the library's own, written
by ``trace.Writer``: the text form of ``explain`` shows the same digits.
"""
import json

from .plot import escape
from ..core.backprop import SHORT_FORMS
from ..core.written import ACTIVATION_FORMS, SHORT_FORM_FORMS
from .trace import Writer, explain, trace

SMALL = 12  # the widest layer drawn neuron by neuron
STAGES = ("forward", "backward", "update")
TITLES = {"forward": "1. Forward pass: z^l = W^l a^(l-1) + b^l, a^l = σ(z^l)",
          "backward": "2. Backward pass: δ^L, then δ^l = ((W^(l+1))ᵀ δ^(l+1)) ⊙ σ'(z^l); ∂L/∂W^l = δ^l (a^(l-1))ᵀ",
          "update": "3. Update: W ← W − η ∂L/∂W, b ← b − η ∂L/∂b"}
BLUE, RED = (31, 119, 180), (214, 39, 40)


def shade(v, largest):
    """An rgb() colour for v: blue for v >= 0, red below, paler the nearer |v| is to 0."""
    r, g, b = BLUE if v >= 0 else RED
    f = min(1.0, abs(v) / largest) if largest > 0 else 0.0
    mix = lambda c: int(round(255 - (255 - c) * (0.15 + 0.85 * f)))
    return "rgb(%d,%d,%d)" % (mix(r), mix(g), mix(b))


def largest(matrices):
    return max([abs(v) for M in matrices if M is not None for row in M for v in row] + [0.0])


def edge_values(net, t, stage):
    """The matrix shown on the edges of layer l (index l; 0 is None) in this stage."""
    if t is None or stage == "forward":
        return [None] + net.weights
    return t["gW"] if stage == "backward" else t["W_after"]


def is_small(net):
    return max(net.sizes) <= SMALL


# -- The equations of one neuron, with its numbers ---------------------------------------

def equations(net, t, precision):
    """{stage: {(l, i): text}}: each neuron's equations in each stage, numbers put in."""
    n = Writer(False, precision).number
    L = len(net.sizes) - 1
    eq = {stage: {} for stage in STAGES}
    for j in range(net.sizes[0]):
        eq["forward"][(0, j)] = "a^0_%d = x_%d = %s" % (j, j, n(t["a"][0][j]))
        eq["backward"][(0, j)] = "layer 0 is the input: it has no δ"
        eq["update"][(0, j)] = "layer 0 is the input: nothing to update"
    for l in range(1, L + 1):
        W, b, name = net.weights[l - 1], net.biases[l - 1], net.activations[l - 1]
        for i in range(net.sizes[l]):
            terms = " + ".join("%s×%s" % (n(W[i][j]), n(t["a"][l - 1][j])) for j in range(net.sizes[l - 1]))
            eq["forward"][(l, i)] = (
                "z^%d_%d = Σ_j W^%d_%d,j a^%d_j + b^%d_%d\n     = %s + %s\n     = %s\n"
                "a^%d_%d = %s(z^%d_%d) = %s" % (l, i, l, i, l - 1, l, i, terms, n(b[i]), n(t["z"][l][i]),
                                                l, i, name, l, i, n(t["a"][l][i])))
            eq["backward"][(l, i)] = delta_text(net, t, l, i, n) + "\n" + "\n".join(
                "∂L/∂W^%d_%d,%d = δ^%d_%d a^%d_%d = %s×%s = %s" % (
                    l, i, j, l, i, l - 1, j, n(t["delta"][l][i]), n(t["a"][l - 1][j]), n(t["gW"][l][i][j]))
                for j in range(net.sizes[l - 1]))
            eq["update"][(l, i)] = "b^%d_%d ← b − η δ = %s − %s×%s = %s\n" % (
                l, i, n(b[i]), n(t["lr"]), n(t["delta"][l][i]), n(t["b_after"][l][i])) + "\n".join(
                "W^%d_%d,%d ← W − η ∂L/∂W = %s − %s×%s = %s" % (
                    l, i, j, n(W[i][j]), n(t["lr"]), n(t["gW"][l][i][j]), n(t["W_after"][l][i][j]))
                for j in range(net.sizes[l - 1]))
    return eq


def delta_text(net, t, l, i, n):
    """delta^l_i written out: from dL/da (the output layer) or from the layer above."""
    L = len(net.sizes) - 1
    name = net.activations[l - 1]
    if l == L and (name, net.loss) in SHORT_FORMS:
        return "δ^%d_%d = (%s)_%d = %s  (%s with %s)" % (
            l, i, SHORT_FORM_FORMS[(name, net.loss)][0].replace("L", str(L)), i, n(t["delta"][l][i]), name, net.loss)
    g = t["dL_da"][i] if l == L else t["back"][l][i]
    g_text = "∂L/∂a^%d_%d" % (l, i) if l == L else "Σ_k W^%d_k,%d δ^%d_k" % (l + 1, i, l + 1)
    if ACTIVATION_FORMS[name]["prime"] is None:  # softmax: J^T g, not element-wise
        return "δ^%d_%d = (Jᵀ ∂L/∂a^%d)_%d = %s  (softmax: J = diag(a) − a aᵀ)" % (l, i, l, i, n(t["delta"][l][i]))
    return "δ^%d_%d = %s × σ'(z^%d_%d) = %s × %s = %s" % (
        l, i, g_text, l, i, n(g), n(t["sigma_prime"][l][i]), n(t["delta"][l][i]))


# -- SVG -----------------------------------------------------------------------------

def positions(sizes, width, height):
    """(x, y) of each neuron, layer by layer: columns spread over the width."""
    tallest = max(sizes)
    out = []
    for l in range(len(sizes)):
        x = 70 + l * (width - 140) / (len(sizes) - 1)
        top = (height - (sizes[l] - 1) * (height - 80) / max(tallest - 1, 1)) / 2
        step = (height - 80) / max(tallest - 1, 1)
        out.append([(x, top + i * step) for i in range(sizes[l])])
    return out


def neuron_label(net, t, stage, l, i, n):
    """The few numbers written beside neuron i of layer l."""
    if t is None:
        return "" if l == 0 else "b %s" % n(net.biases[l - 1][i])
    if stage == "forward":
        return "x %s" % n(t["a"][0][i]) if l == 0 else "z %s  a %s" % (n(t["z"][l][i]), n(t["a"][l][i]))
    if l == 0:
        return ""
    if stage == "backward":
        return "δ %s" % n(t["delta"][l][i])
    return "b %s → %s" % (n(net.biases[l - 1][i]), n(t["b_after"][l][i]))


def network_svg(net, t=None, stage="forward", precision=4, eq=None):
    """The SVG element of net (with t, a trace, the numbers of stage)."""
    n = Writer(False, precision).number
    if not is_small(net):
        return heat_maps_svg(net, t, stage, n)
    width, height = 180 * len(net.sizes) + 120, 70 * max(net.sizes) + 60
    where = positions(net.sizes, width, height)
    values = edge_values(net, t, stage)
    top = largest(values)
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" class="network" data-stage="%s" width="%d" '
             'height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">'
             % (stage, width, height, width, height)]
    for l in range(1, len(net.sizes)):
        for i in range(net.sizes[l]):
            for j in range(net.sizes[l - 1]):
                v = values[l][i][j]
                (x1, y1), (x2, y2) = where[l - 1][j], where[l][i]
                tip = "W^%d_%d,%d = %s" % (l, i, j, n(net.weights[l - 1][i][j]))
                if t is not None:
                    tip += "; ∂L/∂W = %s; new %s" % (n(t["gW"][l][i][j]), n(t["W_after"][l][i][j]))
                parts.append('<line class="edge" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" '
                             'stroke-width="%.2f"><title>%s</title></line>'
                             % (x1, y1, x2, y2, shade(v, top), 0.5 + 4.5 * abs(v) / top if top else 1.0,
                                escape(tip)))
    for l in range(len(net.sizes)):
        layer = "input" if l == 0 else net.activations[l - 1]
        parts.append('<text x="%.1f" y="16" text-anchor="middle" font-weight="bold">layer %d (%s)</text>'
                     % (where[l][0][0], l, escape(layer)))
        for i in range(net.sizes[l]):
            x, y = where[l][i]
            text = eq[stage][(l, i)] if eq is not None else ""
            parts.append('<g class="neuron" tabindex="0" data-l="%d" data-i="%d" data-equation="%s">'
                         '<circle cx="%.1f" cy="%.1f" r="14" fill="white" stroke="#333" stroke-width="1.5"/>'
                         '<text x="%.1f" y="%.1f" text-anchor="middle">%d</text>'
                         '<text x="%.1f" y="%.1f" text-anchor="middle" fill="#222">%s</text>'
                         '<title>%s</title></g>'
                         % (l, i, escape(text), x, y, x, y + 4, i, x, y + 28,
                            escape(neuron_label(net, t, stage, l, i, n)), escape(text or "neuron %d" % i)))
    parts.append("</svg>")
    return "\n".join(parts)


def heat_maps_svg(net, t, stage, n):
    """For a wide network: one heat map per layer of the stage's matrix (W, dL/dW, new W)."""
    values = edge_values(net, t, stage)
    name = {"forward": "W", "backward": "∂L/∂W", "update": "new W"}[stage if t is not None else "forward"]
    cell = max(2, min(12, 360 // max(max(net.sizes[1:]), max(net.sizes[:-1]))))
    x, parts, height = 10, [], 0
    for l in range(1, len(net.sizes)):
        M, top = values[l], largest([values[l]])
        parts.append('<text x="%d" y="14" font-weight="bold">%s^%d (%d × %d)</text>'
                     % (x, escape(name), l, len(M), len(M[0])))
        for i in range(len(M)):
            for j in range(len(M[0])):
                parts.append('<rect class="cell" x="%d" y="%d" width="%d" height="%d" fill="%s">'
                             '<title>%s^%d_%d,%d = %s</title></rect>'
                             % (x + j * cell, 22 + i * cell, cell, cell, shade(M[i][j], top), escape(name),
                                l, i, j, n(M[i][j])))
        x += len(M[0]) * cell + 30
        height = max(height, 22 + len(M) * cell + 10)
    return ('<svg xmlns="http://www.w3.org/2000/svg" class="network heat" data-stage="%s" width="%d" '
            'height="%d" font-family="sans-serif" font-size="11">\n%s\n</svg>'
            % (stage, x, height, "\n".join(parts)))


def step_svg(net, x, y, lr, stage="forward", precision=4):
    """One stage of the SGD step of net on (x, y) as a standalone SVG document."""
    if stage not in STAGES:
        raise ValueError("stage must be one of %s, got %r" % (", ".join(STAGES), stage))
    t = trace(net, x, y, lr)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + network_svg(net, t, stage, precision,
                                                                   equations(net, t, precision) if is_small(net) else None)


def all_stages_svg(net, x, y, lr, precision=4):
    """The three stages, one above the other, as one SVG document (for papers and slides)."""
    t = trace(net, x, y, lr)
    eq = equations(net, t, precision) if is_small(net) else None
    pictures = [network_svg(net, t, stage, precision, eq) for stage in STAGES]
    heights = [int(float(p.split('height="', 1)[1].split('"', 1)[0])) for p in pictures]
    widths = [int(float(p.split('width="', 1)[1].split('"', 1)[0])) for p in pictures]
    parts, top = [], 0
    for stage, picture, h in zip(STAGES, pictures, heights):
        parts.append('<text x="10" y="%d" font-family="sans-serif" font-size="14" font-weight="bold">%s</text>'
                     % (top + 18, escape(TITLES[stage])))
        parts.append('<g transform="translate(0 %d)">%s</g>' % (top + 26, picture))
        top += h + 40
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="%d" '
            'height="%d">\n<rect width="100%%" height="100%%" fill="white"/>\n%s\n</svg>\n'
            % (max(widths + [700]), top, "\n".join(parts)))


# -- The page ---------------------------------------------------------------------------

def asset(name):
    """The text of name, a file of this folder that the page includes (page.css, page.js)."""
    with open(HERE + "/" + name, encoding="utf-8") as f:
        return f.read()


HERE = __file__.replace("\\", "/").rsplit("/", 1)[0]  # the folder of page.css and page.js


def step_page(net, x, y, lr, precision=4):
    """One self-contained HTML page of the SGD step of net on (x, y) (see the module's docstring)."""
    t = trace(net, x, y, lr)
    eq = equations(net, t, precision) if is_small(net) else None
    n = Writer(False, precision).number
    sections = []
    for stage in STAGES:
        hint = ("Point at or click a neuron for its equation with its numbers; ← → or the buttons move "
                "through the stages." if eq is not None else
                "A layer is wider than %d neurons: each matrix is a heat map (point at a cell for its "
                "number)." % SMALL)
        sections.append('<section class="stage" id="%s"><div><h2>%s</h2>%s</div>'
                        '<div class="panel" aria-live="polite">%s</div></section>'
                        % (stage, escape(TITLES[stage]), network_svg(net, t, stage, precision, eq),
                           escape(hint)))
    buttons = "".join('<button id="button-%s" aria-pressed="false">%d. %s</button>'
                      % (stage, k + 1, stage[:1].upper() + stage[1:]) for k, stage in enumerate(STAGES))
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<title>One SGD step of %s</title>\n<style>%s</style>\n</head>\n<body>\n"
            "<h1>One SGD step of %s, η = %s</h1>\n<p>x = %s, y = %s; loss %s before the step, %s after.</p>\n"
            "<nav>%s</nav>\n%s\n<pre id=\"selftest\" hidden></pre>\n"
            "<script type=\"application/json\" id=\"numbers\">%s</script>\n<script>%s</script>\n</body>\n</html>\n"
            % (escape(repr(net)), asset("page.css"), escape(repr(net)), escape(str(lr)),
               escape("[" + ", ".join(n(v) for v in x) + "]"), escape("[" + ", ".join(n(v) for v in y) + "]"),
               n(t["loss"]), n(t["loss_after"]), buttons, "\n".join(sections),
               json.dumps(numbers_of(t)).replace("</", "<\\/"), asset("page.js")))


def numbers_of(t):
    """The trace's numbers, as JSON for the page (for anyone who reads its source)."""
    return {key: t[key] for key in ("a", "z", "delta", "gW", "gb", "W_after", "b_after", "loss", "loss_after")}


class Explanation(str):
    """What ``tinybackprop.explain`` returns: the text (a str, to print), which a notebook
    shows as the page (``_repr_html_``) or as Markdown (``_repr_markdown_``)."""

    def __new__(cls, text, net, x, y, lr, precision):
        self = str.__new__(cls, text)
        self.step = (net, x, y, lr, precision)
        return self

    def _repr_html_(self):
        net, x, y, lr, precision = self.step
        page = step_page(net, x, y, lr, precision)
        return "<style>%s</style>\n" % asset("page.css") + page.split("<body>\n", 1)[1].split("</body>", 1)[0]

    def _repr_markdown_(self):
        net, x, y, lr, precision = self.step
        return explain(net, x, y, lr, format="markdown", precision=precision)
