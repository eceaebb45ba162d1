"""predict and evaluate: a saved model's answers for the rows of a CSV file, and how right they are."""
import csv
import io
import math
import sys

from ...core.errors import TinyBackpropError
from ...core.network import predicted_class
from ...data.columns import as_number, check_names, class_index, class_places, filled_text, positions, unseen_text
from ...data.model import answer, finite_output, load as load_model, probabilities, x_of
from ...data.rows import read_csv
from .common import cell, check_outputs, dialect, shown, write_output


MAX_SHOWN_CLASSES = 50  # evaluate prints its confusion matrix for at most this many classes


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
    place = positions(header)
    if names is not None:
        missing = [name for name in names if name not in place]
        if missing:
            rows.close()
            raise TinyBackpropError("%s: no column %r, which the model %s was trained on; the "
                                    "header has %s" % (args.data, missing[0], args.model, ", ".join(header)))
        columns = [place[name] for name in names]
    elif len(header) in (n, n + 1):
        columns = list(range(n))  # no names stored: the first n columns, in order
    else:
        rows.close()
        raise TinyBackpropError("%s: %d columns, but the model %s takes %d inputs (and stores no "
                                "column names to match)" % (args.data, len(header), args.model, n))
    target = None
    if model.target_name in place:
        target = place[model.target_name]
    elif names is None and len(header) == n + 1:
        target = n
    identity = None
    if getattr(args, "id", None) is not None:
        if args.id not in place:
            rows.close()
            raise TinyBackpropError("%s: no column named %r (--id); the columns are %s"
                                    % (args.data, args.id, ", ".join(header)))
        identity = place[args.id]
    elif model.id_name in place:
        identity = place[model.id_name]  # the id column the model remembers
    return header, rows, columns, target, identity


def outputs_of(model, args, line, fields, columns, unseen, filled=None):
    """a^L of the model for one CSV row, its raw values made into x as the model says; a
    category it has not seen is none of the known, counted in unseen, and a gap filled in
    as the model says, counted in filled."""
    x = x_of(model, [fields[c] for c in columns], "%s, line %d" % (args.data, line), args.decimal, unseen,
             filled)
    return finite_output(model.network.predict(x), "%s, line %d" % (args.data, line), "a smaller --lr")


def predict_command(args):
    """CSV of predictions: the id (--id, or the model's id column), `prediction`, then one probability column per class."""
    check_outputs([("model file", args.model), ("data file", args.data)], [("--out", args.out)])
    model = load_model(args.model)
    header, rows, columns, _, identity = model_inputs(model, args)
    unseen, filled = {}, {}  # column: {value: rows}, the categories the model has not seen; column: gaps
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    first = [cell(header[identity])] if identity is not None else []
    n_out = model.network.sizes[len(model.network.sizes) - 1]
    if model.classes is not None:
        writer.writerow(first + ["prediction"] + [cell(str(name)) for name in model.classes])
    else:
        writer.writerow(first + (["prediction"] if n_out == 1 else ["output_%d" % i for i in range(n_out)]))
    count = 0
    for line, fields in rows:
        a = outputs_of(model, args, line, fields, columns, unseen, filled)
        first = [cell(fields[identity])] if identity is not None else []
        if model.classes is not None:
            writer.writerow(first + [cell(str(answer(model, a)))] + ["%.6g" % p for p in probabilities(a)])
        else:
            value = answer(model, a)
            writer.writerow(first + (["%r" % v for v in value] if isinstance(value, list) else ["%r" % value]))
        count += 1
    report_filled_and_unseen(args, model, unseen, filled)  # before anything is written: with --unseen error, nothing is
    write_output(args.out or "-", out.getvalue())
    if args.out not in (None, "-"):
        print("%d predictions written to %s" % (count, args.out), file=sys.stderr)
    return 0


