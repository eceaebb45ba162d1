"""The command line: ``python -m tinybackprop COMMAND``.

    demo       train a network on a bundled data set and print its progress
    train      train on a CSV file; save the model, plot the learning curves
    predict    a model's predictions for a CSV file
    evaluate   a model's accuracy and confusion matrix (or RMSE) on a CSV file
    explain    one training step written out in the article's notation
    gradcheck  backprop against finite differences, with the cost of each
    unroll     one SGD step of a small network as scalar statements
    export     write a model for small devices: Python, integer-only Python, or C

The library never prints; this module does.  Errors in what the user gave
end in one line on stderr and exit status 2.
"""
import argparse
import csv
import io
import math
import os
import signal
import sys
import time

from ..version import __version__
from ..data.rows import dataset_path, read_csv, stratified_split
from ..data.tables import read_table
from .estimators import DEFAULTS as MODEL_DEFAULTS
from .estimators import SETTINGS, check_table_settings, plan_training, prepare as prepare_model, train_prepared
from ..core.activations import ACTIVATIONS
from ..core.checks import parameter_count
from ..core.losses import LOSSES
from ..core.errors import TinyBackpropError
from ..export.sources import c_header_source, int8_module_source, module_source
from ..training.gradcheck import TOLERANCE, gradient_check
from ..training.rules import rule_text
from ..files.atomic import write_atomically
from ..core.network import loss_and_accuracy, predicted_class
from ..network import Network, load
from ..data.model import answer, load as load_model, probabilities, to_json, x_of
from ..data.columns import MAX_INTEGER_CLASSES, as_number, check_names, class_index
from ..seeing.plot import training_svg
from ..core.rng import Random
from ..seeing.picture import all_stages_svg, step_page
from ..seeing.trace import explain
from ..fast.unroll import UNROLL_MAX, can_unroll, step_source

# The demo's settings per bundled data set.
DEMO = {
    "digits": {"hidden": [32], "epochs": 15, "lr": 0.02,
               "source": "UCI optical digits (Alpaydin and Kaynak, 1998), CC BY 4.0"},
    "iris": {"hidden": [8], "epochs": 40, "lr": 0.02,
             "source": "Fisher's iris (1936), UCI, CC BY 4.0"},
}

# The defaults of `train`: the estimators' (estimators.DEFAULTS), and the share held out.
DEFAULTS = dict(MODEL_DEFAULTS, test_split=0.2)


class Interrupted(Exception):
    """Ctrl-C, acted on between two training steps."""


class Terminated(BaseException):
    """SIGTERM: raised where the program is, so that every cleanup runs (no file left half
    written, no temporary file left); main ends with status 143."""


def terminate(signum, frame):
    raise Terminated()


# -- Files the commands write ------------------------------------------------------

def write_output(path, text):
    """Write text to the file path, whole or not at all; "-" is standard output."""
    if path == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_atomically(path, text)


def check_outputs(inputs, outputs):
    """Before any work: every output, a (flag, path) pair (path None: not asked for, "-":
    standard output), must be a file name in a folder that exists, and name neither an
    input, a (flag, path) pair, nor another output, links resolved."""
    named = []
    for flag, path in outputs:
        if path is None or path == "-":
            continue
        if path == "":
            raise TinyBackpropError("%s is empty: give a file name, or - for standard output" % flag)
        real = os.path.realpath(path)
        folder = os.path.dirname(real)
        if not os.path.isdir(folder):
            raise TinyBackpropError("%s %s: the folder %s does not exist" % (flag, path, folder))
        for input_flag, input_path in inputs:
            if same_file(real, input_path):
                raise TinyBackpropError("%s %s is the %s this command reads: it would be replaced; "
                                        "give another file name" % (flag, path, input_flag))
        for other_flag, other in named:
            if real == other:
                raise TinyBackpropError("%s and %s name one file, %s: give each its own" % (other_flag, flag, path))
        named.append((flag, real))


