"""tinybackprop: backpropagation in pure Python, every arithmetic step in plain sight.

>>> import tinybackprop as tb
>>> net = tb.Network([2, 4, 1], activations=["tanh", "sigmoid"], loss="binary_cross_entropy")
>>> len(net.predict([0.0, 1.0]))
1

The package's folders are its layers: core/ (the math), training/, fast/,
files/, data/, seeing/, export/ and front/; README.md's Layout says what each
holds, and docs/math.md the math each core module mirrors.
"""
import sys

from .version import __version__
from .core.errors import TinyBackpropError
from .network import Network

__all__ = ["Network", "Classifier", "Regressor", "load", "gradient_check", "explain",
           "TinyBackpropError", "__version__"]


def gradient_check(net, x, y):
    """The largest relative error between backprop and central differences for (x, y):
    ``tinybackprop.training.gradcheck`` (imported when first called: a board that only
    trains need not freeze it)."""
    from .training.gradcheck import gradient_check as check
    return check(net, x, y)


def load(path):
    """Read a model file (see ``tinybackprop.files.modelfile``), every field checked.

    A model trained on a table (by ``train`` or ``fit``: it has classes or a target
    scaling) comes back as a ``Classifier`` or ``Regressor``, which takes raw rows
    and whose ``.network`` is its Network; any other, as ``Network.save`` wrote it,
    as the Network.
    """
    try:
        from .data.model import load as load_model
        from .front.estimators import from_model
    except ImportError:  # a board with the core modules only
        return load_core(path)
    model = load_model(path)
    if model.classes is None and model.target_scaling is None:
        return model.network
    return from_model(model)


def load_core(path):
    """load on a board without the data layer: a Network, unless the file is a table's model."""
    from .files.modelfile import from_data, read
    data = read(path)
    if isinstance(data, dict) and (data.get("classes") is not None or data.get("target_scaling") is not None):
        raise TinyBackpropError("%s: a model for raw rows needs tinybackprop's data/ and front/ "
                                "folders; tinybackprop.network.load reads its Network alone" % (path,))
    return from_data(data, Network, path)


if sys.implementation.name != "micropython":  # a board's heap: import them from tinybackprop.front.estimators
    from .front.estimators import Classifier, Regressor
else:  # a board's heap: the training loop now, while the heap is whole (imported at the first
    # train, after the data had cut the heap into small pieces, it found no 184 bytes in a row)
    from .training import epochs  # noqa: F401


def explain(net, x, y, lr, format="text", precision=4):
    """One SGD step of net on (x, y), every number shown: see ``tinybackprop.seeing.trace``.

    The text, as a str; in a notebook it shows as a picture of the step
    (``tinybackprop.seeing.picture``), or as Markdown.
    """
    from .seeing.trace import explain as write_out  # imported when used: it is large for a board's heap
    text = write_out(net, x, y, lr, format=format, precision=precision)
    if sys.implementation.name == "micropython":
        return text
    from .seeing.picture import Explanation
    return Explanation(text, net, x, y, lr, precision)
