"""Training: epochs of stochastic gradient descent, one sample or one mini-batch at a time.

    W^l <- W^l - lr dL/dW^l = W^l - lr delta^l (a^(l-1))^T
    b^l <- b^l - lr dL/db^l = b^l - lr delta^l

With batch_size=1 (the default, the article's SGD) the weights change after
every sample; with batch_size=B they change after every B samples, by the mean
of the B gradients (a last, shorter batch uses its own size).  Each step is
``backprop.step`` with the rule ``backprop.SGD(lr)``, or the same step by
``tinybackprop.fast.kernels`` where that module has one for the network; with another
update rule (momentum, Adam, weight decay: ``tinybackprop.training.rules``), always
``backprop.step`` with that rule.  A schedule sets each epoch's rate; early
stopping (patience) keeps the weights of the epoch with the lowest val_loss.
"""
from ..core.backprop import SGD, step
from ..core.checks import TARGET_SUM, check_learning_rate, check_samples
from ..core.errors import TinyBackpropError
from ..core.matrix import copy_matrix
from ..core.network import is_classifier, loss_and_accuracy, predicted_class
from ..core.rng import Random
from .settings import check_settings, step_rate

HISTORY = ("all", "last", "none")  # how much of the history train returns
MICROPYTHON = __import__("sys").implementation.name == "micropython"
# A board's heap is tens of KB: there the default call keeps the last epoch's record
# (500 epochs of XOR kept whole cost 4 KB on a board, a third of what MicroMLP trains
# in), and the fast path runs only with FAST_HEAP free (its modules and plans cost some
# 3 KB of heap for a 1.2x faster step, and importing them into a heap that the data has
# cut into small pieces may find no 472 bytes in a row).  docs/boards.md has the figures.
DEFAULT_HISTORY = "last" if MICROPYTHON else "all"
FAST_HEAP = 48 * 1024


def room_for_fast():
    """Is there heap for the fast path?  Always, but on MicroPython with less than
    FAST_HEAP bytes free, counted after a collection where the count before it is short
    (a collection only frees; on the unix port, with the benchmark's data alive, each
    took 1.3-3 ms, a tenth of a 4-epoch train call on iris)."""
    if not MICROPYTHON:
        return True
    import gc
    if gc.mem_free() >= FAST_HEAP:
        return True
    gc.collect()
    return gc.mem_free() >= FAST_HEAP


