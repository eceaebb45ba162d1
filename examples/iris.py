"""Iris (Fisher, 1936): three species from four measurements: python examples/iris.py

The command line's defaults ([4, 32, 3], tanh, softmax, lr 0.01), the same as
`python -m tinybackprop train tinybackprop/data/datasets/iris.csv`.
"""
from classify_csv import classify

classify("iris")
