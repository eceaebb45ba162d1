"""Two interleaving half circles, a classic non-linear boundary: python examples/two_moons.py [OUT.svg]

Generates 400 points with the library's seeded generator (noise 0.15), trains a
[2, 16, 2] network (tanh, softmax) on 80% of them, prints the held-out
accuracy, and writes two_moons.svg: the learning curves and the decision regions.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from tinybackprop.front.cli.train import fit, split  # noqa: E402
from tinybackprop.data.tables import make_table  # noqa: E402
from tinybackprop.files.atomic import write_atomically  # noqa: E402
from tinybackprop.seeing.plot import training_svg  # noqa: E402
from tinybackprop.data.toy import two_moons  # noqa: E402


xs, labels = two_moons(400, 0.15, seed=1)
table = make_table(["x1", "x2"], "moon", xs, labels, path="two moons")
train_rows, test_rows = split(table, 0.2, 0)
model, history, held_out = fit(table, train_rows, test_rows, hidden=(16,), epochs=100, lr=0.02,
                               schedule="constant", patience=None)
net = model.network
print("two moons: %r, 100 epochs" % net)
print("two moons: held-out accuracy %.3f (%d of %d)" % (held_out[1], round(held_out[1] * len(test_rows)),
                                                      len(test_rows)))
out = sys.argv[1] if len(sys.argv) > 1 else "two_moons.svg"
write_atomically(out, training_svg(history, "two moons: %r" % net, regions={
    "net": net, "scaling": model.scaling, "xs": xs, "labels": labels, "classes": table["classes"],
    "feature_names": table["features"]}))
print("learning curves and decision regions written to %s" % out)
