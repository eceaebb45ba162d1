"""Models for tables of raw values: ``Classifier`` and ``Regressor``.

An estimator is fitted to a ``tinybackprop.data.model.Model``: a ``Network``
(``estimator.network``: the math, for study) and what turns a raw row into the
network's x and a^L back into an answer (``tinybackprop.data.columns``), all of
it saved in one model file, which
``tinybackprop.load`` reads back as the same kind of estimator.  The
command line's ``train`` and ``Classifier.fit`` / ``Regressor.fit`` share
``prepare``, ``plan_training`` and ``train_prepared`` (and DEFAULTS), so either way
the same rows and settings give the same model file.

The interface is scikit-learn's (``fit``, ``predict``, ``predict_proba``,
``score``, ``get_params``, ``set_params``; ``classes_``, ``loss_curve_``), without
importing it: X is a list of rows (or anything with ``.tolist()``, such as a
numpy array, or a pandas DataFrame), each row a list of numbers or texts.

>>> X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]] * 5
>>> y = ["no", "yes", "yes", "no"] * 5
>>> model = Classifier(hidden=(8,), epochs=200, lr=0.1).fit(X, y)
>>> model.classes_, model.predict([[0.0, 1.0], [1.0, 1.0]])
(['no', 'yes'], ['yes', 'no'])
"""
import math

from ..data.rows import class_names, fit_scaling, one_hot, standardise, stratified_split
from ..core.activations import ELEMENT_WISE
from ..core.matrix import copy_matrix
from ..core.errors import TinyBackpropError
from ..core.network import argmax, loss_and_accuracy
from ..network import Network
from ..data.columns import (MISSING_RULES, as_number, canonical_label, check_dropped, check_names, class_index,
                            class_places, default_names, dropping, encoded_names, encode, filled_text,
                            fit_columns, fit_input_scaling, gaps, identifiers, is_missing, positions,
                            target_kind, unseen_text)
from ..data.model import Model, answer, finite_output, probabilities, x_of
from ..training import defaults as training
from ..training.settings import check_settings

MIN_VALIDATION = 50  # early stopping watches at least this many rows, or it is not used
# A table's settings besides training's (tinybackprop.training.defaults, whose third column
# are a table's defaults): name, default, kind (a type, the names it may be, or "sizes" or
# "names", a list of them), text.  The estimators' parameters and train's flags are these.
MODEL_SETTINGS = (
    ("hidden", (32,), "sizes", "hidden layer sizes, e.g. 32 or 32,16"),
    ("activation", "tanh", ELEMENT_WISE, "the activation of the hidden layers"),
    ("missing", "mean", MISSING_RULES,
     "what a missing value (empty, NA, N/A, NaN, ?, null, None) does: mean, filled in with the "
     "training rows' mean (in a text column, a category of its own, '(missing)'), stored for every "
     "column so that predict fills in its gaps too, and counted; error, refused; drop, the row left "
     "out (at most half the rows); or drop_many, the row left out however many are"),
    ("category", None, "names", "these number columns hold codes, not amounts: one input per value "
                                "(text columns are always so)"),
    ("validation_split", 0.1, float, "share of the training rows early stopping watches (used when "
                                     "it makes at least %d rows)" % MIN_VALIDATION),
    ("unseen", "zeros", ("zeros", "error"),
     "a category that predict meets and fit did not: zeros, none of the known (counted in a "
     "warning), or error, every such value listed"),
    ("identifiers", "leave_out", ("leave_out", "keep"),
     "a column whose content numbers or names the rows (a row number, a name: it would leak the "
     "file's order or learn each row by heart): leave_out, and say so, or keep as a feature"),
)
SETTINGS = MODEL_SETTINGS[:2] + tuple((name, table, kind, text) for name, net, table, kind, text
                                      in training.SETTINGS) + MODEL_SETTINGS[2:]
PARAMETERS = tuple(entry[0] for entry in SETTINGS)
PREDICT_SETTINGS = ("unseen",)  # used when predicting: the command line's predict takes them
DEFAULTS = dict((entry[0], entry[1]) for entry in SETTINGS)  # chosen by 5-fold cross-validation


