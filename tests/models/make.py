"""Writes the model files of tests/test_old_model_files.py (run once, by tinybackprop 0.x at
commit c208c13, on 2026-12-01; kept so that files written then must load and predict the same).

    python tests/models/make.py

It writes here: flowers.csv (a table with a text column, a number column with missing
values and a class target), cars.csv (a regression with a category column), and the
model files xor.json (a Network's save), flowers.json and cars.json (the command line's
train), with expected.json: the outputs a^L and answers each gave for rows.
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))

import tinybackprop as tb
from tinybackprop.core.rng import Random


def write_tables():
    r = Random(7)
    colours = ["red", "blue", "green"]
    with open(os.path.join(HERE, "flowers.csv"), "w") as f:
        f.write("petal,colour,stem,kind\n")
        for k in range(60):
            colour = colours[k % 3]
            petal = 1.0 + 3.0 * r.random()
            stem = "" if k % 11 == 0 else "%.3f" % (10.0 * r.random())
            kind = "tall" if petal + (1.5 if colour == "red" else 0.0) > 2.8 else "short"
            f.write("%.3f,%s,%s,%s\n" % (petal, colour, stem, kind))
    with open(os.path.join(HERE, "cars.csv"), "w") as f:
        f.write("weight,origin,mpg\n")
        for k in range(50):
            origin = 1 + k % 3
            weight = 1500.0 + 3000.0 * r.random()
            mpg = 50.0 - weight / 120.0 + 3.0 * origin + r.random()
            f.write("%.1f,%d,%.2f\n" % (weight, origin, mpg))


def train(csv, model, *flags):
    subprocess.check_call([sys.executable, "-m", "tinybackprop", "train", os.path.join(HERE, csv),
                           "--save", os.path.join(HERE, model), "--quiet", "--hidden", "4",
                           "--epochs", "30"] + list(flags))


def main():
    write_tables()
    xor = tb.Network([2, 3, 1], activations=["tanh", "sigmoid"], loss="binary_cross_entropy", seed=1)
    xor.train([([0.0, 0.0], [0.0]), ([0.0, 1.0], [1.0]), ([1.0, 0.0], [1.0]), ([1.0, 1.0], [0.0])] * 5,
              epochs=100, lr=0.5, fast=False)
    xor.save(os.path.join(HERE, "xor.json"))
    train("flowers.csv", "flowers.json", "--missing", "mean")
    train("cars.csv", "cars.json", "--category", "origin")
    expected = {"xor.json": {"x": [[0.0, 1.0], [1.0, 1.0]],
                             "outputs": [xor.predict([0.0, 1.0]), xor.predict([1.0, 1.0])]}}
    rows = {"flowers.json": [["2.5", "red", ""], ["1.2", "blue", "4.0"], ["3.9", "green", "9.5"]],
            "cars.json": [["2000", "1"], ["3500", "3"], ["4200", "2"]]}
    for name in rows:
        model = tb.load(os.path.join(HERE, name))
        expected[name] = {"rows": rows[name], "outputs": model.outputs(rows[name]),
                          "answers": model.predict(rows[name])}
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
