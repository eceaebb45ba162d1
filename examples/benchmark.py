"""How fast tinybackprop trains on the running interpreter: python examples/benchmark.py

Runs unchanged on CPython, PyPy and MicroPython.  Measures, as the median of
several repeats after WARM_UP repeats that are not counted (PyPy's JIT),
the spread shown as min..max:

- training samples/s, per-sample SGD, for [64, 32, 10] (tanh, softmax,
  cross-entropy) on digits, [2, 8, 1] (tanh, sigmoid, binary cross-entropy)
  on XOR, [4, 8, 3] (tanh, softmax, cross-entropy) on iris and [784, 128, 10]
  (the MNIST network of the article's companion code) on digits drawn at
  MNIST's size (mnist_sized), and ns per weight per sample (a step touches each weight three times:
  W a forward, W^T delta backward, the update); digits pixels are 49% zeros,
  whose columns the update skips, so "dense digits" repeats the case with the
  pixels mapped to [0.05, 1], where no input is 0;
- the same training by the library's reference step (``train(..., fast=False)``:
  tinybackprop.core.backprop, plain loops, the gradient matrices built), and by a
  hand-tuned single-purpose loop of the same network that does the default call's
  work (each sample's loss and whether it is right, added up per epoch; its dot
  products in C where CPython has them; the update an index loop, with no skipping
  of zeros; on MicroPython compiled to machine code, @micropython.native): the
  ratios within this one run are what to compare;
- the cold start (CPython, PyPy): each of the first epochs of digits in fresh
  processes (the median of COLD_RUNS each), for the library and the hand-tuned loop
  (a JIT compiles as it goes), the modules train imports loaded first (TRAIN_LOADS);
- plain SGD by batches of 32 against per sample, digits and iris;
- inference samples/s for the digits network;
- peers, when installed: the same network trained per sample with numpy arrays
  (Nielsen's network.py style), with PyTorch (autograd, torch.optim.SGD, float64,
  one thread) and micrograd's MLP (relu hidden layers, squared
  error: its engine has no tanh or exp), on the same data.
- each update rule (momentum, Nesterov, Adam, weight decay) on digits, per sample and
  by batches of 32, with fast=True (tinybackprop.fast.rules for batches; per sample
  the reference's rule step) and by the reference step, as a ratio to the fast path's
  plain SGD in the same run (--no-rules leaves it out, --rules-only runs it alone).

Options: --repeats N (default 5), --samples N (digits samples per repeat;
default 600; all 1797 on PyPy, whose JIT needs them; 200 on MicroPython, run
with -X heapsize=8M), --quick (3 repeats, fewer samples), --markdown (also
print this interpreter's rows of docs/speed.md's table), --instructions
(instructions per sample by valgrind's callgrind instead of seconds: for
comparing small changes on a noisy machine), --batches-only (the batch section alone).
"""
import math
import os
import sys
import time

HERE = __file__.replace("\\", "/").rsplit("/", 1)[0] if "/" in __file__.replace("\\", "/") else "."
sys.path.insert(0, HERE + "/..")

import tinybackprop as tb  # noqa: E402
from tinybackprop.fast import kernels as fast  # noqa: E402
from tinybackprop.data.rows import dataset_path, stream_rows  # noqa: E402
from tinybackprop.training.epochs import DEFAULT_HISTORY  # noqa: E402

MICROPYTHON = sys.implementation.name == "micropython"
# Repeats run first and not counted: PyPy's JIT keeps compiling for several
# (one warm-up left a spread of 36k..97k samples/s); elsewhere one is enough.
WARM_UP = 3 if sys.implementation.name == "pypy" else 1
# PyPy runs XOR and iris so fast (2 million samples/s) that a repeat of the samples
# CPython takes lasts some 5 ms, timing its JIT's compiling as much as the training (the
# first epochs of a fresh process are the cold-start section's); MicroPython's repeat of
# iris, 4 epochs, lasted 27 ms, of which a train call's fixed costs took 4.5 (checking
# every input number, 1.6 ms; counting the free heap, which walks all 8 MB of it, 1).
# There XOR and iris repeat SMALL_CASES times as many epochs.
SMALL_CASES = 5 if sys.implementation.name in ("pypy", "micropython") else 1