def same_file(a, b):
    """Do paths a and b name one file (through links, or as hard links of one file)?"""
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist
        return False


def cell(text):
    """A CSV cell for a name from the data: one that a spreadsheet would run as a formula
    (starting with =, +, -, @, a tab or a carriage return) gets a leading ', unless it is
    a number."""
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text


def shown(name):
    """name for a terminal: control characters (which could move the cursor, or worse)
    written as escapes."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in name)


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
            categorical=()):
    """(model, train, test): a Model of a new network for the table (``data.read_table``),
    with the preprocessing of the training rows, and the rows as (x, y) samples."""
    return prepare_model(table["features"], table["rows"], table["targets"], table["kind"],
                         train_rows, test_rows, hidden, activation, seed, missing,
                         target_name=table["target"], decimal=decimal, source=table["path"],
                         where=lambda k: "%s, line %d" % (table["path"], table["lines"][k]),
                         categorical=categorical)


def fit(table, train_rows, test_rows, callback=None, step_callback=None, **changes):
    """(model, history, held_out): a Model trained on the table's train_rows as `train`
    trains it, with DEFAULTS but for the changes (hidden=(8,), lr=0.1, ...), and its
    network's (mean loss, accuracy) on the held-out test_rows (None without them)."""
    settings = dict(DEFAULTS, **changes)
    model, train, test = prepare(table, train_rows, test_rows, settings["hidden"], settings["activation"],
                                 settings["seed"], settings["missing"], categorical=settings["category"] or ())
    net = model.network
    history, kept = train_prepared(net, plan_training(train, settings), settings, callback, step_callback)
    return model, history, (loss_and_accuracy(net, test) if test else None)


def rmse_of(model, mean_squared_loss):
    """The RMSE in the target's own units, from a mean mse loss on scaled targets."""
    if mean_squared_loss is None:
        return None
    return math.sqrt(mean_squared_loss) * model.target_scaling["std"]


# -- Progress ---------------------------------------------------------------------

def progress_line(record, epochs, samples_per_second, seconds_left, regression_std=None, test=None):
    """One line of training progress for an epoch's history record: the training part,
    the validation part early stopping watches (val), and the held-out part (test, a
    (mean loss, accuracy) pair, or None), which only the line sees."""
    line = "epoch %3d/%d  loss %.4f" % (record["epoch"], epochs, record["loss"])
    parts = (("train", record["loss"], record["accuracy"]), ("val", record["val_loss"], record["val_accuracy"]),
             ("test",) + (tuple(test) if test is not None else (None, None)))
    for name, loss, accuracy in parts:
        if regression_std is not None and loss is not None:
            line += "  %s rmse %.4g" % (name, math.sqrt(loss) * regression_std)
        elif regression_std is None and accuracy is not None:
            line += "  %s acc %.3f" % (name, accuracy)
    return line + "  %7.0f samples/s  %s left" % (samples_per_second, duration(seconds_left))


