"""The core: the minimal library, the math a student reads and a board freezes.

matrix (the loops), activations (sigma, sigma'), losses (L, dL/da), backprop
(the forward pass, delta^L, the delta recursion, the gradients, the step),
network (the Network of the math), rng, floats, errors and checks.  It imports
nothing from the other folders of the package.
"""