if hasattr(time, "perf_counter"):
    clock = time.perf_counter
elif hasattr(time, "ticks_us"):  # MicroPython
    def clock():
        return time.ticks_us() / 1e6
else:
    clock = time.time


def option(name, default):
    if name in sys.argv:
        return int(sys.argv[sys.argv.index(name) + 1])
    return default


def digits(n):
    """The first n digits as (x scaled to [0, 1], one-hot y), read line by line."""
    samples = []
    for fields in stream_rows(dataset_path("digits"), 65):
        y = [0.0] * 10
        y[int(fields[64])] = 1.0
        samples.append(([float(v) / 16.0 for v in fields[:64]], y))
        if len(samples) == n:
            break
    return samples


XOR = [([0.0, 0.0], [0.0]), ([0.0, 1.0], [1.0]), ([1.0, 0.0], [1.0]), ([1.0, 1.0], [0.0])]


def iris():
    """The 150 flowers as (x in cm / 8, one-hot y): a network of an iris's size, [4, 8, 3]."""
    samples, classes = [], {}
    for fields in stream_rows(dataset_path("iris"), 5):
        k = classes.setdefault(fields[4].strip(), len(classes))
        samples.append(([float(v) / 8.0 for v in fields[:4]], [1.0 if i == k else 0.0 for i in range(3)]))
    return samples


