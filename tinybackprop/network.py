"""The Network you call: the core's math with training, model files and pictures.

``tinybackprop.core.network.Network`` is the math alone (sizes, activations,
loss, weights, biases; forward, predict, backprop, evaluate).  This module adds
what the layers around the core do with it, each by one call into its layer:

    net.train(samples, ...)     tinybackprop.training.epochs.train_network
    net.save(path)              tinybackprop.files.modelfile.save
    load(path)                  tinybackprop.files.modelfile.read and from_data
    net._repr_svg_()            tinybackprop.seeing.picture.network_svg (notebooks)

The layers depend on the core and never the other way round: nothing in the
core imports this module.  Each layer is imported when first used, so that
``import tinybackprop`` on a board costs the core's heap alone.
"""
from .core.network import Network as Math


class Network(Math):
    """The core's Network (see tinybackprop.core.network for its arguments), which can
    also train and save itself.  A model for a table's raw rows is a
    ``tinybackprop.data.model.Model``, which has a Network and its preprocessing."""

    def train(self, samples, **settings):
        """Stochastic gradient descent on samples, a list of (x, y) pairs; returns the history.

        The settings (epochs=10, lr=0.1, batch_size=1, rule="sgd", validation=None,
        history="all" ("last" on MicroPython), fast=True, ...) are ``tinybackprop.training.epochs.train_network``'s,
        which says what each does; ``tinybackprop.training.defaults`` defines them once.
        """
        from .training.epochs import train_network
        return train_network(self, samples, **settings)

    def save(self, path):
        """Write the model to path as JSON, atomically; see ``tinybackprop.files.modelfile``."""
        from .files.modelfile import save
        save(self, path)

    def _repr_svg_(self):
        """The network drawn as SVG, for notebooks: edges coloured by the weights."""
        from .seeing.picture import network_svg  # imported when used: not for a board's heap
        return network_svg(self)


def load(path):
    """The Network a model file holds, its fields checked (``tinybackprop.files.modelfile``).

    ``tinybackprop.load`` gives a model trained on a table back as an estimator;
    this always gives the Network alone, without the preprocessing (on a board,
    where the data layer is not frozen in, it is the one to use).
    """
    from .files.modelfile import from_data, read
    return from_data(read(path), Network, path)


def from_json(text, path="<model>"):
    """The Network a model file's text describes, after checking its fields."""
    from .files.modelfile import from_data, parse
    return from_data(parse(text, path), Network, path)
