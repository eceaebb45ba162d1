"""demo and train: a network trained on a bundled data set, or on a CSV file.

``fit``, ``split`` and DEFAULTS are train's own way to train, which the examples
and tools share (``tinybackprop.front.estimators`` does the work for both).
"""
import math
import os
import signal
import sys

from ...core.errors import TinyBackpropError
from ...core.network import loss_and_accuracy
from ...core.rng import Random
from ...data.columns import MAX_INTEGER_CLASSES, as_number, filled_text, gaps
from ...data.model import to_json
from ...data.rows import dataset_path, stratified_split
from ...data.tables import read_table
from ...seeing.plot import training_svg
from ...training.rules import rule_text
from ..estimators import DEFAULTS as MODEL_DEFAULTS
from ..estimators import (DEFAULT_LR, PREDICT_SETTINGS, SETTINGS, check_table_settings, choose_weight_decay,
                          plan_training, prepare as prepare_model, train_prepared)
from .common import FLAG_TYPES, check_outputs, dialect, names, shown, write_output
from .progress import Interrupted, Progress

DEMO = {
    "digits": {"hidden": [32], "epochs": 15, "lr": 0.02,
               "source": "UCI optical digits (Alpaydin and Kaynak, 1998), CC BY 4.0"},
    "iris": {"hidden": [8], "epochs": 40, "lr": 0.02,
             "source": "Fisher's iris (1936), UCI, CC BY 4.0"},
}

# The defaults of `train`: the estimators' (estimators.DEFAULTS), and the share held out.


DEFAULTS = dict(MODEL_DEFAULTS, test_split=0.2)


# -- Turning a table into samples, and a network ------------------------------

def split(table, test_split, seed):
    """(train, test) row indices: stratified for classes, a seeded shuffle otherwise."""
    m = len(table["rows"])
    if test_split == 0:
        return list(range(m)), []
    if table["classes"] is not None:
        return stratified_split(table["labels"], test_split, seed=seed)
    order = Random(seed).permutation(m)
    n_test = int(round(test_split * m))
    return sorted(order[n_test:]), sorted(order[:n_test])


def prepare(table, train_rows, test_rows, hidden, activation, seed, missing="error", decimal=".",
            categorical=(), keep=()):
    """(model, train, test, left_out): a Model of a new network for the table
    (``data.read_table``), with the preprocessing of the training rows, the rows as
    (x, y) samples, and the identifier columns left out (``estimators.prepare``)."""
    return prepare_model(table["features"], table["rows"], table["targets"], table["kind"],
                         train_rows, test_rows, hidden, activation, seed, missing,
                         target_name=table["target"], decimal=decimal, source=table["path"],
                         where=lambda k: "%s, line %d" % (table["path"], table["lines"][k]),
                         categorical=categorical, keep=keep)


def fit(table, train_rows, test_rows, callback=None, step_callback=None, **changes):
    """(model, history, held_out): a Model trained on the table's train_rows as `train`
    trains it, with DEFAULTS but for the changes (hidden=(8,), lr=0.1, ...), and its
    network's (mean loss, accuracy) on the held-out test_rows (None without them)."""
    settings = dict(DEFAULTS, **changes)
    model, train, test, left_out = prepare(
        table, train_rows, test_rows, settings["hidden"], settings["activation"], settings["seed"],
        settings["missing"], categorical=settings["category"] or (),
        keep=() if settings["identifiers"] == "leave_out" else None)
    net = model.network
    history, kept = train_prepared(net, plan_training(train, settings, net.loss), settings, callback, step_callback)
    return model, history, (loss_and_accuracy(net, test) if test else None)


def rmse_of(model, mean_squared_loss):
    """The RMSE in the target's own units, from a mean mse loss on scaled targets."""
    if mean_squared_loss is None:
        return None
    return math.sqrt(mean_squared_loss) * model.target_scaling["std"]


# -- The commands -------------------------------------------------------------------

