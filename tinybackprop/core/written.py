"""How the library writes the math out: the notation, kept apart from the math.

For each activation: sigma' as text and as LaTeX (for explain), sigma of one float
z as C (export --format c) and sigma, sigma' of one neuron as Python in z and a (the
generated step, tinybackprop.fast.unroll); None where softmax, which is not
element-wise, has no such form.  For each loss, L as text and LaTeX; for each of
backprop's short forms of delta^L, delta^L (L: the layer's number).

The math's registries (activations.ACTIVATIONS, losses.LOSSES, backprop.SHORT_FORMS)
do not import this module: a board that only trains does not hold these strings
in its heap.  tests/test_registry.py keeps the names here equal to theirs.

>>> ACTIVATION_FORMS["tanh"]["prime"][0]
'1 − a ⊙ a'
"""
from .activations import LEAKY_SLOPE

ACTIVATION_FORMS = {
    "sigmoid": {"prime": ("a ⊙ (1 − a)", r"a \odot (1 - a)"), "c": "1.0f / (1.0f + expf(-z))",
                "step": ("(1.0 / (1.0 + exp(-%(z)s)) if %(z)s >= 0.0 else exp(%(z)s) / (1.0 + exp(%(z)s)))",
                         "%(a)s * (1.0 - %(a)s)")},  # activations._sigmoid's two forms
    "tanh": {"prime": ("1 − a ⊙ a", r"1 - a \odot a"), "c": "tanhf(z)",
             "step": ("_tanh(%(z)s)", "(1.0 - %(a)s * %(a)s)")},
    "relu": {"prime": ("1 where z > 0, else 0", r"[z > 0]"), "c": "z > 0.0f ? z : 0.0f",
             "step": ("(%(z)s if %(z)s > 0.0 else 0.0)", "(1.0 if %(z)s > 0.0 else 0.0)")},
    "leaky_relu": {"prime": ("1 where z > 0, else %r" % LEAKY_SLOPE, r"[z > 0] + %r\,[z \le 0]" % LEAKY_SLOPE),
                   "c": "z > 0.0f ? z : %rf * z" % LEAKY_SLOPE,
                   "step": ("(%(z)s if %(z)s > 0.0 else LEAKY_SLOPE * %(z)s)",
                            "(1.0 if %(z)s > 0.0 else LEAKY_SLOPE)")},
    "identity": {"prime": ("1", "1"), "c": "z", "step": ("%(z)s", "1.0")},
    "softmax": {"prime": None, "c": None, "step": None},  # its Jacobian: activations.softmax_jacobian_times
}

LOSS_FORMS = {
    "mse": ("(1/n) Σ_i (a_i − y_i)²", r"\frac{1}{n}\sum_i (a_i - y_i)^2"),
    "binary_cross_entropy": ("−(1/n) Σ_i [y_i log a_i + (1 − y_i) log(1 − a_i)]",
                             r"-\frac{1}{n}\sum_i \left[y_i \log a_i + (1 - y_i)\log(1 - a_i)\right]"),
    "cross_entropy": ("−Σ_i y_i log a_i", r"-\sum_i y_i \log a_i"),
}

SHORT_FORM_FORMS = {  # delta^L of each (output activation, loss) pair in backprop.SHORT_FORMS
    ("sigmoid", "binary_cross_entropy"): ("(a^L − y) / n_L", r"\frac{a^{L} - y}{n_{L}}"),
    ("softmax", "cross_entropy"): ("a^L Σ_i y_i − y", r"a^{L} \textstyle\sum_i y_i - y"),
}
