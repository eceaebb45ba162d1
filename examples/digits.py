"""Handwritten digits, 8x8 pixels (UCI optical digits): python examples/digits.py

The command line's defaults ([64, 32, 10], tanh, softmax, lr 0.01, 20 epochs), the
same as `python -m tinybackprop train tinybackprop/data/datasets/digits.csv`.  About 10 s.
"""
from classify_csv import classify

net, accuracy = classify("digits")
