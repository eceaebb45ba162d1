"""The playground's Python side: what the page's worker runs beside the library's files.

The worker writes the library into the runtime's file system (/lib/tinybackprop)
and this file as /lib/playground_driver.py, then calls run(config, report, picture)
with the page's settings as JSON text; report(text) sends each epoch's record as
JSON, and picture(svg) the library's own picture of the training so far (loss,
accuracy and, for two inputs, the decision regions), back to the page as training
goes on.  Then step(k) makes one SGD step of the trained network on sample k and
returns every number of it with the pictures and the source lines of each stage.
"""
import json

import tinybackprop as tb
from tinybackprop.data import toy
from tinybackprop.data.rows import (class_names, dataset_path, fit_scaling, load_classification, one_hot,
                                    standardise)
from tinybackprop.seeing.picture import network_svg
from tinybackprop.seeing.plot import training_svg
from tinybackprop.seeing.trace import trace
from tinybackprop.training.defaults import SETTINGS

POINTS, NOISE, SEED = 200, 0.1, 1  # the generated sets: 200 points, a little noise, drawn with seed 1


def iris():
    """The bundled iris: 150 flowers' four measurements, standardised, and species."""
    xs, labels, features, target = load_classification(dataset_path("iris"))
    scaling = fit_scaling(xs)
    return [standardise(scaling, x) for x in xs], labels


DATA = {  # name: () -> (xs, labels)
    "xor": lambda: (toy.XOR_XS, toy.XOR_LABELS),
    "moons": lambda: toy.two_moons(POINTS, 0.15, SEED),
    "circles": lambda: toy.circles(POINTS, NOISE, SEED),
    "spirals": lambda: toy.spirals(POINTS, 0.05, SEED),
    "iris": iris,
}

# Network.train's settings the page may give; anything else keeps the library's default
# (seed is the Network's, for its first weights; train shuffles with its own default).
TRAIN_SETTINGS = ("epochs", "lr", "batch_size", "rule")
PICTURES = 20  # about this many pictures of the training, evenly spread over the epochs
TRAIN_LR = [entry[1] for entry in SETTINGS if entry[0] == "lr"][0]  # Network.train's rate, for a step
LAST = {}  # the last run's network, samples and rate, for step()

# One SGD step in five stages: (name, title, the picture's stage (seeing.picture), the
# functions of core/backprop.py that compute it, whose lines the page highlights).
STAGES = (
    ("forward", "Forward pass: z^l = W^l a^(l-1) + b^l, a^l = σ(z^l)", "forward", ("feedforward",)),
    ("output", "Output error: δ^L = ∂L/∂a^L ⊙ σ'(z^L)", "backward", ("output_delta",)),
    ("recursion", "δ recursion: δ^l = ((W^(l+1))ᵀ δ^(l+1)) ⊙ σ'(z^l)", "backward", ("deltas",)),
    ("gradients", "Gradients: ∂L/∂W^l = δ^l (a^(l-1))ᵀ, ∂L/∂b^l = δ^l", "backward", ("backprop",)),
    ("update", "Update: W^l ← W^l − η ∂L/∂W^l, b^l ← b^l − η ∂L/∂b^l", "update", ("changes", "step")),
)
SOURCE = "/lib/tinybackprop/core/backprop.py"  # the text the page shows is the one run here


def samples(name, n_in, n_out):
    """(samples, xs, labels, classes) of the data set name for a network of n_in inputs
    and n_out outputs: targets [k] for one output (two classes), one-hot otherwise."""
    if name not in DATA:
        raise ValueError("data %r: the playground has %s" % (name, ", ".join(sorted(DATA))))
    xs, labels = DATA[name]()
    classes = class_names(labels)
    if n_in != len(xs[0]):
        raise ValueError("%s has %d inputs: the first layer size must be %d, not %d"
                         % (name, len(xs[0]), len(xs[0]), n_in))
    if n_out == 1 and len(classes) == 2:
        targets = [[float(classes.index(label))] for label in labels]
    elif n_out == len(classes):
        targets = [one_hot(classes.index(label), n_out) for label in labels]
    else:
        raise ValueError("%s has %d classes: the last layer size must be %s, not %d"
                         % (name, len(classes), "1 or 2" if len(classes) == 2 else len(classes), n_out))
    return [(xs[k], targets[k]) for k in range(len(xs))], xs, labels, classes