def train_network(net, samples, epochs=10, lr=0.1, lr_scaling="none", batch_size=1, seed=0, rule="sgd",
                  momentum=0.9, weight_decay=0.0, schedule="constant", patience=None, shuffle=True,
                  validation=None, callback=None, step_callback=None, history=DEFAULT_HISTORY, fast=True):
    """Train net in place by SGD; return the history, one record (a dict) per epoch.

    The settings from epochs to patience are ``tinybackprop.training.defaults``'
    (their defaults there are these, its test says); the rest are this function's.

    samples     a list of (x, y) pairs; y has one target per output (one-hot for
                classes).  The list is never reordered: each epoch shuffles an
                index list, with ``Random(seed)``.
    epochs      passes over the samples; lr the learning rate eta.
    lr_scaling  "none": every step's rate is lr; "batch": lr times batch_size
                (not for adam; see training.settings).
    batch_size  1 for per-sample SGD, B for mini-batches of the mean gradient.
    validation  optional (x, y) pairs, evaluated after each epoch.
    callback    optional function called with each epoch's dict as it ends
                (for progress lines); the library itself prints nothing.
    step_callback  optional function called after every step with (epoch,
                samples done in this epoch): for a progress bar, or to stop
                between two steps by raising an exception (the weights are
                then those after the last whole step).  Where the fast path
                defers first-layer updates (CPython 3.12+, see
                ``fast.sgd_stepper``), net.weights[0] seen from here may lag
                up to 15 steps; it is complete at each epoch's end and when
                training returns or raises.
    history     "all" (the default, but on MicroPython) returns a record for every
                epoch, as a ``training.history.History``: it reads as a list of
                dicts and keeps only their numbers, 8 bytes an epoch for a
                classifier on a board with 32-bit floats (16 with validation), 16
                with 64-bit floats; "last" (MicroPython's default: DEFAULT_HISTORY)
                a list of the last epoch's record only, and "none" an empty list.
                callback sees every record either way.
    fast        True: each step by ``tinybackprop.fast.kernels`` where it has one for
                this network (plain SGD, the activations and losses it has
                been shown equal on) and, on MicroPython, FAST_HEAP bytes of heap
                are free; False: by ``backprop.step``, the reference.
    rule        how gradients become changes (``tinybackprop.training.rules``): "sgd"
                (plain SGD, the default), "momentum", "nesterov" (momentum mu =
                momentum) or "adam".
    weight_decay  lambda of L2 regularisation: each weight's gradient gains
                (lambda / n) W, n = len(samples), as in Nielsen's network2.
    schedule    the learning rate of each epoch: "constant" (lr), "inverse_scaling"
                (lr / sqrt(epoch)), "step_decay" (halved every 10 epochs), or a
                function of the epoch (from 1) that returns the rate.
    patience    None, or early stopping: with validation given, training stops
                after patience epochs in a row without a lower val_loss, and the
                network is left with the weights of the epoch with the lowest
                val_loss (the history still ends at the last epoch run).

    Each dict holds ``epoch`` (from 1), ``loss`` (the mean of the samples'
    losses, each taken just before its own step), ``accuracy`` (None unless the
    network is a classifier), and ``val_loss`` and ``val_accuracy`` (None
    without validation).

    If a loss stops being finite, or a step would change a weight by more
    than MAX_CHANGE (``backprop.MAX_CHANGE``), training stops before that step
    changes anything and raises TinyBackpropError naming the epoch and sample:
    nothing learned before it is lost.
    """
    check_settings(epochs, lr, lr_scaling, batch_size, seed, rule, momentum, weight_decay, schedule, patience)
    fast = fast and room_for_fast()
    check_arguments(net, samples, epochs, lr, validation, history, patience, fast)
    first = step_rate(lr, lr_scaling, batch_size, rule)
    if rule == "sgd" and weight_decay == 0.0 and schedule == "constant":
        lr_of = None  # plain SGD at one rate: the core's rule, and nothing more to import
        update = SGD(check_learning_rate(first, "epoch 1's learning rate"))
    else:
        try:
            from .rules import SCHEDULES, make_rule
        except ImportError:  # a board that froze the minimal core (tools/layout.py)
            raise TinyBackpropError("rule %r, weight_decay %r, schedule %r need tinybackprop/training/rules.py, "
                                    "which is not installed here: without it, train by plain SGD (rule='sgd') at a "
                                    "constant rate" % (rule, weight_decay, schedule))
        lr_of = schedule if callable(schedule) else SCHEDULES[schedule](first)  # each epoch's rate
        update = make_rule(rule, check_learning_rate(lr_of(1), "epoch 1's learning rate"), net.weights,
                           momentum, weight_decay / len(samples))
    fast_step, settle, outputs = None, None, None  # the core's step and forward pass
    if fast:  # imported only when used: a reference run never loads it
        try:
            from ..fast.kernels import outputs
            fast_step, settle = fast_stepper(net, update, batch_size)
        except (ImportError, MemoryError):  # a board without fast/, or without the heap for it
            fast_step, settle, outputs = None, None, None
    best = None  # early stopping: (val_loss, epoch, weights, biases) of the best epoch so far
    rng = Random(seed)
    m = len(samples)
    order = [0] * m  # the one index list, reshuffled in place: a new list every epoch would
    # be allocated wherever a board's scattered heap has room, or nowhere (and list(range(m))
    # grows by doubling: 1 KB in one block for iris' 150 samples, where 600 bytes hold it)
    for i in range(m):
        order[i] = i
    # each sample's class, found once rather than at every epoch (None: not a classifier),
    # but on a board, whose heap has no room to spare: there it is found again each time
    classifier = is_classifier(net)
    labels = None
    if classifier and not MICROPYTHON:
        labels = [predicted_class(y) for x, y in samples]
    kept = whole_history() if history == "all" else [None] if history == "last" else []  # grown epoch by epoch
    try:
        for epoch in range(1, epochs + 1):
            if lr_of is not None and lr_of(epoch) != update.lr:  # a schedule: this epoch's rate
                update.lr = check_learning_rate(lr_of(epoch), "epoch %d's learning rate" % epoch)
            if shuffle:
                for i in range(m):
                    order[i] = i
                rng.shuffle_inplace(order)  # the same order as rng.permutation(m)
            total, right = 0.0, 0
            for start in range(0, m, batch_size):
                if batch_size == 1:  # one sample: no slice to make
                    batch = [samples[order[start]]]
                else:
                    batch = [samples[k] for k in order[start:start + batch_size]]
                if fast_step is None:
                    results = step(net, batch, update)  # the core's step, the text to read
                else:
                    results = fast_step(batch)  # the same step by tinybackprop.fast
                if results is None:
                    raise diverged(epoch, order[start], batch_size, update.lr)
                for i in range(len(results)):
                    loss, a_L = results[i]
                    total += loss
                    if classifier:
                        k = order[start + i]
                        right += predicted_class(a_L) == (labels[k] if labels is not None
                                                          else predicted_class(samples[k][1]))
                if step_callback is not None:
                    step_callback(epoch, start + len(results))
            if settle is not None:
                settle()  # the epoch's weights, complete
            record = epoch_record(net, epoch, total / m, right / m if classifier else None,
                                  validation, outputs)
            if history == "all":
                kept.append(record)
            elif history == "last":
                kept[0] = record
            if callback is not None:
                callback(record)
            if patience is not None:
                best = best_epoch(best, net, record)
                if epoch - best[1] >= patience:
                    break  # patience epochs without a lower val_loss
    finally:
        if settle is not None:
            settle()  # stopped by divergence or by step_callback: keep every whole step
    if best is not None:  # the best epoch's weights and biases, into the network's own lists
        for kept_list, best_list in zip(net.weights + net.biases, best[2] + best[3]):
            kept_list[:] = best_list
    return kept


