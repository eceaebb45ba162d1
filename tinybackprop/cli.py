"""The command line: ``python -m tinybackprop COMMAND``.

    demo    train a network on a bundled data set and print its progress
    export  write a model as a standalone Python module (for small devices)

The library never prints; this module does.  Errors in what the user gave
end in one line on stderr and exit status 2.
"""
import argparse
import os
import sys
import time

from .data import class_names, dataset_path, fit_scaling, load_classification, one_hot, scale, \
    stratified_split
from .errors import TinyBackpropError
from .export import module_source
from .modelfile import load, write_atomically
from .network import Network

# The demo's settings per data set: hidden layer, epochs, learning rate.
DEMO = {
    "digits": {"hidden": 32, "epochs": 15, "lr": 0.02,
               "source": "UCI optical digits (Alpaydin and Kaynak, 1998), CC BY 4.0"},
    "iris": {"hidden": 8, "epochs": 40, "lr": 0.02,
             "source": "Fisher's iris (1936), UCI, CC BY 4.0"},
}


def progress_line(record, epochs, samples_per_second):
    """One line of training progress for an epoch's history record."""
    line = "epoch %3d/%d  loss %.4f" % (record["epoch"], epochs, record["loss"])
    if record["accuracy"] is not None:
        line += "  train acc %.3f" % record["accuracy"]
    if record["val_accuracy"] is not None:
        line += "  test acc %.3f" % record["val_accuracy"]
    return line + "  %7.0f samples/s" % samples_per_second


def demo(args):
    """Train tanh + softmax on a bundled data set; print each epoch and the held-out accuracy."""
    settings = DEMO[args.data]
    epochs = args.epochs or settings["epochs"]
    xs, labels, _, _ = load_classification(dataset_path(args.data))
    classes = class_names(labels)
    train_idx, test_idx = stratified_split(labels, 0.2, seed=args.seed)
    scaling = fit_scaling([xs[k] for k in train_idx])  # statistics of the training part only
    samples = [(scale(scaling, xs[k]), one_hot(classes.index(labels[k]), len(classes)))
               for k in range(len(xs))]
    train = [samples[k] for k in train_idx]
    test = [samples[k] for k in test_idx]
    sizes = [len(xs[0]), settings["hidden"], len(classes)]
    net = Network(sizes, activations=["tanh", "softmax"], loss="cross_entropy", seed=args.seed)
    print("tinybackprop demo: %s, %d samples (%d to train, %d held out), %d classes; %s"
          % (args.data, len(xs), len(train), len(test), len(classes), settings["source"]))
    print("network %s, tanh then softmax, cross-entropy; per-sample SGD, lr %g, %d epochs"
          % (sizes, settings["lr"], epochs))
    clock = [time.time()]

    def report(record):
        now = time.time()
        print(progress_line(record, epochs, len(train) / max(now - clock[0], 1e-9)))
        clock[0] = time.time()  # the held-out evaluation is not training time

    net.train(train, epochs=epochs, lr=settings["lr"], seed=args.seed, validation=test,
              callback=report)
    accuracy = net.evaluate(test)[1]
    print("held-out accuracy: %.3f (%d of %d test samples right)"
          % (accuracy, round(accuracy * len(test)), len(test)))
    return 0


def export(args):
    """Write the model as a module with predict(x) that needs only math."""
    net = load(args.model)
    text = module_source(net, source=os.path.basename(args.model))
    if args.out is None:
        sys.stdout.write(text)
        return 0
    write_atomically(args.out, text)
    print("wrote %s (%d bytes): import it and call predict(x) with %d raw input values"
          % (args.out, len(text), net.sizes[0]))
    return 0


def parser():
    p = argparse.ArgumentParser(prog="python -m tinybackprop",
                                description="Backpropagation in pure Python.")
    commands = p.add_subparsers(dest="command", metavar="COMMAND")
    d = commands.add_parser("demo", help="train on a bundled data set and show the progress")
    d.add_argument("--data", choices=sorted(DEMO), default="digits",
                   help="the bundled data set (default: digits)")
    d.add_argument("--epochs", type=int, default=0, help="passes over the training part")
    d.add_argument("--seed", type=int, default=0, help="seed of the weights, split and shuffles")
    e = commands.add_parser("export", help="write a model as a standalone Python module")
    e.add_argument("model", metavar="MODEL.json", help="a model file saved by tinybackprop")
    e.add_argument("--out", metavar="FILE.py", help="where to write the module (default: stdout)")
    return p


def main(argv=None):
    p = parser()
    args = p.parse_args(argv)
    if args.command is None:
        p.print_help()
        return 2
    try:
        return {"demo": demo, "export": export}[args.command](args)
    except (TinyBackpropError, OSError) as e:
        print("tinybackprop %s: %s" % (args.command, e), file=sys.stderr)
        return 2
