"""A model for a table: a Network and what turns a raw row into its x, a^L into an answer.

The Network (``tinybackprop.core``) is the math alone: it maps x to a^L.  A table's
row is raw values, ``["2.5", "red", ""]``; a ``Model`` *has* a Network and the
preprocessing fitted on the training rows (``tinybackprop.data.columns``):

    columns         how each raw column becomes inputs (a number as it is, a category
                    one-hot, a missing value filled in), or None: every input a number
    feature_names   the name of each input (a category's inputs are "column=value")
    scaling         {"mean": [n_0], "std": [n_0]}: x = (encoded row - mean) / std
    classes         a label for each output (two for one sigmoid output), or
    target_scaling  {"mean": m, "std": s}: a regression's answer is a^L_0 s + m
    target_name     the name of the target column
    id_name         the column that names each row (``--id``, or one recognised as an
                    identifier): ``predict`` copies it into its output

Each is None when not used.  They are the optional fields of the model file
(``tinybackprop.files.modelfile``, which reads and writes the network's): ``load``
checks them here, every one, before a Model is made.

>>> from tinybackprop.network import Network
>>> model = Model(Network([1, 1], activations="identity", weights=[[[2.0]]], biases=[[0.0]]),
...               scaling={"mean": [10.0], "std": [5.0]}, target_scaling={"mean": 100.0, "std": 1.0})
>>> x_of(model, ["15"], "row 1")  # (15 - 10) / 5
[1.0]
>>> answer(model, model.network.predict([1.0]))  # 2 * 1.0, in the target's units
102.0
"""
import math

from ..core.checks import check_list, check_vector
from ..core.errors import TinyBackpropError
from ..core.network import predicted_class
from ..files import modelfile
from ..files.atomic import write_atomically
from ..network import Network
from .rows import standardise

FIELDS = ("scaling", "classes", "feature_names", "target_name", "target_scaling", "columns", "id_name")


class Model:
    """A Network (``model.network``) with the preprocessing of a table (FIELDS, each None
    when not used).  ``save`` writes both to one model file; ``load`` reads it back."""

    def __init__(self, network, scaling=None, classes=None, feature_names=None, target_name=None,
                 target_scaling=None, columns=None, id_name=None):
        self.network = network
        self.scaling, self.classes, self.feature_names = scaling, classes, feature_names
        self.target_name, self.target_scaling, self.columns = target_name, target_scaling, columns
        self.id_name = id_name

    def __repr__(self):
        return "Model(%r%s)" % (self.network, "".join(
            ", %s=..." % name for name in FIELDS if getattr(self, name) is not None))

    def save(self, path):
        """Write the network and its preprocessing to path, whole or not at all."""
        write_atomically(path, to_json(self))  # to_json raises any error before the disk is touched


def as_model(thing):
    """thing if it is a Model; a Network as a Model without preprocessing."""
    return thing if isinstance(thing, Model) else Model(thing)


def fields_of(model):
    """The model file's optional fields of model, as a dict."""
    return {name: getattr(model, name) for name in FIELDS}


def to_json(model):
    """The model file's text: everything checked first, as ``load`` would check it."""
    data = modelfile.to_data(model.network, fields_of(model))
    try:
        checked_fields(data, model.network)
    except (TypeError, ValueError) as e:
        raise TinyBackpropError("cannot save: %s" % e)
    return modelfile.to_json(model.network, fields_of(model))


def load(path):
    """The Model a model file holds (a file without preprocessing gives a Model whose
    fields are None), every field checked."""
    return from_data(modelfile.read(path), path)


def from_json(text, path="<model>"):
    """The Model a model file's text describes, every field checked."""
    return from_data(modelfile.parse(text, path), path)


def from_data(data, path="<model>"):
    """The Model of a model file's parsed JSON; the first problem raised as "path: ..."."""
    net = modelfile.from_data(data, Network, path)
    try:
        return Model(net, **checked_fields(data, net))
    except (TypeError, ValueError) as e:
        raise TinyBackpropError("%s: %s" % (path, e))


# -- From a raw row to x, and from a^L to an answer --------------------------------

def x_of(model, row, where, decimal=".", unseen=None, filled=None):
    """The network's x for a raw row: encoded as the columns say, then scaled.  An unseen
    category is an error, or with unseen a dict, none of the known, counted there;
    filled counts the missing values filled in (``data.columns.encode``)."""
    from .columns import default_names, encode, numeric_columns  # here: a board reading a model needs none
    columns = model.columns if model.columns is not None else numeric_columns(
        model.feature_names or default_names(model.network.sizes[0]))
    x = encode(columns, row, where, decimal, unseen, filled)
    return standardise(model.scaling, x) if model.scaling is not None else x


def finite_output(a, where, rate):
    """a, a^L for one row, after checking every output is a finite number: a model whose
    weights diverged answers NaN, which must not become a class label.  rate names the
    way to ask for a smaller rate (``--lr``, ``lr=``)."""
    for v in a:
        if not math.isfinite(v):
            raise TinyBackpropError("%s: the model's output is %r, not a finite number: the model has "
                                    "diverged; train it again with %s" % (where, v, rate))
    return a