def default_epochs(m):
    """About 20,000 SGD steps for m training samples, between 20 and 200 epochs."""
    return max(20, min(200, 20000 // m))


DEFAULT_LR = 0.03  # a table's rate, chosen by 5-fold cross-validation (docs/training.md)
STEP_BOUND = 1.0  # default_rate keeps lr * c * mean(|x|^2 + 1) at most this, half the bound of 2
CURVATURE = {"mse": 2.0, "cross_entropy": 0.5}  # c: the loss's largest second derivative in z^L


def default_rate(train, loss):
    """A table's learning rate when none is given: DEFAULT_LR, or less when the inputs are
    so wide that a per-sample step would overshoot.

    For a linear model, one SGD step on (x, y) moves the output's z by lr * c * (|x|^2 + 1)
    times its error, c the loss's curvature (CURVATURE); above 2 it overshoots and
    diverges (the stability bound of the LMS rule).  Kept at half of that on average,
    lr * c * mean(|x|^2 + 1) <= STEP_BOUND, the rate of a table of a few dozen inputs is
    DEFAULT_LR; ames (312 inputs, mean |x|^2 73, mse) gets 0.0068, which took its 5-fold
    RMSE from 43,079 at 0.03 to about 25,500 (scikit-learn's: 30,600; docs/csv.md).
    """
    width = sum(sum(v * v for v in x) + 1.0 for x, y in train) / len(train)  # mean(|x|^2 + 1)
    return min(DEFAULT_LR, STEP_BOUND / (CURVATURE[loss] * width))


def plan_training(train, settings, loss):
    """How train_prepared will train on the prepared samples train with the settings (a
    dict with DEFAULTS' keys) and the network's loss: a dict of train and validation
    (the samples trained on and those watched, or None), epochs, lr (the settings', or
    default_rate's when None) and why (a sentence on early stopping, for the command
    line to print).

    Early stopping (settings["patience"]) sets a validation_split share of train aside,
    stratified for classes and chosen with the seed, when that share holds at least
    MIN_VALIDATION rows: fewer are too few to judge an epoch by (measured: on auto_mpg's
    31 and sine's 16 they picked worse epochs than the last).
    """
    check_table_settings(settings)  # before the split they decide on
    plan = {"train": train, "validation": None}
    if settings["patience"] is None:
        plan["why"] = "early stopping: off"
    else:
        labels = [argmax(y) if len(y) > 1 else 0 for x, y in train]  # regression: one stratum
        fit_rows, watch_rows = stratified_split(labels, settings["validation_split"], settings["seed"])
        if len(watch_rows) >= MIN_VALIDATION and fit_rows:
            plan["train"], plan["validation"] = [train[k] for k in fit_rows], [train[k] for k in watch_rows]
            plan["why"] = ("early stopping: %d of the training rows watched, patience %d epochs"
                           % (len(watch_rows), settings["patience"]))
        else:
            plan["why"] = ("early stopping: off, the validation part would have %d rows (fewer than "
                           "%d are too few to judge an epoch)" % (len(watch_rows), MIN_VALIDATION))
    plan["epochs"] = settings["epochs"] or default_epochs(len(plan["train"]))
    plan["lr"] = settings["lr"] or default_rate(plan["train"], loss)
    plan["weight_decay"] = settings["weight_decay"]
    plan["decay_losses"] = None
    if plan["weight_decay"] is None and loss != "mse":
        plan["weight_decay"] = 0.0  # classes: none (chosen so by cross-validation, docs/training.md)
    elif plan["weight_decay"] is None:
        plan["why"] += ("; weight decay: chosen among %s by the loss on %d%% of the training rows, "
                        "set aside for it" % (", ".join("%g" % w for w in WEIGHT_DECAYS),
                                              round(100 * DECAY_SPLIT)))
    return plan


WEIGHT_DECAYS = (0.0, 3.0, 10.0)  # a regression's lambdas to choose from (docs/training.md)
DECAY_SPLIT = 0.2  # share of the training rows the choice is judged on


def choose_weight_decay(net, plan, settings):
    """(lambda, {lambda: loss}): the weight decay of WEIGHT_DECAYS whose network, trained
    as planned on the other rows, has the lowest mean loss on a DECAY_SPLIT share of
    plan["train"] (chosen with the seed); net itself is left as it is.

    Each candidate starts from net's weights and trains plan["epochs"] epochs without
    early stopping.  Measured on public regression tables, 5-fold (tools/public_tables.py):
    the nearly linear ones want lambda 3 to 10 (carseats 1.176 at 0, 1.055 chosen, the
    linear model 1.044), the curved ones 0 (sine's 0.125 becomes 0.161 at 3), and the
    rows set aside tell them apart.
    """
    fit_rows, watch_rows = stratified_split([0] * len(plan["train"]), DECAY_SPLIT, settings["seed"])
    if not watch_rows or not fit_rows:
        return 0.0, {}
    fit_part = [plan["train"][k] for k in fit_rows]
    watch = [plan["train"][k] for k in watch_rows]
    losses = {}
    for decay in WEIGHT_DECAYS:
        trial = Network(net.sizes, activations=net.activations, loss=net.loss,
                        weights=[copy_matrix(W) for W in net.weights], biases=[list(b) for b in net.biases])
        trial.train(fit_part, **planned_settings(plan, settings, decay, None))
        losses[decay] = loss_and_accuracy(trial, watch)[0]
    best = min(WEIGHT_DECAYS, key=lambda decay: losses[decay])  # the first of equals: the least decay
    return best, losses


def planned_settings(plan, settings, weight_decay, patience):
    """Network.train's settings (training.NAMES) for a table: the settings, with the
    plan's epochs and lr and the given weight_decay and patience."""
    chosen = dict((name, settings[name]) for name in training.NAMES)
    chosen["epochs"], chosen["lr"] = plan["epochs"], plan["lr"]
    chosen["weight_decay"], chosen["patience"] = weight_decay, patience
    return chosen


def check_table_settings(settings):
    """Check a table's settings (a dict with DEFAULTS' keys), training's and the model's,
    before any work; raise TinyBackpropError naming the first one that is wrong."""
    check_settings(*[settings[name] if name != "weight_decay" or settings[name] is not None else 0.0
                     for name in training.NAMES])  # weight_decay None: chosen (plan_training)
    if settings["epochs"] is not None and settings["epochs"] > MAX_EPOCHS:
        raise TinyBackpropError("epochs is %d: at most %d" % (settings["epochs"], MAX_EPOCHS))
    hidden = settings["hidden"]
    if not isinstance(hidden, (list, tuple)) or not all(isinstance(n, int) and not isinstance(n, bool)
                                                        and n >= 1 for n in hidden):
        raise TinyBackpropError("hidden is %r: give the size of each hidden layer, each at least 1, "
                                "such as (32,)" % (hidden,))
    for name, default, kind, text in MODEL_SETTINGS:  # those whose kind is the names they may be
        if isinstance(kind, tuple) and settings[name] not in kind:
            raise TinyBackpropError("%s is %r: give one of %s" % (name, settings[name], ", ".join(kind)))
    if not isinstance(settings["validation_split"], float) or not 0.0 < settings["validation_split"] < 1.0:
        raise TinyBackpropError("validation_split is %r: give a share above 0 and below 1, such as 0.1"
                                % (settings["validation_split"],))


MAX_EPOCHS = 10 ** 6  # beyond this, a typing slip rather than a plan


def train_prepared(net, plan, settings, callback=None, step_callback=None):
    """(history, kept): train net as plan_training planned, the one way the command line
    and the estimators train; kept is the epoch whose weights net ends with (the best
    one under early stopping, else the last one run).  A weight decay still to be
    chosen (plan["weight_decay"] None) is chosen first (choose_weight_decay) and
    written into the plan, with the loss of each candidate (plan["decay_losses"])."""
    validation = plan["validation"]
    if plan["weight_decay"] is None:
        plan["weight_decay"], plan["decay_losses"] = choose_weight_decay(net, plan, settings)
    history = net.train(plan["train"], validation=validation, callback=callback, step_callback=step_callback,
                        **planned_settings(plan, settings, plan["weight_decay"],
                                           settings["patience"] if validation is not None else None))
    if validation is None:
        return history, len(history)
    losses = [record["val_loss"] for record in history]
    return history, losses.index(min(losses)) + 1


def prepare(names, rows, targets, kind, train_rows, test_rows, hidden, activation, seed, missing,
            target_name=None, decimal=".", source="X", where=None, categorical=(), keep=None):
    """(model, train, test, left_out): a Model of a new network for a table of raw rows
    and targets, with the preprocessing fitted on the train_rows (indices), the
    train_rows and test_rows as (x, y) samples (test None when there are none), and
    {name: why} of the columns left out as identifiers (``data.columns.identifiers``).

    kind is "classification" or "regression".  source names the data in a message
    (a file's path), where(k) its row k.  keep names the columns never left out (None:
    every column kept).  Categories are those of all the rows; fill-in values and the
    scaling are the training rows' own.
    """
    where = where or (lambda k: "%s[%d]" % (source, k))
    found = {} if keep is None else identifiers(names, rows, decimal, tuple(keep) + tuple(categorical))
    if len(found) == len(names):
        raise TinyBackpropError("%s: every feature column identifies the rows (%s); give the features "
                                "to learn from" % (source, "; ".join("%r %s" % (names[j], found[j])
                                                                        for j in sorted(found))))
    left_out = dict((names[j], found[j]) for j in found)
    id_name = names[min(found)] if found else None  # remembered: predict copies it out
    if found:
        kept = [j for j in range(len(names)) if j not in found]
        names, rows = [names[j] for j in kept], [[row[j] for j in kept] for row in rows]
    columns = fit_columns(names, rows, missing, source, decimal, train_rows, categorical)
    xs = [encode(columns, rows[k], where(k), decimal) for k in range(len(rows))]
    scaling = fit_input_scaling(columns, [xs[k] for k in train_rows])
    if kind == "regression":
        ys = [as_number(t, decimal) for t in targets]  # target_kind found them all finite numbers
        column = fit_scaling([[ys[k]] for k in train_rows])  # the target as one column
        target_scaling = {"mean": column["mean"][0], "std": column["std"][0]}
        classes, n_out, output, loss = None, 1, "identity", "mse"
        y_of = lambda k: standardise(column, [ys[k]])  # (y - m) / s, safe for -1.7e308 - 5.7e307
    else:
        labels = [canonical_label(t) for t in targets]
        classes = class_names(labels)  # canonical: "0.0" and 0 are one class
        if len(classes) < 2:
            raise TinyBackpropError("%s: the targets hold one class only (%r); a classifier needs at least two"
                                    % (source, classes[0]))
        target_scaling, n_out, output, loss = None, len(classes), "softmax", "cross_entropy"
        places = class_places(classes)
        index = [class_index(classes, label, "", places) for label in labels]
        y_of = lambda k: one_hot(index[k], n_out)
    net = Network([len(xs[0])] + list(hidden) + [n_out],
                  activations=[activation] * len(hidden) + [output], loss=loss, seed=seed)
    model = Model(net, scaling=scaling, classes=classes, feature_names=encoded_names(columns),
                  target_name=target_name, target_scaling=target_scaling, columns=columns, id_name=id_name)
    train = [(standardise(scaling, xs[k]), y_of(k)) for k in train_rows]
    test = [(standardise(scaling, xs[k]), y_of(k)) for k in test_rows]
    return model, train, test or None, left_out


def rows_of(X, what="X"):
    """X as a list of rows (lists), from lists, tuples, numpy arrays or a DataFrame."""
    if hasattr(X, "toarray") and hasattr(X, "nnz"):  # scipy.sparse: rows of it are not lists of values
        raise TypeError("%s is a sparse matrix (%s): give %s.toarray(), its rows as lists of values"
                        % (what, type(X).__name__, what))
    if hasattr(X, "to_numpy") and hasattr(X, "columns"):  # a pandas DataFrame
        X = X.to_numpy(dtype=object)
    if hasattr(X, "tolist"):
        X = X.tolist()
    if not isinstance(X, (list, tuple)) or len(X) == 0:
        raise TypeError("%s must be a non-empty list of rows, got %s" % (what, type(X).__name__))
    rows = []
    for k in range(len(X)):
        row = X[k].tolist() if hasattr(X[k], "tolist") else X[k]
        if not isinstance(row, (list, tuple)):
            raise TypeError("%s[%d] is %r, not a row: %s is a list of rows, each a list of values "
                            "(for one row, give [row])" % (what, k, row, what))
        rows.append([raw_value(row[j], "%s[%d][%d]" % (what, k, j)) for j in range(len(row))])
    return rows


def raw_value(value, where):
    """A value of X as the table's code takes it: a text, None, a bool (a category), or a
    float or int.  Other real numbers (Decimal, Fraction, numpy.float32, numpy.int64, ...)
    become floats, as Network.predict takes them, rather than categories named by their
    repr ("Decimal('0')"); anything else is refused, naming where it is."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, complex) or not hasattr(value, "__float__"):
        raise TypeError("%s is %r (%s): give numbers or texts (str(value) makes it a category)"
                        % (where, value, type(value).__name__))
    try:
        return float(value)
    except (TypeError, ValueError, OverflowError):
        raise TypeError("%s is %r (%s), which is not a float: give numbers or texts"
                        % (where, value, type(value).__name__))


def warn(message, stacklevel=3):
    """A warning through Python's warnings (the library prints nothing itself), shown at
    the caller stacklevel - 1 calls up from the one that calls this."""
    try:
        import warnings
    except ImportError:  # MicroPython: no warnings module; the attribute left_out_ says it
        return
    warnings.warn(message, stacklevel=stacklevel)


def rows_by_name(X, names, what="X"):
    """X's rows with their values in the order of names, the columns the model was
    fitted on: a DataFrame's columns are found by name (in any order; others, such as
    the target, left out), and must all be there; rows without names are taken by
    position.  A model fitted without names (x0, x1, ...) takes a DataFrame by position."""
    rows = rows_of(X, what)
    if names is None or not (hasattr(X, "to_numpy") and hasattr(X, "columns")):
        return rows
    header = [str(name) for name in X.columns]
    if header == names:
        return rows
    check_names(header, what)
    place = positions(header)
    missing = [name for name in names if name not in place]
    if missing and names == default_names(len(names)) and len(header) == len(names):
        return rows  # fitted on rows without names: by position, as fit saw them
    if missing:
        raise TinyBackpropError("%s has no column %s, which the model was fitted on (it takes %s); "
                                "%s's columns are %s" % (what, ", ".join(repr(name) for name in missing),
                                                         ", ".join(names), what, ", ".join(header)))
    where = [place[name] for name in names]
    return [[row[j] for j in where] for row in rows]


def values_of(y):
    """y as a list of values, from a list, a tuple, a numpy array or a pandas Series (each
    taken as raw_value takes it; a bool, or a number that is not finite, is refused: a
    model file could not store it as a class)."""
    if hasattr(y, "tolist"):
        y = y.tolist()
    if not isinstance(y, (list, tuple)):
        raise TypeError("y must be a list of targets, one per row, got %s" % type(y).__name__)
    values = [raw_value(y[k], "y[%d]" % k) for k in range(len(y))]
    for k in range(len(values)):
        if isinstance(values[k], bool):
            raise TypeError("y[%d] is %r: give the labels as texts or numbers (such as 0 and 1, or "
                            "[str(v) for v in y])" % (k, values[k]))
        if isinstance(values[k], float) and math.isinf(values[k]):  # NaN is a missing target, said later
            raise TinyBackpropError("y[%d] is %r: a target must be a finite number or a text" % (k, values[k]))
    return values


class Estimator:
    """What Classifier and Regressor share: parameters, fit, predict, save.

    The parameters are SETTINGS (each a keyword, with DEFAULTS as its default), kept
    as given and checked when fit runs, as scikit-learn's estimators do.
    """

    kind = None

    def __init__(self, **params):
        for name in params:
            if name not in PARAMETERS:
                raise TypeError("%s has no parameter %r; it has %s"
                                % (type(self).__name__, name, ", ".join(PARAMETERS)))
        for name in PARAMETERS:
            setattr(self, name, params.get(name, DEFAULTS[name]))

    def __repr__(self):
        return "%s(%s)" % (type(self).__name__, ", ".join(
            "%s=%r" % (name, getattr(self, name)) for name in PARAMETERS))

    def get_params(self, deep=True):
        """The constructor's arguments, as a dict (scikit-learn's interface)."""
        return {name: getattr(self, name) for name in PARAMETERS}

    def set_params(self, **params):
        """Change constructor arguments by name; returns the estimator."""
        for name in params:
            if name not in PARAMETERS:
                raise TinyBackpropError("%s has no parameter %r; it has %s"
                                        % (type(self).__name__, name, ", ".join(PARAMETERS)))
            setattr(self, name, params[name])
        return self

    def fit(self, X, y, feature_names=None):
        """Train a new network on rows X and targets y; returns the estimator.

        feature_names names X's columns (a DataFrame's own names by default, else
        x0, x1, ...).  Every row trains: hold some out yourself to measure.
        """
        check_table_settings(self.get_params())
        names = feature_names or (list(X.columns) if hasattr(X, "columns") else None)
        rows, targets = rows_of(X), values_of(y)
        if len(targets) != len(rows):
            raise TinyBackpropError("X has %d rows but y has %d targets" % (len(rows), len(targets)))
        names = [str(name) for name in names] if names else default_names(len(rows[0]))
        for k in range(len(rows)):
            if len(rows[k]) != len(names):
                raise TinyBackpropError("X[%d] has %d values, but there are %d columns (%s)"
                                        % (k, len(rows[k]), len(names), ", ".join(names)))
        if dropping(self.missing):  # rows with a missing feature or target left out
            keep = [k for k in range(len(rows))
                    if not is_missing(targets[k]) and not any(is_missing(v) for v in rows[k])]
            if not keep:
                raise TinyBackpropError("every row has a missing value: none is left")
            check_dropped(self.missing, len(rows) - len(keep), len(rows), "X", "missing='drop_many'")
            if len(keep) < len(rows):
                warn("%s: %d rows with a missing value left out (missing=%r), %d kept"
                     % (type(self).__name__, len(rows) - len(keep), self.missing, len(keep)))
            rows, targets = [rows[k] for k in keep], [targets[k] for k in keep]
        for k in range(len(targets)):
            if is_missing(targets[k]):
                raise TinyBackpropError("y[%d] is missing (%r): give every row a target, or "
                                        "missing='drop'" % (k, targets[k]))
        kind = target_kind(targets, self.kind, "y")
        model, train, _, left_out = prepare(
            names, rows, targets, kind, list(range(len(rows))), [], self.hidden, self.activation, self.seed,
            self.missing, categorical=tuple(self.category or ()), keep=() if self.identifiers == "leave_out" else None)
        for name in left_out:
            warn("%s: column %r %s: left out of the features (identifiers='keep' keeps it)"
                 % (type(self).__name__, name, left_out[name]))
        self.left_out_ = left_out
        filled = gaps(names, rows, model.columns) if self.missing == "mean" else {}
        if filled:
            warn("%s: %s, with the training rows' values" % (type(self).__name__,
                                                             filled_text(filled, model.columns)))
        settings = self.get_params()
        plan = plan_training(train, settings, model.network.loss)
        history, kept = train_prepared(model.network, plan, settings)
        self.weight_decay_ = plan["weight_decay"]  # the one given, or the one chosen
        self.model_ = model
        self.loss_curve_ = [record["loss"] for record in history]
        self.best_epoch_ = kept  # whose weights the network has (early stopping: the best)
        self.n_features_in_ = len(names)
        self.feature_names_in_ = names
        self.fitted()
        return self

    @property
    def network(self):
        """The fitted Network (the model's math)."""
        return self.fitted_model().network

    def fitted(self):
        """Set the attributes that come from the model (after fit, or a load)."""

    def fitted_model(self):
        """The Model fit made (or load read), or an error that says to fit first."""
        model = self.__dict__.get("model_")
        if model is None:
            raise TinyBackpropError("this %s is not fitted yet: call fit(X, y) first" % type(self).__name__)
        return model

    def outputs(self, X):
        """a^L for each row of X, by the network's own forward pass (as the command line's
        predict: the same numbers to the bit).  A DataFrame's columns are matched by name."""
        model = self.fitted_model()
        rows = rows_by_name(X, self.feature_names_in_)
        used = [c["name"] for c in model.columns] if model.columns is not None else None
        if used is not None and used != self.feature_names_in_:  # identifiers left out by fit
            n = len(self.feature_names_in_)
            for k in range(len(rows)):
                if len(rows[k]) != n:
                    raise TinyBackpropError("X[%d] has %d values, but the model was fitted on %d columns "
                                            "(%s)" % (k, len(rows[k]), n, ", ".join(self.feature_names_in_)))
            place = positions(self.feature_names_in_)
            where = [place[name] for name in used]
            rows = [[row[j] for j in where] for row in rows]
        unseen, filled = {}, {}
        outputs = [finite_output(model.network.predict(x_of(model, row, "X[%d]" % k, unseen=unseen, filled=filled)),
                                 "X[%d]" % k, "a smaller lr") for k, row in enumerate(rows)]
        if filled:
            warn("X: %s, with the training rows' values" % filled_text(filled, model.columns), stacklevel=4)
        if unseen and self.unseen == "error":
            raise TinyBackpropError("X: categories the model has not seen: %s; unseen='zeros' takes each "
                                    "as none of the known" % unseen_text(unseen, model.columns))
        if unseen:
            warn("X: categories the model has not seen, each taken as none of the known: %s"
                 % unseen_text(unseen, model.columns), stacklevel=4)  # at predict's caller
        return outputs

    def predict(self, X):
        """The answer for each row of X: a class, or a number in the target's units."""
        model = self.fitted_model()
        return [answer(model, a) for a in self.outputs(X)]

    def save(self, path):
        """Write the model (network and preprocessing) to path; ``tinybackprop.load`` reads it."""
        self.fitted_model().save(path)


class Classifier(Estimator):
    """A network that sorts rows into classes: softmax outputs, cross-entropy loss."""

    kind = "classification"
    _estimator_type = "classifier"

    def fitted(self):
        self.classes_ = self.model_.classes

    def predict_proba(self, X):
        """For each row, one probability per class (in the order of ``classes_``)."""
        return [probabilities(a) for a in self.outputs(X)]

    def score(self, X, y):
        """The share of rows of X whose predicted class is y's."""
        predictions, targets = self.predict(X), values_of(y)
        places = class_places(self.classes_)
        right = sum(1 for p, t in zip(predictions, targets)
                    if class_index(self.classes_, t, "y", places) == class_index(self.classes_, p, "", places))
        return right / len(targets)

    def __sklearn_tags__(self):  # scikit-learn >= 1.6 asks for these; only it calls this
        from sklearn.utils import ClassifierTags, Tags, TargetTags
        return Tags(estimator_type="classifier", target_tags=TargetTags(required=True),
                    classifier_tags=ClassifierTags())


class Regressor(Estimator):
    """A network that predicts a number: an identity output, mean squared error."""

    kind = "regression"
    _estimator_type = "regressor"

    def score(self, X, y):
        """R^2 = 1 - sum((y - prediction)^2) / sum((y - mean y)^2), as scikit-learn's."""
        predictions = self.predict(X)
        targets = [float(t) for t in values_of(y)]
        mean = sum(targets) / len(targets)
        residual = sum((t - p) * (t - p) for t, p in zip(targets, predictions))
        total = sum((t - mean) * (t - mean) for t in targets)
        return 1.0 - residual / total if total > 0.0 else 0.0

    def __sklearn_tags__(self):
        from sklearn.utils import RegressorTags, Tags, TargetTags
        return Tags(estimator_type="regressor", target_tags=TargetTags(required=True),
                    regressor_tags=RegressorTags())


def signature():
    """The estimators' constructor signature, from SETTINGS, for help() and inspect."""
    import inspect
    return inspect.Signature([inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)] + [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=DEFAULTS[name])
        for name in PARAMETERS])


try:
    Estimator.__init__.__signature__ = signature()
except (ImportError, AttributeError):  # MicroPython: no inspect, and functions take no attributes
    pass


def from_model(model):
    """A Classifier or Regressor fitted to a Model (one that has classes or a target scaling)."""
    net = model.network
    hidden = tuple(net.sizes[1:len(net.sizes) - 1])
    columns = model.columns or []
    categories = [c["name"] for c in columns if c["kind"] == "category"]
    estimator = (Classifier if model.classes is not None else Regressor)(  # the parameters it shows
        hidden=hidden, activation=net.activations[0] if hidden else "tanh", category=categories or None,
        missing="mean" if any(c["fill"] is not None for c in columns) else "error")
    estimator.model_ = model
    estimator.n_features_in_ = len(model.columns) if model.columns is not None else net.sizes[0]
    estimator.feature_names_in_ = ([c["name"] for c in model.columns] if model.columns is not None
                                   else model.feature_names)
    estimator.loss_curve_ = None
    estimator.fitted()
    return estimator