def whole_history():
    """A new, empty ``training.history.History`` (imported here: a board's minimal core,
    whose default keeps the last record, need not freeze it)."""
    try:
        from .history import History
    except ImportError:
        raise TinyBackpropError("history='all' needs tinybackprop/training/history.py, which is not "
                                "installed here: history='last' keeps the last epoch's record")
    return History()


def check_arguments(net, samples, epochs, lr, validation, history, patience, fast=False):
    """Check what train_network takes besides the settings (training.settings checks those,
    and lets epochs and lr be None, a table's "choose for me").  fast: the samples may be
    passed by the fast path's one loop first (usual_samples_of)."""
    if epochs is None:
        raise TinyBackpropError("epochs is None: give a whole number of at least 1")
    if lr is None:
        raise TinyBackpropError("lr is None: give the learning rate, a number above 0 such as 0.1")
    if history not in HISTORY:
        raise TinyBackpropError("history is %r: give 'all' (a record per epoch), 'last' (the "
                                "last epoch's only) or 'none'" % (history,))
    if patience is not None and validation is None:
        raise TinyBackpropError("early stopping (patience) needs validation samples to watch")
    if not (fast and usual_samples_of(net, samples)):
        check_samples(net, samples, "samples")
    if validation is not None:
        check_samples(net, validation, "validation")


def usual_samples_of(net, samples):
    """fast.kernels.usual_samples where the fast path checks by its one loop first (PyPy,
    and MicroPython with that loop in machine code: kernels.CHECK_BY_ONE_LOOP), else False."""
    try:
        from ..fast.kernels import CHECK_BY_ONE_LOOP, usual_samples
    except (ImportError, MemoryError):  # a board without fast/, or without the heap for it
        return False
    return CHECK_BY_ONE_LOOP and usual_samples(net, samples, TARGET_SUM)


def epoch_record(net, epoch, mean_loss, share_right, validation, outputs):
    """The history's dict for an epoch: its mean loss and accuracy (share_right: None unless
    net is a classifier), and the validation samples' (None without them), by outputs (the
    fast path's forward pass, or None: the core's)."""
    record = {"epoch": epoch, "loss": mean_loss, "accuracy": share_right,
              "val_loss": None, "val_accuracy": None}
    if validation is not None:
        record["val_loss"], record["val_accuracy"] = loss_and_accuracy(net, validation, outputs)
    return record


def best_epoch(best, net, record):
    """Early stopping: (val_loss, epoch, weights, biases) of the best epoch so far, a copy
    of net's weights taken when record's val_loss is the lowest yet."""
    if best is None or record["val_loss"] < best[0]:
        return (record["val_loss"], record["epoch"], [copy_matrix(W) for W in net.weights],
                copy_matrix(net.biases))
    return best


def fast_stepper(net, rule, batch_size):
    """(step, settle) from tinybackprop.fast where it has a step for net and the rule
    (plain SGD: fast.kernels; the others: fast.rules), else (None, None): the core's
    step runs."""
    if type(rule) is SGD:
        from ..fast.kernels import sgd_stepper
        found = sgd_stepper(net, rule, batch_size)
    else:
        from ..fast.rules import rule_stepper
        found = rule_stepper(net, rule, batch_size)
    return found if found is not None else (None, None)


def diverged(epoch, k, batch_size, lr):
    """The error for a step whose loss or weight change is no longer finite."""
    where = "samples[%d]" % k if batch_size == 1 else "the batch starting at samples[%d]" % k
    return TinyBackpropError(
        "training diverged in epoch %d at %s: the loss or a weight change stopped being "
        "finite; the weights are kept from before that step. Try a smaller learning rate "
        "than lr=%r, or scale the inputs to mean 0 and standard deviation 1"
        % (epoch, where, lr))
