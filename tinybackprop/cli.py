"""The command line: ``python -m tinybackprop COMMAND``.

    demo       train a network on a bundled data set and print its progress
    explain    one training step written out in the article's notation
    gradcheck  backprop against finite differences, with the cost of each
    export     write a model as a standalone Python module (for small devices)

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
from .trace import explain
from .export import module_source
from .gradcheck import TOLERANCE, gradient_check
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
    clock = [time.perf_counter()]

    def report(record):
        now = time.perf_counter()
        print(progress_line(record, epochs, len(train) / max(now - clock[0], 1e-9)))
        clock[0] = time.perf_counter()  # the held-out evaluation is not training time

    net.train(train, epochs=epochs, lr=settings["lr"], seed=args.seed, validation=test,
              callback=report)
    accuracy = net.evaluate(test)[1]
    print("held-out accuracy: %.3f (%d of %d test samples right)"
          % (accuracy, round(accuracy * len(test)), len(test)))
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
    """Print one SGD step of the network, every number shown."""
    net, x, y = network_and_sample(args)
    if args.precision < 0:
        raise TinyBackpropError("--precision must be 0 or more, got %d" % args.precision)
    print(explain(net, x, y, args.lr, format=args.format, precision=args.precision))
    return 0


def gradcheck(args):
    """Compare backprop with central differences; show what each cost."""
    net, x, y = network_and_sample(args)
    P = sum(len(W) * len(W[0]) + len(b) for W, b in zip(net.weights, net.biases))
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
    print("largest relative error: %.2e (tolerance %g): %s" % (error, TOLERANCE, verdict))
    return 0 if error < TOLERANCE else 1


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
    for name, function_help in (("explain", "one training step written out in the article's notation"),
                                ("gradcheck", "backprop against finite differences, with the cost of each")):
        c = commands.add_parser(name, help=function_help)
        c.add_argument("--sizes", type=sizes, default=[2, 3, 2], help="layer sizes (default: 2,3,2)")
        c.add_argument("--activations", default="sigmoid",
                       help="one name, or one per layer separated by commas (default: sigmoid)")
        c.add_argument("--loss", default="mse", help="mse, binary_cross_entropy or cross_entropy "
                                                     "(default: mse)")
        c.add_argument("--seed", type=int, default=0, help="seed of the initial weights (default: 0)")
        c.add_argument("--model", metavar="FILE", help="a saved model instead of a new network")
        c.add_argument("--x", type=numbers, help="the input, e.g. 0.5,-1 (default: 0.5,-1,0.5,...)")
        c.add_argument("--y", type=numbers, help="the target, e.g. 1,0 (default: 1,0,0,...)")
        if name == "explain":
            c.add_argument("--lr", type=float, default=0.5, help="learning rate η (default: 0.5)")
            c.add_argument("--format", choices=["text", "markdown"], default="text")
            c.add_argument("--precision", type=int, default=4, help="digits after the point (default: 4)")
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
        commands = {"demo": demo, "explain": explain_step, "gradcheck": gradcheck, "export": export}
        return commands[args.command](args)
    except (TinyBackpropError, OSError) as e:
        print("tinybackprop %s: %s" % (args.command, e), file=sys.stderr)
        return 2