def answer(model, a):
    """The answer an output a^L stands for: a class, or a number in the target's units."""
    if model.classes is not None:
        return model.classes[predicted_class(a)]
    if model.target_scaling is not None:
        value = a[0] * model.target_scaling["std"] + model.target_scaling["mean"]  # y = a^L_0 s + m
        if not math.isfinite(value):
            raise TinyBackpropError("the prediction %r is not a finite number: the model has "
                                    "diverged; train it again with a smaller learning rate" % value)
        return value
    return a[0] if len(a) == 1 else a


def probabilities(a):
    """One probability per class for an output a^L (one sigmoid output gives two)."""
    return list(a) if len(a) > 1 else [1.0 - a[0], a[0]]


# -- Checking the fields a model file holds ---------------------------------------

def checked_fields(data, net):
    """The optional fields of a model file's data for the network net, as Model's
    keyword arguments, after checking each (numbers as floats)."""
    n_in, n_out = net.sizes[0], net.sizes[len(net.sizes) - 1]
    fields = dict.fromkeys(FIELDS)
    scaling = data.get("scaling")
    if scaling is not None:
        if not isinstance(scaling, dict) or sorted(scaling) != ["mean", "std"]:
            raise TinyBackpropError('scaling must be null or {"mean": [...], "std": [...]}')
        check_vector(scaling["mean"], n_in, "scaling.mean", "layer 0 (the input)")
        check_vector(scaling["std"], n_in, "scaling.std", "layer 0 (the input)")
        for j in range(n_in):
            if scaling["std"][j] <= 0.0:
                raise TinyBackpropError("scaling.std[%d] is %r: it must be above 0"
                                        % (j, scaling["std"][j]))
        fields["scaling"] = {"mean": [float(m) for m in scaling["mean"]],
                             "std": [float(s) for s in scaling["std"]]}
    classes = data.get("classes")
    if classes is not None:
        fields["classes"] = distinct_names(classes, 2 if n_out == 1 else n_out, "classes",
                                           "labels (one per output)" if n_out > 1 else
                                           "labels (below and above 0.5)", numbers=True)
    names = data.get("feature_names")
    if names is not None:
        fields["feature_names"] = distinct_names(names, n_in, "feature_names", "names (one per input)")
    for name in ("target_name", "id_name"):
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            raise TinyBackpropError("%s must be null or a string, got %r" % (name, value))
        fields[name] = value
    target_scaling = data.get("target_scaling")
    if target_scaling is not None:
        if not isinstance(target_scaling, dict) or sorted(target_scaling) != ["mean", "std"]:
            raise TinyBackpropError('target_scaling must be null or {"mean": m, "std": s}')
        check_vector([target_scaling["mean"], target_scaling["std"]], 2, "target_scaling",
                     "mean and std")
        if not target_scaling["std"] > 0.0:
            raise TinyBackpropError("target_scaling.std is %r: it must be above 0" % target_scaling["std"])
        fields["target_scaling"] = {"mean": float(target_scaling["mean"]),
                                    "std": float(target_scaling["std"])}
    columns = data.get("columns")
    if columns is not None:
        fields["columns"] = checked_columns(columns, fields["feature_names"], n_in)
    return fields


def distinct_names(value, n, name, meaning, numbers=False):
    """value after checking it is a list of n different strings (or finite numbers)."""
    check_list(value, n, name, meaning)
    seen = {}  # name: its first index (a dict: linear in n, however many names a file holds)
    for i in range(n):
        is_number = isinstance(value[i], (int, float)) and not isinstance(value[i], bool)
        if not (isinstance(value[i], str) or numbers and is_number and abs(value[i]) < float("inf")):
            raise TinyBackpropError("%s[%d] is %r, not a string%s" % (
                name, i, value[i], " or a finite number" if numbers else ""))
        if value[i] in seen:
            raise TinyBackpropError("%s[%d] is %r, as is %s[%d]: each name must differ"
                                    % (name, i, value[i], name, seen[value[i]]))
        seen[value[i]] = i
    return value


def checked_columns(columns, feature_names, n_in):
    """columns after checking each description and that they make feature_names' n_in inputs."""
    from .columns import encoded_names  # here: a model of numbers only has no columns
    if feature_names is None:
        raise TinyBackpropError("columns needs feature_names: the name of each input they make")
    if not isinstance(columns, list) or not columns:
        raise TinyBackpropError("columns must be null or a non-empty list of column descriptions")
    for j in range(len(columns)):
        c = columns[j]
        keys = ["fill", "kind", "name"] if isinstance(c, dict) and c.get("kind") == "number" else \
            ["categories", "fill", "kind", "name"]
        if not isinstance(c, dict) or sorted(c) != keys or not isinstance(c["name"], str):
            raise TinyBackpropError('columns[%d] must be {"name", "kind": "number", "fill"} or '
                                    '{"name", "kind": "category", "categories", "fill"}' % j)
        if c["kind"] == "number":
            if c["fill"] is not None:
                check_vector([c["fill"]], 1, "columns[%d].fill" % j, "a number column")
        else:
            distinct_names(c["categories"], len(c["categories"]) if isinstance(c["categories"], list) else 0,
                           "columns[%d].categories" % j, "texts")
            if c["fill"] is not None and c["fill"] not in c["categories"]:
                raise TinyBackpropError("columns[%d].fill is %r, not one of its categories" % (j, c["fill"]))
    distinct_names([c["name"] for c in columns], len(columns), "columns' names", "names")
    if encoded_names(columns) != feature_names:
        raise TinyBackpropError("columns make the inputs %s, but feature_names are %s"
                                % (encoded_names(columns)[:n_in + 1], feature_names))
    return columns