def mnist_sized(samples):
    """digits drawn at MNIST's size, for a [784, 128, 10] network: each 8x8 image scaled
    to 20x20 (nearest pixel) in the middle of a 28x28 frame, as MNIST centres its digits;
    784 inputs, 74% of them 0 (MNIST's own: 81%).  Only the speed is measured on them."""
    drawn = []
    for x, y in samples:
        image = [0.0] * 784
        for r in range(20):
            for c in range(20):
                image[(r + 4) * 28 + c + 4] = x[(r * 8 // 20) * 8 + c * 8 // 20]
        drawn.append((image, y))
    return drawn


def median_and_range(values):
    values = sorted(values)
    n = len(values)
    middle = values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2
    return middle, values[0], values[-1]


# The hand-tuned loop's dot products: in C where CPython has a form for them
# (math.sumprod on 3.12+, sum(map(operator.mul)) before), index loops elsewhere.
# fast.sumprod and fast.mul are None where the interpreter lacks them.
sumprod, mul = fast.sumprod, fast.mul
if sumprod is not None:
    def rows_times(W, v, b):
        return [sumprod(row, v) + b_i for row, b_i in zip(W, b)]
elif mul is not None and sys.implementation.name == "cpython":
    def rows_times(W, v, b):
        return [sum(map(mul, row, v)) + b_i for row, b_i in zip(W, b)]
else:
    rows_times = None


def hand_tuned_epoch(W1, b1, W2, b2, samples, labels, lr, output):
    """One epoch of per-sample SGD for a one-hidden-layer tanh network, written out for
    this case only: the floor a general library is measured against.  It does the work
    of train's default call: each sample's loss (taken before its step) and whether its
    output picks its class (labels: each sample's class, found once) are added up, and
    (mean loss, accuracy) returned.  Index loops, except that sums of 8 or more terms
    use rows_times where CPython has it."""
    exp, tanh, log = math.exp, math.tanh, math.log
    n_in, n_h, n_out = len(W1[0]), len(W1), len(W2)
    total, right, k = 0.0, 0, 0
    for x, y in samples:
        if rows_times is not None and n_in >= 8:
            h = [tanh(s) for s in rows_times(W1, x, b1)]
        else:
            h = []
            for i in range(n_h):
                row, s = W1[i], b1[i]
                for j in range(n_in):
                    s += row[j] * x[j]
                h.append(tanh(s))
        if rows_times is not None and n_h >= 8:
            z = rows_times(W2, h, b2)
        else:
            z = []
            for i in range(n_out):
                row, s = W2[i], b2[i]
                for j in range(n_h):
                    s += row[j] * h[j]
                z.append(s)
        if output == "softmax":  # delta^L = a - y for softmax with cross-entropy
            m = max(z)
            e = [exp(z_i - m) for z_i in z]
            t = sum(e)
            a = [e_i / t for e_i in e]
            total -= log(a[labels[k]])  # cross-entropy with a one-hot y
            right += a.index(max(a)) == labels[k]
            d2 = [a[i] - y[i] for i in range(n_out)]
        else:  # sigmoid with binary cross-entropy: (a - y) / n_out
            a = [1.0 / (1.0 + exp(-z_i)) for z_i in z]
            total -= sum(y[i] * log(a[i]) + (1.0 - y[i]) * log(1.0 - a[i]) for i in range(n_out)) / n_out
            right += (1 if a[0] >= 0.5 else 0) == labels[k]
            d2 = [(a[i] - y[i]) / n_out for i in range(n_out)]
        k += 1
        if rows_times is not None and n_out >= 8:  # the columns of W2 dotted with d2
            g = rows_times(list(zip(*W2)), d2, [0.0] * n_h)
            d1 = [g[j] * (1.0 - h[j] * h[j]) for j in range(n_h)]
        else:
            d1 = []
            for j in range(n_h):
                s = 0.0
                for i in range(n_out):
                    s += W2[i][j] * d2[i]
                d1.append(s * (1.0 - h[j] * h[j]))
        for i in range(n_out):
            row, c = W2[i], lr * d2[i]
            for j in range(n_h):
                row[j] -= c * h[j]
            b2[i] -= c
        for i in range(n_h):
            row, c = W1[i], lr * d1[i]
            for j in range(n_in):
                row[j] -= c * x[j]
            b1[i] -= c
    return total / len(samples), right / len(samples)


def native_floor():
    """MicroPython: hand_tuned_epoch compiled to machine code (@micropython.native), the
    floor a user who hand-tunes a loop for a board would write; None where the port has
    no native emitter.  (Its source is read from this file: MicroPython keeps none.)"""
    with open(__file__) as f:
        text = f.read()
    start = text.index("def hand_tuned_epoch(")
    source = text[start:text.index("\n\n\ndef native_floor(", start)] + "\n"
    namespace = {"math": math, "rows_times": None}
    try:
        exec("@micropython.native\n" + source, namespace)
    except SyntaxError:
        return None
    return namespace["hand_tuned_epoch"]


def labels_of(samples):
    """Each sample's class: the index of a one-hot y's 1, or y_0 for one output."""
    return [int(y[0] >= 0.5) if len(y) == 1 else y.index(max(y)) for x, y in samples]


def hand_tuned_training(net, samples, epochs, lr, output, callback=None):
    """The floor's whole training: epochs of hand_tuned_epoch (the native one on MicroPython),
    their (loss, accuracy) kept in a list, as train's default history keeps them (every
    epoch's; on MicroPython the last one's); callback, if given, called with each as it
    ends (as train's)."""
    W1, W2 = net.weights
    b1, b2 = net.biases
    labels, history = labels_of(samples), []
    epoch = FLOOR if FLOOR is not None else hand_tuned_epoch
    for _ in range(epochs):
        record = epoch(W1, b1, W2, b2, samples, labels, lr, output)
        if DEFAULT_HISTORY == "last":  # train's default on MicroPython
            history[:] = [record]
        else:
            history.append(record)
        if callback is not None:
            callback(record)
    return history


FLOOR = native_floor() if MICROPYTHON else None


def numpy_epoch(np, Ws, bs, samples, lr, output):
    """One epoch of per-sample SGD with numpy arrays, in the style of Nielsen's network.py:
    the same network and the same steps as the library, one sample at a time."""
    W1, W2 = Ws
    b1, b2 = bs
    for x, y in samples:
        h = np.tanh(W1 @ x + b1)
        z = W2 @ h + b2
        if output == "softmax":
            e = np.exp(z - z.max())
            d2 = e / e.sum() - y
        else:
            d2 = (1.0 / (1.0 + np.exp(-z)) - y) / len(y)
        d1 = (W2.T @ d2) * (1.0 - h * h)
        W2 -= lr * np.outer(d2, h)
        b2 -= lr * d2
        W1 -= lr * np.outer(d1, x)
        b1 -= lr * d1


def numpy_once(sizes, activations, samples, epochs):
    """Samples/s of one repeat of per-sample SGD with numpy arrays."""
    import numpy as np
    data = [(np.array(x), np.array(y)) for x, y in samples]
    net = tb.Network(sizes, activations=activations, loss="mse", seed=0)
    Ws = [np.array(W) for W in net.weights]
    bs = [np.array(b) for b in net.biases]
    start = clock()
    for _ in range(epochs):
        numpy_epoch(np, Ws, bs, data, 0.01, activations[-1])
    return epochs * len(samples) / (clock() - start)


def torch_once(sizes, activations, samples, epochs):
    """Samples/s of one repeat of per-sample SGD in PyTorch, written as its tutorials write
    a training loop: the same network (float64, the library's starting weights), autograd,
    torch.optim.SGD, one sample a step; cross-entropy on the logits for a softmax output,
    BCEWithLogitsLoss for a sigmoid one (the same delta^L as the library's).  One thread:
    the others here run on one core."""
    import torch
    torch.set_num_threads(1)
    net = tb.Network(sizes, activations=activations, loss="mse", seed=0)
    layers = []
    for l in range(len(net.weights)):
        linear = torch.nn.Linear(sizes[l], sizes[l + 1]).double()
        with torch.no_grad():
            linear.weight.copy_(torch.tensor(net.weights[l], dtype=torch.float64))
            linear.bias.copy_(torch.tensor(net.biases[l], dtype=torch.float64))
        layers += [linear, torch.nn.Tanh()] if l < len(net.weights) - 1 else [linear]
    model = torch.nn.Sequential(*layers)
    loss_of = torch.nn.CrossEntropyLoss() if activations[-1] == "softmax" else torch.nn.BCEWithLogitsLoss()
    data = [(torch.tensor([x], dtype=torch.float64), torch.tensor([y], dtype=torch.float64)) for x, y in samples]
    step = torch.optim.SGD(model.parameters(), lr=0.01)
    start = clock()
    for _ in range(epochs):
        for x, y in data:
            step.zero_grad()
            loss_of(model(x), y).backward()
            step.step()
    return epochs * len(samples) / (clock() - start)


def micrograd_once(sizes, samples, count):
    """micrograd's own MLP (relu hidden layers, linear output, squared error): per-sample
    SGD on the first count samples; it builds a graph of scalar Values for every step."""
    from micrograd.nn import MLP
    model = MLP(sizes[0], sizes[1:])
    start = clock()
    for x, y in samples[:count]:
        out = model(x)
        out = out if isinstance(out, list) else [out]
        loss = sum((o - t) ** 2 for o, t in zip(out, y)) * (1.0 / len(y))
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= 0.01 * p.grad
    return count / (clock() - start)


def training_once(sizes, activations, loss, samples, epochs, kind):
    """Samples/s of one repeat: a fresh network with seed 0, trained by the library
    ("library"), by its reference step ("reference"), or by hand_tuned_epoch
    ("hand-tuned loop")."""
    net = tb.Network(sizes, activations=activations, loss=loss, seed=0)
    start = clock()
    if kind == "hand-tuned loop":
        hand_tuned_training(net, samples, epochs, 0.01, activations[-1])
    else:
        net.train(samples, epochs=epochs, lr=0.01, shuffle=False, fast=kind == "library")
    return epochs * len(samples) / (clock() - start)


def rounds(variants, repeats):
    """{name: [samples/s of each repeat]} for variants, a list of (name, function of no
    arguments that runs one repeat).  Each round runs every variant once, in turn, so
    that a slow spell of a shared machine slows them alike; WARM_UP rounds come first
    and are not counted."""
    rates = {}
    for r in range(WARM_UP + repeats):
        for name, once in variants:
            rate = once()
            if r >= WARM_UP:
                rates.setdefault(name, []).append(rate)
    return rates


def row(name, operations, rates):
    """Print a result line: median samples/s (min..max), and ns per weight operation
    (operations: weight multiply-adds per sample)."""
    middle, low, high = median_and_range(rates)
    print("%-50s %9.0f  (%.0f..%.0f)  %6.1f ns/weight op" % (
        name, middle, low, high, 1e9 / middle / operations))
    return middle


def cases(data, n):
    """(title, sizes, activations, loss, samples, epochs) of each training case."""
    dense = [([0.05 + 0.95 * v for v in x], y) for x, y in data]  # no input is 0
    return [("digits [64, 32, 10]", [64, 32, 10], ["tanh", "softmax"], "cross_entropy", data, 1),
            ("dense digits [64, 32, 10]", [64, 32, 10], ["tanh", "softmax"], "cross_entropy", dense, 1),
            ("XOR [2, 8, 1]", [2, 8, 1], ["tanh", "sigmoid"], "binary_cross_entropy", XOR,
             max(1, n // 4 * 5) * SMALL_CASES),
            ("iris [4, 8, 3]", [4, 8, 3], ["tanh", "softmax"], "cross_entropy", iris(), max(1, n // 50) * SMALL_CASES),
            (BIG, [784, 128, 10], ["tanh", "softmax"], "cross_entropy", mnist_sized(data[:max(2, n // 30)]), 1)]


BIG = "MNIST-sized [784, 128, 10]"  # 40 times the weights of digits: fewer samples


KINDS = {"tinybackprop": "library", "reference": "reference", "hand-tuned": "hand-tuned loop"}


def instructions():
    """--instructions: instructions per sample of each case and variant, counted by valgrind's
    callgrind (the same count on every run, however busy the machine): each variant is run
    in a process of its own with 1 + E epochs and with 1, and the difference divided by the
    samples of the E epochs.  CPython (or PyPy) with valgrind on the PATH."""
    import subprocess
    import tempfile
    n = option("--samples", 200)
    print("instructions per sample (callgrind), %s %s, %d digits" % (
        sys.implementation.name, sys.version.split()[0], n))
    out = tempfile.mktemp()
    for title, sizes, activations, loss, samples, epochs in cases(digits(n), n):
        counts = {}
        for name in KINDS:
            ir = []
            for e in (1, 1 + epochs):  # one epoch first: what is made once (a compiled step) cancels
                subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out, sys.executable,
                                __file__, "--one", title, name, str(e), "--samples", str(n)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
                with open(out) as f:
                    ir.append(int([line for line in f if line.startswith("totals:")][0].split()[1]))
            counts[name] = (ir[1] - ir[0]) / (epochs * len(samples))
            print("%-32s %-14s %10.0f instructions/sample" % (title, name, counts[name]))
        print("    tinybackprop / hand-tuned (in instructions, lower is faster) %.2f\n"
              % (counts["tinybackprop"] / counts["hand-tuned"]))
    if os.path.exists(out):
        os.remove(out)


def one():
    """--one TITLE VARIANT EPOCHS: train one case once (for --instructions)."""
    k = sys.argv.index("--one")
    title, name, epochs = sys.argv[k + 1], sys.argv[k + 2], int(sys.argv[k + 3])
    n = option("--samples", 200)
    for case in cases(digits(n), n):
        if case[0] == title:
            sizes, activations, loss, samples = case[1:5]
            net = tb.Network(sizes, activations=activations, loss=loss, seed=0)
            if epochs and name == "hand-tuned":
                hand_tuned_training(net, samples, epochs, 0.01, activations[-1])
            elif epochs:
                net.train(samples, epochs=epochs, lr=0.01, shuffle=False, fast=name == "tinybackprop")


COLD_EPOCHS = 4


# The modules train imports at its first call (a reference run, or a board's minimal
# core, never loads them).  The cold start loads them before its clock: loading is
# the import system's work, not the training's, and its cost depends on whether the
# modules' bytecode is cached (PyPy, 2026-12-04: 2.5 ms from cached bytecode, as an
# installed package has it, 18 ms compiling the sources where PYTHONDONTWRITEBYTECODE
# is set); cold() prints what it took.
TRAIN_LOADS = ("tinybackprop.core.written", "tinybackprop.fast.unroll", "tinybackprop.fast.looped",
               "tinybackprop.training.history")


def cold():
    """--cold VARIANT: in this fresh process, COLD_EPOCHS epochs of digits [64, 32, 10] (all
    1797), per sample, by the default call ("tinybackprop") or the hand-tuned loop; prints,
    on one line, the ms that loading TRAIN_LOADS took (0 for the hand-tuned loop, which
    loads nothing) and each epoch's samples/s."""
    variant = sys.argv[sys.argv.index("--cold") + 1]
    data = digits(1797)
    net = tb.Network([64, 32, 10], activations=["tanh", "softmax"], loss="cross_entropy", seed=0)
    loading = clock()
    if variant == "tinybackprop":
        for name in TRAIN_LOADS:
            __import__(name)
    loading = clock() - loading
    times = [clock()]
    ended = lambda record: times.append(clock())
    if variant == "tinybackprop":
        net.train(data, epochs=COLD_EPOCHS, lr=0.01, shuffle=False, callback=ended)
    else:
        hand_tuned_training(net, data, COLD_EPOCHS, 0.01, "softmax", ended)
    print("%.1f " % (loading * 1e3) + " ".join("%.0f" % (len(data) / (times[e + 1] - times[e]))
                                              for e in range(COLD_EPOCHS)))


COLD_RUNS = 3  # fresh processes per variant, taken in turn; each epoch's median is shown


def cold_start():
    """The first epochs of fresh processes, COLD_RUNS for each variant, in turn (CPython and
    PyPy: a JIT compiles as it goes, so the first epoch is the cold start); {variant: each
    epoch's median samples/s}."""
    import subprocess
    print("cold start: digits [64, 32, 10] per sample, each epoch's samples/s in a fresh process"
          " (medians of %d)" % COLD_RUNS)
    runs = {"tinybackprop": [], "hand-tuned": []}
    for _ in range(COLD_RUNS):
        for variant in runs:
            out = subprocess.run([sys.executable, __file__, "--cold", variant], stdout=subprocess.PIPE,
                                 universal_newlines=True, check=True).stdout
            runs[variant].append([float(v) for v in out.split()])
    found = {}
    for variant, values in runs.items():  # values[r]: run r's load time, then its epochs' rates
        found[variant] = [median_and_range([v[e] for v in values])[0] for e in range(1, COLD_EPOCHS + 1)]
        print("%-14s epochs 1..%d: %s%s" % (variant, COLD_EPOCHS, "  ".join("%7.0f" % v for v in found[variant]),
                                            "   (its modules loaded first: %.1f ms)"
                                            % median_and_range([v[0] for v in values])[0]
                                            if variant == "tinybackprop" else ""))
    first = found["tinybackprop"][0] / found["hand-tuned"][0]
    last = found["tinybackprop"][-1] / found["hand-tuned"][-1]
    print("    tinybackprop / hand-tuned: epoch 1 %.2f, epoch %d %.2f\n" % (first, COLD_EPOCHS, last))
    return found


def main():
    if "--one" in sys.argv:
        return one()
    if "--cold" in sys.argv:
        return cold()
    if "--instructions" in sys.argv:
        return instructions()
    quick = "--quick" in sys.argv
    repeats = option("--repeats", 3 if quick else 5)
    if MICROPYTHON:
        n = 100 if quick else 200
    elif sys.implementation.name == "pypy":
        n = 600 if quick else 1797
    else:
        n = 200 if quick else 600
    n = option("--samples", n)
    impl = sys.implementation
    print("interpreter: %s %s (Python %s); tinybackprop's idiom: %s" % (
        impl.name, ".".join(str(v) for v in impl.version[:3]),
        ".".join(str(v) for v in sys.version_info[:3]), fast.IDIOM))
    print("median samples/s of %d repeats (min..max); per-sample SGD\n" % repeats)
    data = digits(n)
    results = {}
    if not MICROPYTHON and "--rules-only" not in sys.argv and "--batches-only" not in sys.argv:
        results["cold start"] = cold_start()
    if "--rules-only" in sys.argv:
        return {"rules": update_rules(data, repeats)}
    if "--batches-only" in sys.argv:
        return {"batches": batch_sizes(data, repeats)}
    for title, sizes, activations, loss, samples, epochs in cases(data, n):
        weights = sum(sizes[l] * sizes[l - 1] + sizes[l] for l in range(1, len(sizes)))
        operations = 3 * weights  # forward W a, backward W^T delta, update: each weight once
        args = (sizes, activations, loss, samples, epochs)
        deferred = fast.DEFER > 1 and sizes[0] >= fast.DEFER_MIN_INPUTS
        library = "tinybackprop (%s%s)" % (fast.IDIOM, "; W^1 deferred for dense inputs" if deferred else "")
        variants = [("tinybackprop", lambda: training_once(*(args + ("library",)))),
                    ("reference", lambda: training_once(*(args + ("reference",)))),
                    ("hand-tuned", lambda: training_once(*(args + ("hand-tuned loop",))))]
        for peer, once in (("numpy", lambda: numpy_once(sizes, activations, samples, epochs)),
                           ("torch", lambda: torch_once(sizes, activations, samples, epochs)),
                           ("micrograd", lambda: micrograd_once(sizes, samples,
                                                                20 if len(samples) > 20 else 4))):
            if peer == "micrograd" and title == BIG:
                continue  # a graph of 100,000 scalar Values a step: minutes a repeat
            try:
                __import__(peer)
                variants.append((peer, once))
            except ImportError:
                print("    (peer %s not installed: skipped)" % peer)
        try:
            rates = rounds(variants, repeats)
        except MemoryError:  # MicroPython: the network and the reference's gradients at once
            print("    (%s: not enough heap: run with a larger -X heapsize)\n" % title)
            continue
        labels = {"tinybackprop": library, "reference": "reference step (fast=False)",
                  "hand-tuned": "hand-tuned loop",
                  "numpy": "numpy per-sample (Nielsen style)",
                  "torch": "PyTorch per-sample (autograd, optim.SGD)",
                  "micrograd": "micrograd MLP (relu, squared error)"}
        found = results[title] = {"operations": operations}
        for name, _ in variants:
            found[name] = row("%s  %s" % (title, labels[name]), operations, rates[name])
        print("    tinybackprop / reference %.2f;  tinybackprop / hand-tuned %.2f%s\n" % (
            found["tinybackprop"] / found["reference"], found["tinybackprop"] / found["hand-tuned"],
            "".join(";  tinybackprop / %s %.2f" % (peer, found["tinybackprop"] / found[peer])
                    for peer in ("numpy", "torch", "micrograd") if peer in found)))
    results["batches"] = batch_sizes(data, repeats)
    if "--no-rules" not in sys.argv:
        results["rules"] = update_rules(data, repeats)
    net = tb.Network([64, 32, 10], activations=["tanh", "softmax"], loss="cross_entropy", seed=0)
    rates = []
    for _ in range(repeats + WARM_UP):
        start = clock()
        for x, y in data:
            net.predict(x)
        rates.append(len(data) / (clock() - start))
    rates = rates[WARM_UP:]
    results["inference"] = row("digits [64, 32, 10]  inference (predict)", 2410, rates)
    if "--markdown" in sys.argv:
        print_markdown(results)
    return results


def batch_once(sizes, samples, epochs, batch_size):
    """Samples/s of plain SGD by batches of batch_size (1: per sample), the default call."""
    net = tb.Network(sizes, activations=["tanh", "softmax"], loss="cross_entropy", seed=0)
    start = clock()
    net.train(samples, epochs=epochs, lr=0.01, shuffle=False, batch_size=batch_size)
    return epochs * len(samples) / (clock() - start)


def batch_sizes(data, repeats):
    """Plain SGD by batches of 32 against per sample, digits and iris: {title: ratio} of the
    medians (one update per batch should make batches no slower per sample)."""
    print("mini-batches: plain SGD by batches of 32 against per sample (the default call)")
    found = {}
    for title, sizes, samples, epochs in (("digits [64, 32, 10]", [64, 32, 10], data, 1),
                                          ("iris [4, 8, 3]", [4, 8, 3], iris(), max(1, len(data) // 50) * SMALL_CASES)):
        rates = rounds([(b, lambda b=b: batch_once(sizes, samples, epochs, b)) for b in (1, 32)], 2 * repeats + 1)
        one, batched = median_and_range(rates[1])[0], median_and_range(rates[32])[0]
        found[title] = batched / one
        print("%-24s batch 1 %8.0f  batch 32 %8.0f samples/s;  batch 32 / batch 1 %.2f" % (
            title, one, batched, batched / one))
    print("")
    return found


RULES = (("SGD", {}), ("momentum 0.9", {"rule": "momentum"}), ("Nesterov 0.9", {"rule": "nesterov"}),
         ("Adam", {"rule": "adam"}), ("SGD, weight decay 1e-4", {"weight_decay": 1e-4}))
PER_SAMPLE_ON_FAST = ("SGD", "SGD, weight decay 1e-4")  # the others take the reference's rule per sample


def rule_once(samples, settings, batch_size, fast_path):
    """Samples/s of one epoch of digits [64, 32, 10] with an update rule's settings."""
    net = tb.Network([64, 32, 10], activations=["tanh", "softmax"], loss="cross_entropy", seed=0)
    start = clock()
    net.train(samples, epochs=1, lr=0.01, shuffle=False, batch_size=batch_size, fast=fast_path, **settings)
    return len(samples) / (clock() - start)


def update_rules(data, repeats):
    """Each update rule on the fast path (fast.rules; plain SGD: fast.kernels) and by the
    reference step, per sample and by batches of 32; {(rule, batch size): (fast, reference)}
    in samples/s, and the ratio to the fast path's plain SGD printed beside each."""
    print("update rules, digits [64, 32, 10], one epoch of %d samples: the fast path and the "
          "reference step (fast=False)" % len(data))
    found = {}
    for batch_size in (1, 32):
        variants = []
        for name, settings in RULES:
            for fast_path in (True, False):
                variants.append(((name, fast_path), lambda s=settings, f=fast_path: rule_once(data, s, batch_size, f)))
        try:
            rates = rounds(variants, repeats)
        except MemoryError:
            print("    (not enough heap for the rules: run with a larger -X heapsize)\n")
            return found
        sgd = median_and_range(rates[("SGD", True)])[0]
        for name, settings in RULES:
            on_fast = median_and_range(rates[(name, True)])[0]
            reference = median_and_range(rates[(name, False)])[0]
            found[(name, batch_size)] = (on_fast, reference)
            print("%-24s batch %-2d  fast=True %7.0f  reference %7.0f samples/s;  %.2f of fast SGD, %.2f x its "
                  "reference%s" % (name, batch_size, on_fast, reference, on_fast / sgd, on_fast / reference,
                                   "  (fast=True runs the reference's rule per sample)"
                                   if batch_size == 1 and name not in PER_SAMPLE_ON_FAST else ""))
    print("")
    return found


def print_markdown(results):
    """docs/speed.md's table rows for this interpreter (samples/s; blank: not run or not installed)."""
    impl = sys.implementation
    name = {"cpython": "CPython", "pypy": "PyPy", "micropython": "MicroPython"}.get(impl.name, impl.name)
    version = ".".join(str(v) for v in (sys.version_info if impl.name == "cpython" else impl.version)[:2])
    print("")
    for title in ("digits [64, 32, 10]", "dense digits [64, 32, 10]", "XOR [2, 8, 1]", "iris [4, 8, 3]", BIG):
        if title not in results:
            continue
        found = results[title]
        cells = [figure(found.get(key)) for key in ("tinybackprop", "reference", "hand-tuned", "numpy", "torch")]
        cells.insert(1, "%.1f" % (1e9 / found["tinybackprop"] / found["operations"]))
        cells.insert(4, "%.2f" % (found["tinybackprop"] / found["hand-tuned"]))
        cells.append(figure(results["inference"]) if title == "digits [64, 32, 10]" else "")
        print("| %s %s | %s | %s |" % (name, version, title, " | ".join(cells)))


def figure(rate):
    """A samples/s figure as the table shows it: 3 significant digits, or blank."""
    if rate is None:
        return ""
    digits_before = len(str(int(rate)))
    rounded = int(round(rate, 3 - digits_before)) if digits_before > 3 else round(rate, 1)
    return "{:,}".format(rounded) if digits_before > 3 else str(rounded)

if __name__ == "__main__":
    main()