def demo(args):
    """Train tanh + softmax on a bundled data set; print each epoch and the held-out accuracy."""
    settings = DEMO[args.data]
    epochs = args.epochs or settings["epochs"]
    table = read_table(dataset_path(args.data))
    train_rows, test_rows = split(table, 0.2, args.seed)
    sizes = [len(table["features"])] + settings["hidden"] + [len(table["classes"])]
    print("tinybackprop demo: %s, %d samples (%d to train, %d held out), %d classes; %s"
          % (args.data, len(table["rows"]), len(train_rows), len(test_rows), len(table["classes"]),
             settings["source"]))
    print("network %s, tanh then softmax, cross-entropy; per-sample SGD, lr %g, %d epochs"
          % (sizes, settings["lr"], epochs))
    model, train, test, left_out = prepare(table, train_rows, test_rows, settings["hidden"], "tanh", args.seed)
    net = model.network
    progress = Progress(epochs, len(train_rows), quiet=False, net=net, test=test)
    net.train(train, epochs=epochs, lr=settings["lr"], seed=args.seed, callback=progress.epoch_done,
              step_callback=progress.step)
    accuracy = loss_and_accuracy(net, test)[1]
    print("held-out accuracy: %.3f (%d of %d test samples right)"
          % (accuracy, round(accuracy * len(test_rows)), len(test_rows)))
    return 0


def train_command(args):
    """Train on a CSV file; print progress and the held-out result; save and plot."""
    if not 0.0 <= args.test_split < 1.0:
        raise TinyBackpropError("--test-split must be at least 0 and below 1, got %r" % args.test_split)
    settings = settings_of(args)
    try:
        check_table_settings(settings)  # before the table is read
    except TinyBackpropError as e:  # "lr is -1.0: ..." said as the flag it came from
        name = str(e).split(" ", 1)[0]
        if name not in settings:
            raise
        raise TinyBackpropError("--" + name.replace("_", "-") + str(e)[len(name):])
    check_outputs([("data file", args.data)], [("--save", args.save), ("--plot", args.plot)])
    report = sys.stderr if "-" in (args.save, args.plot) else sys.stdout  # stdout carries a file
    table = read_table(args.data, target=args.target, features=args.features, ignore=args.ignore,
                       id=args.id, kind=args.kind, missing=args.missing, delimiter=args.delimiter,
                       decimal=args.decimal)
    train_rows, test_rows = split(table, args.test_split, args.seed)
    if not train_rows:
        raise TinyBackpropError("%s: %d rows leave none to train on after --test-split %g"
                                % (args.data, len(table["rows"]), args.test_split))
    chosen = args.identifiers == "keep" or args.features is not None  # --features: each one kept
    model, train, test, left_out = prepare(table, train_rows, test_rows, args.hidden, args.activation, args.seed,
                                           args.missing, args.decimal, args.category or (),
                                           keep=None if chosen else ())
    if args.id is not None:
        model.id_name = args.id  # predict copies it into its output
    if args.target is None:  # said even with --quiet: a forgotten --target learns the wrong thing
        print("%s: no --target given, so the last column, %r, is the target (--target NAME names another)"
              % (args.data, table["target"]), file=report)
    for name in left_out:  # said even with --quiet, as the gaps below: they change what is learnt
        print("column %r %s: left out of the features (--features, or --identifiers keep, keeps it)"
              % (name, left_out[name]), file=report)
    if table["dropped"]:
        print("%s: %d rows with a missing value left out (--missing %s), %d kept"
              % (args.data, table["dropped"], args.missing, len(table["rows"])), file=report)
    filled = gaps(table["features"], table["rows"], model.columns) if args.missing == "mean" else {}
    if filled:
        print("%s: %s with the training rows' mean (in a text column, a category of its own, '(missing)'; "
              "--missing error refuses them)" % (args.data, filled_text(filled, model.columns)), file=report)
    net = model.network
    if args.test_split > 0.0 and not test_rows:
        raise TinyBackpropError("%s: --test-split %g holds out no rows (%d rows%s); give a larger "
                                "share, or --test-split 0 to train on all" % (
                                    args.data, args.test_split, len(table["rows"]),
                                    "" if table["classes"] is None else
                                    " in %d classes, each rounded on its own" % len(table["classes"])))
    plan = plan_training(train, settings, net.loss)
    regression = table["classes"] is None
    if not args.quiet:
        print(shown(table_summary(table, model, args.kind)) + "; %d to train, %d held out"
              % (len(train_rows), len(test_rows)), file=report)  # the names escaped: a header may hold ESC
        rate = "lr %.3g" % plan["lr"] + ("" if args.lr is not None or plan["lr"] == DEFAULT_LR else
                                         " (%g lowered for wide inputs; --lr sets it)" % DEFAULT_LR)
        print("network %s, %s hidden, %s; %s, %s%s, batch %d, %d epochs, seed %d"
              % (net.sizes, args.activation, "identity output, mse" if regression else "softmax, cross-entropy",
                 rule_text(settings["rule"], settings["momentum"], plan["weight_decay"]), rate,
                 "" if args.schedule == "constant" else " (%s)" % args.schedule,
                 args.batch_size, plan["epochs"], args.seed), file=report)
        print(plan["why"], file=report)
    if plan["weight_decay"] is None:  # chosen before the epochs, so that their times are theirs
        plan["weight_decay"], plan["decay_losses"] = choose_weight_decay(net, plan, settings)
        print("weight decay %g chosen (the loss on the rows set aside for it: %s)" % (
            plan["weight_decay"], ", ".join("%g: %.4g" % (decay, plan["decay_losses"][decay])
                                            for decay in sorted(plan["decay_losses"]))), file=report)
    progress = Progress(plan["epochs"], len(plan["train"]), args.quiet,
                        model.target_scaling["std"] if regression else None, report, net,
                        test if not args.quiet or args.plot else None)  # the held-out curve, shown or drawn
    previous = signal.signal(signal.SIGINT, progress.request_stop)
    try:
        history, kept = train_prepared(net, plan, settings, progress.epoch_done, progress.step)
    except Interrupted:
        return interrupted(args, progress, model)
    finally:
        signal.signal(signal.SIGINT, previous)
    if plan["validation"] is not None:
        print("kept epoch %d of %d, the lowest validation loss%s" % (
            kept, len(history), "; stopped after %d epochs without a lower one" % settings["patience"]
            if len(history) < plan["epochs"] else ""), file=report)
    if regression:
        part, value = ("held-out", loss_and_accuracy(net, test)[0]) if test_rows else \
            ("training", loss_and_accuracy(net, plan["train"])[0])
        print("%s RMSE: %.6g (in the units of %r)" % (part, rmse_of(model, value), table["target"]),
              file=report)  # %.6g, as evaluate prints it
    elif test_rows:
        accuracy = loss_and_accuracy(net, test)[1]
        print("held-out accuracy: %.3f (%d of %d right)" % (
            accuracy, round(accuracy * len(test_rows)), len(test_rows)), file=report)
    else:
        print("training accuracy: %.3f (no rows held out)" % loss_and_accuracy(net, plan["train"])[1],
              file=report)
    # Both texts first: a model that cannot be saved (say, a weight that is not finite)
    # stops the run before any file is written.
    text = to_json(model) if args.save else None
    plot = plot_of(model, table, history, args.data, args.decimal, progress.tests,
                   kept if plan["validation"] is not None else None) if args.plot else None
    if args.save:
        write_output(args.save, text)
        print("model saved to %s" % args.save, file=report)
    if args.plot:
        write_output(args.plot, plot)
        print("plot written to %s" % args.plot, file=report)
    return 0


