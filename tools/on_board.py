"""What runs on the emulated board: tools/board.py freezes this module into the firmware.

    import on_board
    on_board.run("xor", 32768)    # leave 32 KB of heap free, then train XOR [2, 4, 1]
    on_board.run("xor_default", 32768)  # the same with the default call
    on_board.run("iris", 65536)   # the same for iris [4, 8, 3]
    on_board.run("iris_plain", 65536)   # iris as the README's user writes it, the default call
    on_board.run("xor")           # with all the heap the board has
    on_board.import_cost()        # the heap that importing tinybackprop takes
    on_board.digits()             # the digits model's int8 and float exports, on every digit
    on_board.tables()             # auto_mpg's and iris' exports, on their raw rows
    on_board.same_seed()          # tests/same_seed.py's two networks, trained on the board

run prints one line: "ok TASK accuracy A; ..." if the task reached its
accuracy, "missed TASK ..." if not; a heap too small ends in MemoryError.
tinybackprop is imported after the ballast is in place, so the free heap pays
for the import too.
"""
import gc

BLOCK = 16  # MicroPython's heap hands out 16-byte blocks on a 32-bit board


def leave_free(n):
    """A ballast bytearray that leaves n bytes of the heap free (to a block), and the
    free bytes measured after it."""
    gc.collect()
    free = gc.mem_free()
    if free < n + 2 * BLOCK:
        raise MemoryError("only %d bytes free, fewer than the %d asked for" % (free, n))
    ballast = bytearray(free - n - BLOCK)  # the array's header takes one block
    gc.collect()
    return ballast, gc.mem_free()


def xor():
    """Train XOR [2, 4, 1] for 500 epochs, keeping only the last epoch's record."""
    import tinybackprop as tb
    samples = [([0.0, 0.0], [0.0]), ([0.0, 1.0], [1.0]), ([1.0, 0.0], [1.0]), ([1.0, 1.0], [0.0])]
    net = tb.Network([2, 4, 1], activations=["tanh", "sigmoid"], loss="binary_cross_entropy", seed=0)
    history = net.train(samples, epochs=500, lr=0.1, history="last")
    return history[0]["accuracy"]


def xor_default():
    """Train XOR [2, 4, 1] for 500 epochs with the default call, as the README writes it
    (on MicroPython it keeps the last epoch's record, and the fast path needs 32 KB free)."""
    import tinybackprop as tb
    samples = [([0.0, 0.0], [0.0]), ([0.0, 1.0], [1.0]), ([1.0, 0.0], [1.0]), ([1.0, 1.0], [0.0])]
    net = tb.Network([2, 4, 1], activations=["tanh", "sigmoid"], loss="binary_cross_entropy", seed=0)
    history = net.train(samples, epochs=500, lr=0.1)
    return history[len(history) - 1]["accuracy"]


def iris():
    """Train iris [4, 8, 3] on all 150 flowers, standardised here, for 40 epochs."""
    import tinybackprop as tb
    from iris_data import CLASSES, ROWS  # frozen: in flash, not in the heap
    m, n = len(ROWS), 4
    mean = [0.0] * n
    for row in ROWS:
        for j in range(n):
            mean[j] += row[j] / m
    std = [0.0] * n
    for row in ROWS:
        for j in range(n):
            std[j] += (row[j] - mean[j]) ** 2 / m
    std = [s ** 0.5 for s in std]
    targets = [[1.0 if i == k else 0.0 for i in range(len(CLASSES))] for k in range(len(CLASSES))]
    samples = [([(row[j] - mean[j]) / std[j] for j in range(n)], targets[row[n]]) for row in ROWS]
    net = tb.Network([4, 8, 3], activations=["tanh", "softmax"], loss="cross_entropy", seed=0)
    history = net.train(samples, epochs=40, lr=0.02, history="last")
    return history[0]["accuracy"]