def run(text, report=None, picture=None):
    """Train as the JSON text config says; the last history record with "weights" and
    "biases" (the network's, as nested lists), as JSON text.  report(text), if given,
    receives each epoch's record as JSON text as the epoch ends; picture(svg), if given,
    the library's picture of the training so far, PICTURES times."""
    config = json.loads(text)
    sizes = config["sizes"]
    pairs, xs, labels, classes = samples(config["data"], sizes[0], sizes[len(sizes) - 1])
    net = tb.Network(sizes, activations=config["activations"], loss=config["loss"], seed=config.get("seed", 0))
    settings = dict((name, config[name]) for name in TRAIN_SETTINGS if name in config)
    records = []
    every = max(1, settings.get("epochs", 10) // PICTURES)

    def epoch_done(record):
        records.append(record)
        if report is not None:
            report(json.dumps(record))
        if picture is not None and (record["epoch"] % every == 0 or record["epoch"] == settings.get("epochs")):
            picture(svg_of(net, records, xs, labels, classes, config["data"]))
    settings["callback"] = epoch_done
    history = net.train(pairs, **settings)
    LAST.update(net=net, pairs=pairs, lr=config.get("lr", TRAIN_LR))
    result = dict(history[len(history) - 1])
    result["weights"], result["biases"] = net.weights, net.biases
    return json.dumps(result)


def svg_of(net, records, xs, labels, classes, name):
    """training_svg of the records so far, with the decision regions for two inputs."""
    regions = None
    if len(xs[0]) == 2:
        regions = {"net": net, "scaling": {"mean": [0.0, 0.0], "std": [1.0, 1.0]}, "xs": xs,
                   "labels": labels, "classes": classes, "feature_names": ["x1", "x2"]}
    return training_svg(records, "%s: %r, epoch %d" % (name, net, records[len(records) - 1]["epoch"]),
                        regions=regions)


def lines_of(text, name):
    """(first, last): the lines (from 1) of the function or method name in a module's
    text, from its def to its last line that is not blank."""
    lines = text.split("\n")
    for k in range(len(lines)):
        stripped = lines[k].lstrip()
        if stripped.startswith("def " + name + "("):
            indent = len(lines[k]) - len(stripped)
            last = k
            for j in range(k + 1, len(lines)):
                if lines[j].strip():
                    if len(lines[j]) - len(lines[j].lstrip()) <= indent:
                        break
                    last = j
            return k + 1, last + 1
    raise ValueError("%s: no function %s" % (SOURCE, name))


def step(k):
    """One SGD step (core.backprop.step, plain SGD at the run's rate) of the last run's
    network on its sample k, made: as JSON text, the sample, the loss before and after,
    and for each of STAGES its name, title, picture (SVG) and source lines."""
    net, pairs, lr = LAST["net"], LAST["pairs"], LAST["lr"]
    x, y = pairs[k % len(pairs)]
    t = trace(net, x, y, lr)
    with open(SOURCE) as f:
        text = f.read()
    stages = []
    for name, title, picture_stage, functions in STAGES:
        stages.append({"name": name, "title": title, "svg": network_svg(net, t, picture_stage),
                       "lines": [lines_of(text, function) for function in functions]})
    L = len(net.sizes) - 1
    net.weights = [t["W_after"][l] for l in range(1, L + 1)]  # the step, as trace made it
    net.biases = [t["b_after"][l] for l in range(1, L + 1)]
    return json.dumps({"sample": k % len(pairs), "x": x, "y": y, "lr": lr, "loss": t["loss"],
                       "loss_after": t["loss_after"], "source": SOURCE, "stages": stages})