def settings_of(args):
    """The settings (estimators.DEFAULTS' keys) the flags of train ask for."""
    # PREDICT_SETTINGS have no train flag: their defaults
    settings = dict((name, getattr(args, name, default)) for name, default, kind, text in SETTINGS)
    settings["hidden"] = tuple(settings["hidden"])
    if args.no_early_stopping:
        settings["patience"] = None
    return settings


def table_summary(table, model, asked):
    """One line: the rows, the features (and how they are encoded), what is predicted."""
    n = len(model.columns)  # the features learnt from (identifiers left out)
    categories = [c["name"] for c in model.columns if c["kind"] == "category"]
    line = "%s: %d rows, %d feature%s" % (table["path"], len(table["rows"]), n, "" if n == 1 else "s")
    if categories:
        line += " (%s one-hot: %d inputs)" % (", ".join(categories), model.network.sizes[0])
    if table["kind"] == "regression":
        line += ", regression of %r" % table["target"]
        distinct = set(table["ys"])
        if asked is None and all(v == int(v) for v in distinct):
            line += " (%d distinct whole numbers: --classification makes them classes)" % len(distinct)
        return line
    return line + ", %d classes of %r" % (len(table["classes"]), table["target"])


def interrupted(args, progress, model):
    """Ctrl-C: keep what was learned (saved with --save), say so, exit 130."""
    epoch, done = progress.position
    message = "interrupted in epoch %d after %d of %d samples" % (epoch, done, progress.m)
    if args.save:
        write_output(args.save, to_json(model))
        message += "; the model trained so far is saved to %s" % args.save
    else:
        message += "; nothing saved (no --save)"
    print("\n" + message, file=sys.stderr)
    return 130


