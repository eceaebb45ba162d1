"""tinybackprop: backpropagation in pure Python, every arithmetic step in plain sight.

>>> import tinybackprop as tb
>>> net = tb.Network([2, 4, 1], activations=["tanh", "sigmoid"], loss="binary_cross_entropy")
>>> len(net.predict([0.0, 1.0]))
1

See README.md for the tour, and docs/math.md for the math each module mirrors.
"""
from .errors import TinyBackpropError
from .gradcheck import gradient_check
from .modelfile import load
from .network import Network

__version__ = "0.1.0"
__all__ = ["Network", "load", "gradient_check", "explain", "TinyBackpropError", "__version__"]


def explain(net, x, y, lr, format="text", precision=4):
    """One SGD step of net on (x, y), every number shown: see ``tinybackprop.trace``."""
    from .trace import explain as write_out  # imported when used: it is large for a board's heap
    return write_out(net, x, y, lr, format=format, precision=precision)
