"""The playground's Python side: what the page's worker runs beside the library's files.

The worker writes the library into the runtime's file system (/lib/tinybackprop)
and this file as /lib/playground_driver.py, then calls run(config) with the
page's settings as JSON text; report(text) sends each epoch's record, as JSON,
back to the page while training goes on.
"""
import json

import tinybackprop as tb

# XOR's four samples in the usual order (the URL contract's data), targets [0] / [1].
XOR = [([0.0, 0.0], [0.0]), ([0.0, 1.0], [1.0]), ([1.0, 0.0], [1.0]), ([1.0, 1.0], [0.0])]
DATA = {"xor": XOR}

# Network.train's settings the page may give; anything else keeps the library's default
# (seed is the Network's, for its first weights; train shuffles with its own default).
TRAIN_SETTINGS = ("epochs", "lr", "batch_size", "rule")


def network(config):
    """tb.Network(sizes, activations=..., loss=..., seed=...) from the page's settings."""
    return tb.Network(config["sizes"], activations=config["activations"], loss=config["loss"],
                      seed=config.get("seed", 0))


def run(text, report=None):
    """Train as the JSON text config says; the last history record with "weights" and
    "biases" (the network's, as nested lists), as JSON text.  report(text), if given,
    receives each epoch's record as JSON text as the epoch ends."""
    config = json.loads(text)
    if config["data"] not in DATA:
        raise ValueError("data %r: the playground has %s" % (config["data"], ", ".join(sorted(DATA))))
    net = network(config)
    settings = dict((name, config[name]) for name in TRAIN_SETTINGS if name in config)
    if report is not None:
        settings["callback"] = lambda record: report(json.dumps(record))
    history = net.train(DATA[config["data"]], **settings)
    result = dict(history[len(history) - 1])
    result["weights"], result["biases"] = net.weights, net.biases
    return json.dumps(result)
