"""The training settings, each defined once: its name, its two defaults, its kind and its text.

``Network.train`` (``training.epochs.train_network``), the estimators
(``Classifier``, ``Regressor``) and the command line's ``train`` take these same
settings by these names, with the same meaning and the same checks; the
estimators' parameters and the command line's flags are made from this table,
and a test holds ``train_network``'s signature to it.

Two columns of defaults: ``Network.train``'s, which are the article's plain SGD,
and a table's (the estimators and the command line), chosen by 5-fold
cross-validation on the bundled tables (docs/training.md).

The learning rate: ``lr`` is the rate a schedule starts from.  With
``lr_scaling="none"`` it is the rate of every step; with ``"batch"`` (a table's
default) the step's rate is lr times batch_size, so that the mean gradient of a
mini-batch of B samples moves the weights about as far as B per-sample steps
(not for Adam, whose steps do not grow with the gradient).  With batch_size=1
the two are the same.
"""
from ..core.checks import check_learning_rate
from ..core.errors import TinyBackpropError

# The names train takes for a rule and a schedule.  What each does is training.rules'
# (UPDATE_RULES, SCHEDULES: a test keeps them equal to these), imported only when a
# setting asks for more than plain SGD at a constant rate: a board that trains by plain
# SGD need not freeze it.
RULES = ("sgd", "momentum", "nesterov", "adam")
SCHEDULES = ("constant", "inverse_scaling", "step_decay")

LR_SCALINGS = ("none", "batch")

# name, default of Network.train, default for a table, kind (a type, or the names it may be), text
SETTINGS = (
    ("epochs", 10, None, int, "passes over the training samples (a table's default, None: about "
                               "20,000 steps, 20 to 200 epochs)"),
    ("lr", 0.1, None, float, "the learning rate eta (see lr_scaling); a table's default, None: 0.03, "
                             "or less for inputs so wide that a step would overshoot "
                             "(front.estimators.default_rate)"),
    ("lr_scaling", "none", "batch", LR_SCALINGS,
     "none: every step's rate is lr; batch: lr times batch_size (not for adam), a mini-batch's "
     "step as far as its per-sample steps"),
    ("batch_size", 1, 1, int, "samples per step: 1 is per-sample SGD, B a mini-batch's mean gradient"),
    ("seed", 0, 0, int, "seed of the shuffles (for a table also of the weights and the splits)"),
    ("rule", "sgd", "sgd", RULES, "the update rule (training.rules): " + ", ".join(RULES)),
    ("momentum", 0.9, 0.9, float, "mu of the momentum and nesterov rules"),
    ("weight_decay", 0.0, 0.0, float, "L2 regularisation lambda: each weight's gradient gains "
                                      "(lambda / n) W, n the training samples"),
    ("schedule", "constant", "step_decay", SCHEDULES,
     "the rate of each epoch: constant, inverse_scaling (lr / sqrt(epoch)) or step_decay "
     "(halved every 10 epochs)"),
    ("patience", None, 10, int, "early stopping: stop after this many epochs without a lower "
                                "validation loss and keep the best epoch (None: off)"),
)
NAMES = tuple(entry[0] for entry in SETTINGS)
NETWORK_DEFAULTS = dict((entry[0], entry[1]) for entry in SETTINGS)
TABLE_DEFAULTS = dict((entry[0], entry[2]) for entry in SETTINGS)


def check_settings(epochs, lr, lr_scaling, batch_size, seed, rule, momentum, weight_decay, schedule,
                   patience):
    """Check every training setting; raise TinyBackpropError saying what to give instead.
    (epochs=None and lr=None are a table's "choose for me", checked where they are chosen.)"""
    for name, value in (("epochs", epochs), ("batch_size", batch_size), ("seed", seed)):
        if value is None and name == "epochs":
            continue
        if not isinstance(value, int) or isinstance(value, bool) or value < (0 if name == "seed" else 1):
            raise TinyBackpropError("%s is %r: give a whole number of at least %d"
                                    % (name, value, 0 if name == "seed" else 1))
    if lr is not None:
        check_learning_rate(lr)
    if lr_scaling not in LR_SCALINGS:
        raise TinyBackpropError("lr_scaling is %r: give 'none' (every step's rate is lr) or 'batch' "
                                "(lr times batch_size)" % (lr_scaling,))
    if rule not in RULES:
        raise TinyBackpropError("rule is %r: give one of %s" % (rule, ", ".join(RULES)))
    for name, value in (("momentum", momentum), ("weight_decay", weight_decay)):
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not value >= 0.0 \
                or not value < float("inf") or (name == "momentum" and not value < 1.0):
            raise TinyBackpropError("%s is %r: give a number of at least 0%s" % (
                name, value, " and below 1" if name == "momentum" else ""))
    if not callable(schedule) and schedule not in SCHEDULES:
        raise TinyBackpropError("schedule is %r: give one of %s, or a function of the epoch"
                                % (schedule, ", ".join(SCHEDULES)))
    if patience is not None and (not isinstance(patience, int) or isinstance(patience, bool) or patience < 1):
        raise TinyBackpropError("patience is %r: give a whole number of epochs, at least 1, or None"
                                % (patience,))


def step_rate(lr, lr_scaling, batch_size, rule):
    """The rate a schedule starts from: lr, or lr times batch_size (lr_scaling="batch",
    but not for adam)."""
    return lr * batch_size if lr_scaling == "batch" and rule != "adam" else lr