def iris_plain():
    """Iris [4, 8, 3] written the plain way, with the default call: a target list of its own
    per sample, made from the flower's name."""
    import tinybackprop as tb
    from iris_data import CLASSES, ROWS
    names = list(CLASSES)
    m, n = len(ROWS), 4
    mean = [sum(row[j] for row in ROWS) / m for j in range(n)]
    std = [(sum((row[j] - mean[j]) ** 2 for row in ROWS) / m) ** 0.5 for j in range(n)]
    samples = []
    for row in ROWS:
        label = CLASSES[row[n]]  # the flower's name, as a CSV gives it
        samples.append(([(row[j] - mean[j]) / std[j] for j in range(n)],
                        [1.0 if names[c] == label else 0.0 for c in range(3)]))
    net = tb.Network([4, 8, 3], activations=["tanh", "softmax"], loss="cross_entropy", seed=0)
    history = net.train(samples, epochs=40, lr=0.02)
    return history[len(history) - 1]["accuracy"]


TASKS = {"xor": (xor, 1.0), "xor_default": (xor_default, 1.0), "iris": (iris, 0.95),
         "iris_plain": (iris_plain, 0.95)}  # each with the accuracy it must reach


def run(name, free=None):
    """Run the task with free bytes of heap left (None: all there is); print one line."""
    task, required = TASKS[name]
    ballast, measured = leave_free(free) if free is not None else (None, gc.mem_free())
    accuracy = task()
    gc.collect()
    in_use = gc.mem_alloc() - (0 if ballast is None else len(ballast) + BLOCK)
    print("%s %s accuracy %.2f (needs %.2f); free heap %d bytes, %d in use afterwards"
          % ("ok" if accuracy >= required else "missed", name, accuracy, required, measured, in_use))


def digits():
    """Predict every bundled digit with the exported int8 and float modules; print the
    counts right and the int8 predictions (one character per digit, for the host to compare)."""
    import digits_data  # the 1,797 digits as bytes, frozen
    import digits_float  # export --format python
    import digits_int8  # export --format int8
    m = len(digits_data.LABELS)
    int8 = []
    right_int8 = right_float = differ = 0
    for k in range(m):
        x = digits_data.ROWS[k]  # 64 ints, 0..16
        i = digits_int8.CLASSES.index(digits_int8.predict(x))
        f = digits_float.CLASSES.index(digits_float.predict(list(x)))
        int8.append("0123456789"[i])
        right_int8 += i == digits_data.LABELS[k]
        right_float += f == digits_data.LABELS[k]
        differ += i != f
    print("ok digits: int8 %d of %d right, float %d, %d differ" % (right_int8, m, right_float, differ))
    print("".join(int8))


def tables():
    """Predict every raw row of auto_mpg and iris (the texts of their CSV files) with the
    exported float and int8 modules; print one line of answers per module, for the host."""
    import table_rows
    for name, rows in (("auto_mpg", table_rows.AUTO_MPG), ("iris", table_rows.IRIS)):
        for kind in ("float", "int8"):
            module = __import__("%s_%s" % (name, kind))
            print("%s_%s" % (name, kind), end="")
            for row in rows:  # one at a time: the whole line as one string needs a block the heap may not have
                print(" %s" % module.predict(row), end="")
            print()
            gc.collect()


def same_seed():
    """Train tests/same_seed.py's two networks on the frozen iris; print as that script does."""
    import same_seed
    from iris_data import CLASSES, ROWS
    xs = [list(row[:4]) for row in ROWS]
    labels = [CLASSES[row[4]] for row in ROWS]
    same_seed.show(same_seed.trained_weights(same_seed.iris_samples(xs, labels)))


def import_cost():
    """Print the heap that importing tinybackprop (frozen) takes, and the board's heap."""
    gc.collect()
    before, total = gc.mem_free(), gc.mem_free() + gc.mem_alloc()
    import tinybackprop  # noqa: F401
    gc.collect()
    print("import tinybackprop: %d bytes of heap; the board's heap: %d bytes, %d free at the prompt"
          % (before - gc.mem_free(), total, before))