def evaluate_command(args):
    """Accuracy and a confusion matrix, or RMSE and MAE, of a model on a CSV with targets."""
    model = load_model(args.model)
    header, rows, columns, target, _ = model_inputs(model, args)
    unseen, filled = {}, {}
    if target is None:
        rows.close()
        raise TinyBackpropError("%s: no target column %r to compare the predictions with"
                                % (args.data, model.target_name))
    if model.classes is not None:
        n = len(model.classes)
        confusion = {}  # (true, predicted): rows; only the pairs met (a model file may name 15,000 classes)
        count = 0
        places = class_places(model.classes)
        for line, fields in rows:
            count += 1
            where = "%s, line %d, column %r" % (args.data, line, header[target])
            pair = (class_index(model.classes, fields[target], where, places),
                    predicted_class(outputs_of(model, args, line, fields, columns, unseen, filled)))
            confusion[pair] = confusion.get(pair, 0) + 1
        report_filled_and_unseen(args, model, unseen, filled)
        right = sum(confusion.get((i, i), 0) for i in range(n))
        print("accuracy: %.3f (%d of %d right)" % (right / count, right, count))
        if n > MAX_SHOWN_CLASSES:
            print("confusion matrix left out: %d classes, more than the %d a matrix is shown for"
                  % (n, MAX_SHOWN_CLASSES))
            return 0
        names = [shown(str(c)) for c in model.classes]  # control characters escaped for the terminal
        width = max(max(len(c) for c in names), len(str(count)), 4)
        print("confusion matrix (rows: true class, columns: predicted):")
        print(" " * width + "  " + "  ".join("%*s" % (width, c) for c in names))
        for i in range(n):
            print("%*s  " % (width, names[i]) + "  ".join("%*d" % (width, confusion.get((i, j), 0))
                                                         for j in range(n)))
        return 0
    squares = absolutes = 0.0
    count = 0
    for line, fields in rows:
        true = as_number(fields[target], args.decimal)
        if true is None or not math.isfinite(true):
            raise TinyBackpropError("%s, line %d, column %r: %r is not a finite number"
                                    % (args.data, line, header[target], fields[target]))
        error = answer(model, outputs_of(model, args, line, fields, columns, unseen, filled)) - true
        squares += error * error
        absolutes += abs(error)
        count += 1
    report_filled_and_unseen(args, model, unseen, filled)
    print("RMSE: %.6g  MAE: %.6g  (%d rows, in the units of %r)"
          % (math.sqrt(squares / count), absolutes / count, count, header[target]))
    return 0


def report_filled_and_unseen(args, model, unseen, filled):
    """The categories the model had not seen, counted per column: one line on standard
    error (each taken as none of the known), or with --unseen error, the error; and the
    gaps filled in, one line."""
    if filled:
        print("%s: %s with the model's values from training" % (args.data, filled_text(filled, model.columns)),
              file=sys.stderr)
    if not unseen:
        return
    if args.unseen == "error":
        raise TinyBackpropError("%s: categories the model has not seen: %s; --unseen zeros takes each "
                                "as none of the known" % (args.data, unseen_text(unseen, model.columns)))
    print("%s: categories the model has not seen, each taken as none of the known: %s"
          % (args.data, unseen_text(unseen, model.columns)), file=sys.stderr)


def add_commands(commands):
    """predict and evaluate, with their flags."""
    for name, run, function_help in (("predict", predict_command, "predictions of a model for a CSV file"),
                                     ("evaluate", evaluate_command,
                                      "accuracy and confusion matrix (or RMSE) on a CSV file")):
        c = commands.add_parser(name, help=function_help)
        c.set_defaults(run=run)
        c.add_argument("model", metavar="MODEL.json", help="a model saved by train")
        c.add_argument("data", metavar="DATA.csv", help="the rows, with the model's columns (- for "
                       "standard input)")
        c.add_argument("--unseen", choices=("zeros", "error"), default="zeros",
                       help="a category the model has not seen: zeros, none of the known (counted "
                            "on standard error; the default), or error, every such value listed")
        if name == "predict":
            c.add_argument("--out", metavar="FILE", help="write the CSV here (default: stdout)")
            c.add_argument("--id", metavar="NAME", help="copy this column into the predictions, first "
                           "(default: the model's id column, when the file has it)")
        dialect(c)