def plot_of(model, table, history, path, decimal=".", held_out=None, kept=None):
    net = model.network
    title = "%s: %s" % (os.path.basename(path), net)
    regions = None
    if net.sizes[0] == 2 and len(model.columns) == 2 and table["classes"] is not None:
        xs = [[as_number(v, decimal) for v in row] for row in table["rows"]]
        keep = [k for k in range(len(xs)) if None not in xs[k]]  # missing values filled: not drawn
        regions = {"net": net, "scaling": model.scaling, "xs": [xs[k] for k in keep],
                   "labels": [table["labels"][k] for k in keep], "classes": table["classes"],
                   "feature_names": table["features"]}
    if table["classes"] is None:
        errors = ([rmse_of(model, h["loss"]) for h in history], [rmse_of(model, h["val_loss"]) for h in history],
                  [rmse_of(model, h[0]) for h in held_out or []])
        return training_svg(history, title, "RMSE", errors, regions, held_out, kept)
    return training_svg(history, title, regions=regions, held_out=held_out, kept=kept)


def add_commands(commands):
    """demo and train, with their flags."""
    d = commands.add_parser("demo", help="train on a bundled data set and show the progress")
    d.set_defaults(run=demo)
    d.add_argument("--data", choices=sorted(DEMO), default="digits",
                   help="the bundled data set (default: digits)")
    d.add_argument("--epochs", type=int, default=0, help="passes over the training part")
    d.add_argument("--seed", type=int, default=0, help="seed of the weights, split and shuffles")
    t = commands.add_parser("train", help="train on a CSV file (last column: the target)")
    t.set_defaults(run=train_command)
    t.add_argument("data", metavar="DATA.csv", help="the table: a header line, then one row per sample "
                   "(- for standard input)")
    t.add_argument("--save", metavar="MODEL.json", help="save the trained model here")
    t.add_argument("--target", metavar="NAME", help="the target column (default: the last)")
    kind = t.add_mutually_exclusive_group()
    kind.add_argument("--classification", dest="kind", action="store_const", const="classification",
                      help="the target holds classes (default: text, or at most %d distinct whole "
                           "numbers)" % MAX_INTEGER_CLASSES)
    kind.add_argument("--regression", dest="kind", action="store_const", const="regression",
                      help="the target is a number to predict (default: any other numbers)")
    t.add_argument("--features", type=names, metavar="A,B,...", help="only these columns are features")
    t.add_argument("--ignore", type=names, metavar="A,B,...", help="these columns are never features")
    t.add_argument("--id", metavar="NAME", help="a column that names each row (never a feature)")
    for name, default, kind, text in SETTINGS:  # the estimators' parameters, one flag each
        if name in PREDICT_SETTINGS:
            continue  # predict's and evaluate's flag, not train's
        flag = "--" + name.replace("_", "-")
        shown = ",".join(str(n) for n in default) if isinstance(default, (list, tuple)) else default
        text += "" if default is None else " (default: %s)" % shown
        if isinstance(kind, tuple):
            t.add_argument(flag, choices=kind, default=default, help=text)
        else:
            t.add_argument(flag, type=FLAG_TYPES.get(kind, kind), default=default, help=text,
                           metavar="A,B,..." if kind in FLAG_TYPES else name.upper())
    t.add_argument("--no-early-stopping", action="store_true",
                   help="train for all the epochs and keep the last")
    t.add_argument("--test-split", type=float, default=DEFAULTS["test_split"],
                   help="share of rows held out (stratified for classes; default: 0.2)")
    t.add_argument("--plot", metavar="FILE.svg", help="write learning curves (and, for two "
                   "features, the decision regions) as SVG")
    t.add_argument("--quiet", action="store_true", help="no per-epoch lines")
    dialect(t)
