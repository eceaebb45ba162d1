"""The training settings' checks: what ``Network.train``, the estimators and the
command line's ``train`` take, checked once (``training.defaults`` holds each
setting's defaults and text).

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