def duration(seconds):
    seconds = int(round(seconds))
    if seconds >= 3600:
        return "%d:%02d:%02d" % (seconds // 3600, seconds // 60 % 60, seconds % 60)
    return "%d:%02d" % (seconds // 60, seconds % 60)


class Progress:
    """Prints one line per epoch and, on a terminal, a bar within long epochs; turns a
    requested stop (Ctrl-C) into Interrupted between two steps."""

    BAR = 30

    def __init__(self, epochs, m, quiet, regression_std=None, stream=None, net=None, test=None):
        self.epochs, self.m, self.quiet, self.regression_std = epochs, m, quiet, regression_std
        self.net, self.test = net, test  # the held-out part, shown each epoch
        self.tests = []  # its (loss, accuracy) after each epoch, for the plot
        self.stream = stream or sys.stdout  # standard error where standard output carries a file
        self.live = not quiet and self.stream.isatty()
        self.started = self.epoch_started = time.perf_counter()
        self.training_seconds = 0.0
        self.stop_requested = False
        self.last_bar = 0.0
        self.position = (0, 0)

    def request_stop(self, signum=None, frame=None):
        self.stop_requested = True

    def step(self, epoch, done):
        self.position = (epoch, done)
        if self.stop_requested:
            raise Interrupted()
        if self.live and time.perf_counter() - self.last_bar > 0.1:
            self.last_bar = time.perf_counter()
            filled = self.BAR * done // self.m
            self.stream.write("\repoch %3d/%d [%s%s] %3d%%" % (epoch, self.epochs, "#" * filled,
                                                              "." * (self.BAR - filled), 100 * done // self.m))
            self.stream.flush()

    def epoch_done(self, record):
        now = time.perf_counter()
        seconds = max(now - self.epoch_started, 1e-9)
        self.training_seconds += seconds
        left = (self.epochs - record["epoch"]) * (now - self.started) / record["epoch"]
        if not self.quiet:
            if self.live:
                self.stream.write("\r" + " " * (self.BAR + 20) + "\r")
            test = loss_and_accuracy(self.net, self.test) if self.test else None
            if test is not None:
                self.tests.append(test)
            print(progress_line(record, self.epochs, self.m / seconds, left, self.regression_std, test),
                  file=self.stream)
            self.stream.flush()
        self.epoch_started = time.perf_counter()  # the held-out evaluation is not training time


# -- Commands ---------------------------------------------------------------------

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
    model, train, test = prepare(table, train_rows, test_rows, settings["hidden"], "tanh", args.seed)
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
    model, train, test = prepare(table, train_rows, test_rows, args.hidden, args.activation, args.seed,
                                 args.missing, args.decimal, args.category or ())
    net = model.network
    if args.test_split > 0.0 and not test_rows:
        raise TinyBackpropError("%s: --test-split %g holds out no rows (%d rows%s); give a larger "
                                "share, or --test-split 0 to train on all" % (
                                    args.data, args.test_split, len(table["rows"]),
                                    "" if table["classes"] is None else
                                    " in %d classes, each rounded on its own" % len(table["classes"])))
    plan = plan_training(train, settings)
    regression = table["classes"] is None
    if not args.quiet:
        print(table_summary(table, model, args.kind) + "; %d to train, %d held out"
              % (len(train_rows), len(test_rows)), file=report)
        print("network %s, %s hidden, %s; %s, lr %g%s, batch %d, %d epochs, seed %d"
              % (net.sizes, args.activation, "identity output, mse" if regression else "softmax, cross-entropy",
                 rule_text(settings["rule"], settings["momentum"], settings["weight_decay"]), args.lr, "" if args.schedule == "constant" else " (%s)" % args.schedule,
                 args.batch_size, plan["epochs"], args.seed), file=report)
        print(plan["why"], file=report)
    progress = Progress(plan["epochs"], len(plan["train"]), args.quiet,
                        model.target_scaling["std"] if regression else None, report, net, test)
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
        print("%s RMSE: %.4g (in the units of %r)" % (part, rmse_of(model, value), table["target"]), file=report)
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
    settings = dict((name, getattr(args, name)) for name, default, kind, text in SETTINGS)
    settings["hidden"] = tuple(settings["hidden"])
    if args.no_early_stopping:
        settings["patience"] = None
    return settings


def table_summary(table, model, asked):
    """One line: the rows, the features (and how they are encoded), what is predicted."""
    n = len(table["features"])
    categories = [c["name"] for c in model.columns if c["kind"] == "category"]
    line = "%s: %d rows, %d feature%s" % (table["path"], len(table["rows"]), n, "" if n == 1 else "s")
    if categories:
        line += " (%s one-hot: %d inputs)" % (", ".join(categories), model.network.sizes[0])
    if table["dropped"]:
        line += ", %d rows with a missing value left out" % table["dropped"]
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


def model_inputs(model, args):
    """(header, rows, columns, target column or None, id column or None) of a CSV for
    a model: the columns are those the model was trained on, found by name."""
    header, rows = read_csv(args.data, args.delimiter)
    try:
        check_names(header, args.data)
    except TinyBackpropError:
        rows.close()
        raise
    n = model.network.sizes[0]
    names = [c["name"] for c in model.columns] if model.columns is not None else model.feature_names
    if names is not None:
        missing = [name for name in names if name not in header]
        if missing:
            rows.close()
            raise TinyBackpropError("%s: no column %r, which the model %s was trained on; the "
                                    "header has %s" % (args.data, missing[0], args.model, ", ".join(header)))
        columns = [header.index(name) for name in names]
    elif len(header) in (n, n + 1):
        columns = list(range(n))  # no names stored: the first n columns, in order
    else:
        rows.close()
        raise TinyBackpropError("%s: %d columns, but the model %s takes %d inputs (and stores no "
                                "column names to match)" % (args.data, len(header), args.model, n))
    target = None
    if model.target_name is not None and model.target_name in header:
        target = header.index(model.target_name)
    elif names is None and len(header) == n + 1:
        target = n
    identity = None
    if getattr(args, "id", None) is not None:
        if args.id not in header:
            rows.close()
            raise TinyBackpropError("%s: no column named %r (--id); the columns are %s"
                                    % (args.data, args.id, ", ".join(header)))
        identity = header.index(args.id)
    return header, rows, columns, target, identity


def outputs_of(model, args, line, fields, columns):
    """a^L of the model for one CSV row, its raw values made into x as the model says."""
    x = x_of(model, [fields[c] for c in columns], "%s, line %d" % (args.data, line), args.decimal)
    a = model.network.predict(x)
    for v in a:
        if not math.isfinite(v):
            raise TinyBackpropError("%s, line %d: the model's output is %r, not a finite number: the "
                                    "model has diverged; train it again with a smaller --lr"
                                    % (args.data, line, v))
    return a


def predict_command(args):
    """CSV of predictions: the id (with --id), `prediction`, then one probability column per class."""
    check_outputs([("model file", args.model), ("data file", args.data)], [("--out", args.out)])
    model = load_model(args.model)
    header, rows, columns, _, identity = model_inputs(model, args)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    first = [cell(args.id)] if identity is not None else []
    n_out = model.network.sizes[len(model.network.sizes) - 1]
    if model.classes is not None:
        writer.writerow(first + ["prediction"] + [cell(str(name)) for name in model.classes])
    else:
        writer.writerow(first + (["prediction"] if n_out == 1 else ["output_%d" % i for i in range(n_out)]))
    count = 0
    for line, fields in rows:
        a = outputs_of(model, args, line, fields, columns)
        first = [cell(fields[identity])] if identity is not None else []
        if model.classes is not None:
            writer.writerow(first + [cell(str(answer(model, a)))] + ["%.6g" % p for p in probabilities(a)])
        else:
            value = answer(model, a)
            writer.writerow(first + (["%r" % v for v in value] if isinstance(value, list) else ["%r" % value]))
        count += 1
    write_output(args.out or "-", out.getvalue())
    if args.out not in (None, "-"):
        print("%d predictions written to %s" % (count, args.out), file=sys.stderr)
    return 0


def evaluate_command(args):
    """Accuracy and a confusion matrix, or RMSE and MAE, of a model on a CSV with targets."""
    model = load_model(args.model)
    header, rows, columns, target, _ = model_inputs(model, args)
    if target is None:
        rows.close()
        raise TinyBackpropError("%s: no target column %r to compare the predictions with"
                                % (args.data, model.target_name))
    if model.classes is not None:
        n = len(model.classes)
        confusion = [[0] * n for _ in range(n)]  # confusion[true][predicted]
        count = 0
        for line, fields in rows:
            count += 1
            where = "%s, line %d, column %r" % (args.data, line, header[target])
            true = class_index(model.classes, fields[target], where)
            a = outputs_of(model, args, line, fields, columns)
            confusion[true][predicted_class(a)] += 1
        right = sum(confusion[i][i] for i in range(n))
        print("accuracy: %.3f (%d of %d right)" % (right / count, right, count))
        names = [shown(str(c)) for c in model.classes]  # control characters escaped for the terminal
        width = max(max(len(c) for c in names), len(str(count)), 4)
        print("confusion matrix (rows: true class, columns: predicted):")
        print(" " * width + "  " + "  ".join("%*s" % (width, c) for c in names))
        for i in range(n):
            print("%*s  " % (width, names[i]) + "  ".join("%*d" % (width, v) for v in confusion[i]))
        return 0
    squares = absolutes = 0.0
    count = 0
    for line, fields in rows:
        true = as_number(fields[target], args.decimal)
        if true is None or not math.isfinite(true):
            raise TinyBackpropError("%s, line %d, column %r: %r is not a finite number"
                                    % (args.data, line, header[target], fields[target]))
        error = answer(model, outputs_of(model, args, line, fields, columns)) - true
        squares += error * error
        absolutes += abs(error)
        count += 1
    print("RMSE: %.6g  MAE: %.6g  (%d rows, in the units of %r)"
          % (math.sqrt(squares / count), absolutes / count, count, header[target]))
    return 0


def numbers(text):
    """A comma-separated list of numbers, for argparse: "0.5,-1" -> [0.5, -1.0]."""
    try:
        return [float(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError("%r is not a comma-separated list of numbers" % text)


def sizes(text):
    """A comma-separated list of layer sizes, for argparse: "2,3,2" -> [2, 3, 2]."""
    try:
        return [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError("%r is not a comma-separated list of integers" % text)


def network_and_sample(args):
    """The network (from --model, or --sizes/--activations/--loss/--seed) and the
    sample (--x, --y; by default x = 0.5, -1, 0.5, ... and y one-hot on output 0)."""
    if args.model:
        net = load(args.model)
    else:
        activations = args.activations.split(",")
        net = Network(args.sizes, activations[0] if len(activations) == 1 else activations,
                      args.loss, seed=args.seed)
    x = args.x if args.x is not None else [0.5 if j % 2 == 0 else -1.0 for j in range(net.sizes[0])]
    y = args.y if args.y is not None else [1.0] + [0.0] * (net.sizes[-1] - 1)
    return net, x, y


def explain_step(args):
    """Write one SGD step of the network, every number shown: text, Markdown, an HTML
    page or an SVG picture."""
    check_outputs([("--model", args.model)] if args.model else [], [("--out", args.out)])
    net, x, y = network_and_sample(args)
    if args.precision < 0:
        raise TinyBackpropError("--precision must be 0 or more, got %d" % args.precision)
    if args.format == "html":
        text = step_page(net, x, y, args.lr, args.precision)
    elif args.format == "svg":
        text = all_stages_svg(net, x, y, args.lr, args.precision)
    else:
        text = explain(net, x, y, args.lr, format=args.format, precision=args.precision) + "\n"
    write_output(args.out or "-", text)
    if args.out not in (None, "-"):
        print("wrote %s (%d bytes)" % (args.out, len(text.encode("utf-8"))))
    return 0


def unroll_step(args):
    """Print one per-sample SGD step of the network as scalar statements (tinybackprop.fast.unroll)."""
    net, x, y = network_and_sample(args)
    if not can_unroll(net):
        raise TinyBackpropError("unroll writes out networks of at most %d neurons a layer, with a "
                                "softmax only at the output; %r is not one" % (UNROLL_MAX, net))
    print(step_source(net), end="")
    return 0


def gradcheck(args):
    """Compare backprop with central differences; show what each cost."""
    net, x, y = network_and_sample(args)
    P = parameter_count(net.sizes)
    start = time.perf_counter()
    repeats = 0
    while repeats < 1 or time.perf_counter() - start < 0.2:  # repeat: one backprop is too quick to time
        net.backprop(x, y)
        repeats += 1
    backprop_seconds = (time.perf_counter() - start) / repeats
    start = time.perf_counter()
    error = gradient_check(net, x, y)
    check_seconds = time.perf_counter() - start - backprop_seconds
    print("network %r, %d parameters" % (net, P))
    print("backprop:             1 forward + 1 backward pass   %10.3f ms" % (backprop_seconds * 1e3))
    print("central differences:  %d forward passes (2 per parameter)   %10.3f ms  (%.0f times as long)"
          % (2 * P, check_seconds * 1e3, check_seconds / backprop_seconds))
    verdict = "backprop is right" if error < TOLERANCE else "backprop and the differences DISAGREE"
    print("largest relative error: %.2e (tolerance %.1e): %s" % (error, TOLERANCE, verdict))
    return 0 if error < TOLERANCE else 1


EXPORTS = {  # --format: (the text's maker, how to use what was written)
    "python": (lambda model, path: module_source(model, source=os.path.basename(path)),
               "import it and call predict(x) with %d raw input values"),
    "int8": (lambda model, path: int8_module_source(model),
             "import it and call predict(x) with %d raw input values (integer arithmetic only)"),
    "c": (lambda model, path: c_header_source(model),
          "include it in one .c file and call tb_predict(x, out) with %d raw input values "
          "(tb_predict_int8 for integers only, where it was written)"),
}


def export(args):
    """Write the model as a standalone Python module, an integer-only module, or a C header."""
    check_outputs([("model file", args.model)], [("--out", args.out)])
    model = load_model(args.model)
    make_text, usage = EXPORTS[args.format]
    text = make_text(model, args.model)
    write_output(args.out or "-", text)
    if args.out in (None, "-"):
        return 0
    print("wrote %s (%d bytes): %s" % (args.out, len(text), usage % model.network.sizes[0]))
    return 0


def hidden_sizes(text):
    """--hidden: "32" or "32,16" -> [32] or [32, 16]."""
    layers = sizes(text)
    if any(n < 1 for n in layers):
        raise argparse.ArgumentTypeError("every hidden layer needs at least 1 neuron, got %r" % text)
    return layers


def names(text):
    """A comma-separated list of column names, for argparse: "a,b" -> ["a", "b"]."""
    return [part.strip() for part in text.split(",")]


def delimiter(text):
    """--delimiter: one character; "tab" or "\\t" for a tab."""
    text = "\t" if text in ("tab", "\\t") else text
    if len(text) != 1 or text in ('"', "\r", "\n"):
        raise argparse.ArgumentTypeError("%r: give one character, such as ; or tab" % text)
    return text


def dialect(p):
    """The flags that say how a CSV file is written."""
    p.add_argument("--delimiter", metavar="C", type=delimiter, help="the field separator (default: the most frequent "
                   "of , ; tab | in the header)")
    p.add_argument("--decimal", default=".", choices=[".", ","],
                   help="the decimal mark of the numbers (default: .)")


FLAG_TYPES = {"sizes": hidden_sizes, "names": names}  # a setting's kind: how its flag's text is read


def program_name():
    """How the program was started: "tinybackprop", or "python -m tinybackprop"."""
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return "python -m tinybackprop" if name in ("", "__main__.py", "-c") else name


def parser():
    p = argparse.ArgumentParser(prog=program_name(), description="Backpropagation in pure Python.")
    p.add_argument("--version", action="version", version="tinybackprop " + __version__)
    commands = p.add_subparsers(dest="command", metavar="COMMAND")
    d = commands.add_parser("demo", help="train on a bundled data set and show the progress")
    d.add_argument("--data", choices=sorted(DEMO), default="digits",
                   help="the bundled data set (default: digits)")
    d.add_argument("--epochs", type=int, default=0, help="passes over the training part")
    d.add_argument("--seed", type=int, default=0, help="seed of the weights, split and shuffles")
    t = commands.add_parser("train", help="train on a CSV file (last column: the target)")
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
    for name, function_help in (("predict", "predictions of a model for a CSV file"),
                                ("evaluate", "accuracy and confusion matrix (or RMSE) on a CSV file")):
        c = commands.add_parser(name, help=function_help)
        c.add_argument("model", metavar="MODEL.json", help="a model saved by train")
        c.add_argument("data", metavar="DATA.csv", help="the rows, with the model's columns (- for "
                       "standard input)")
        if name == "predict":
            c.add_argument("--out", metavar="FILE", help="write the CSV here (default: stdout)")
            c.add_argument("--id", metavar="NAME", help="copy this column into the predictions, first")
        dialect(c)
    for name, function_help in (("explain", "one training step written out in the article's notation"),
                                ("gradcheck", "backprop against finite differences, with the cost of each"),
                                ("unroll", "one SGD step of a small network as scalar statements")):
        c = commands.add_parser(name, help=function_help)
        c.add_argument("--sizes", type=sizes, default=[2, 3, 2], help="layer sizes (default: 2,3,2)")
        c.add_argument("--activations", default="sigmoid",
                       help="one of %s, or one per layer separated by commas (default: sigmoid)"
                            % ", ".join(sorted(ACTIVATIONS)))
        c.add_argument("--loss", default="mse", choices=sorted(LOSSES), help="the loss (default: mse)")
        c.add_argument("--seed", type=int, default=0, help="seed of the initial weights (default: 0)")
        c.add_argument("--model", metavar="FILE", help="a saved model instead of a new network")
        c.add_argument("--x", type=numbers, help="the input, e.g. 0.5,-1 (default: 0.5,-1,0.5,...)")
        c.add_argument("--y", type=numbers, help="the target, e.g. 1,0 (default: 1,0,0,...)")
        if name == "explain":
            c.add_argument("--lr", type=float, default=0.5, help="learning rate η (default: 0.5)")
            c.add_argument("--format", choices=["text", "markdown", "html", "svg"], default="text",
                           help="plain text for a terminal (the default), Markdown, html: one page "
                                "to step through in a browser, svg: the three stages as one picture")
            c.add_argument("--out", metavar="FILE", help="write it here (default: stdout)")
            c.add_argument("--precision", type=int, default=4, help="digits after the point (default: 4)")
    e = commands.add_parser("export", help="write a model as a standalone Python module, an "
                            "integer-only module or a C header")
    e.add_argument("model", metavar="MODEL.json", help="a model file saved by tinybackprop")
    e.add_argument("--format", choices=sorted(EXPORTS), default="python",
                   help="python: a module that needs only math (the default); int8: a module that "
                        "predicts with integer arithmetic only (classifiers with tanh or sigmoid "
                        "hidden layers); c: one C header with float and int8 predict functions")
    e.add_argument("--out", metavar="FILE", help="where to write it (default: stdout)")
    return p


COMMANDS = {"demo": demo, "train": train_command, "predict": predict_command,
            "evaluate": evaluate_command, "explain": explain_step, "gradcheck": gradcheck,
            "unroll": unroll_step, "export": export}


def main(argv=None):
    p = parser()
    args = p.parse_args(argv)
    if args.command is None:
        p.print_help()
        return 2
    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        return COMMANDS[args.command](args)
    except (TinyBackpropError, TypeError, ValueError) as e:
        print("tinybackprop %s: %s" % (args.command, e), file=sys.stderr)
    except BrokenPipeError:  # the reader stopped reading (| head): nothing more to say
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error at exit
        except (OSError, ValueError):
            pass
        return 141
    except OSError as e:
        where = " %r" % e.filename if getattr(e, "filename", None) else ""
        print("tinybackprop %s: cannot use%s: %s" % (args.command, where, e.strerror or e),
              file=sys.stderr)
    except KeyboardInterrupt:  # Ctrl-C outside training (which stops between two steps)
        print("\ntinybackprop %s: interrupted (a file is written whole or not at all)" % args.command,
              file=sys.stderr)
        return 130
    except Terminated:
        print("\ntinybackprop %s: terminated (a file is written whole or not at all)" % args.command,
              file=sys.stderr)
        return 143
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 2
