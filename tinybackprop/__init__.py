"""tinybackprop: backpropagation in pure Python, every arithmetic step in plain sight.

>>> import tinybackprop as tb
>>> net = tb.Network([2, 4, 1], activations=["tanh", "sigmoid"], loss="binary_cross_entropy")
>>> len(net.predict([0.0, 1.0]))
1

See README.md for the tour, and docs/math.md for the math each module mirrors.
"""
__version__ = "0.1.0"  # first: the command line reads it

from .errors import TinyBackpropError
from .gradcheck import gradient_check
from .network import Network

__all__ = ["Network", "Classifier", "Regressor", "load", "gradient_check", "explain",
           "TinyBackpropError", "__version__"]


def load(path):
    """Read a model file (see ``tinybackprop.modelfile``).

    A model trained on a table (by ``train`` or ``fit``: it has classes or a target
    scaling) comes back as a ``Classifier`` or ``Regressor``, which takes raw rows
    and whose ``.network`` is its Network; any other, as ``Network.save`` wrote it,
    as the Network.
    """
    from .modelfile import load as load_network
    net = load_network(path)
    if net.classes is None and net.target_scaling is None:
        return net
    try:
        from .estimators import from_network
    except ImportError:  # a board with the core modules only
        raise TinyBackpropError("%s: a model for raw rows, which needs tinybackprop.estimators; "
                                "tinybackprop.modelfile.load reads its Network alone" % (path,))
    return from_network(net)


import sys
if sys.implementation.name != "micropython":  # a board's heap: import them from tinybackprop.estimators
    from .estimators import Classifier, Regressor


def explain(net, x, y, lr, format="text", precision=4):
    """One SGD step of net on (x, y), every number shown: see ``tinybackprop.trace``.

    The text, as a str; in a notebook it shows as a picture of the step
    (``tinybackprop.picture``), or as Markdown.
    """
    from .trace import explain as write_out  # imported when used: it is large for a board's heap
    text = write_out(net, x, y, lr, format=format, precision=precision)
    if sys.implementation.name == "micropython":
        return text
    from .picture import Explanation
    return Explanation(text, net, x, y, lr, precision)
