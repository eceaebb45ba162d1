"""The training settings, each defined once: its name, its two defaults, its kind and its text.

``Network.train`` (``training.epochs.train_network``), the estimators
(``Classifier``, ``Regressor``) and the command line's ``train`` take these same
settings by these names, with the same meaning and the same checks
(``training.settings``); the estimators' parameters and the command line's flags
are made from this table, and a test holds ``train_network``'s signature to it.

Two columns of defaults: ``Network.train``'s, which are the article's plain SGD,
and a table's (the estimators and the command line), chosen by 5-fold
cross-validation on the bundled tables (docs/training.md).  Not imported by
training itself: a board that trains need not freeze the texts.
"""
from .settings import LR_SCALINGS, RULES, SCHEDULES

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
    ("weight_decay", 0.0, None, float, "L2 regularisation lambda: each weight's gradient gains "
                                       "(lambda / n) W, n the training samples (a table's default, "
                                       "None: 0 for classes; for a regression 0, 3 or 10, whichever "
                                       "trains to the lowest loss on a fifth of the training rows)"),
    ("schedule", "constant", "step_decay", SCHEDULES,
     "the rate of each epoch: constant, inverse_scaling (lr / sqrt(epoch)) or step_decay "
     "(halved every 10 epochs)"),
    ("patience", None, 10, int, "early stopping: stop after this many epochs without a lower "
                                "validation loss and keep the best epoch (None: off)"),
)
NAMES = tuple(entry[0] for entry in SETTINGS)
NETWORK_DEFAULTS = dict((entry[0], entry[1]) for entry in SETTINGS)
TABLE_DEFAULTS = dict((entry[0], entry[2]) for entry in SETTINGS)
