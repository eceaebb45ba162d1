"""A tour of the article, section by section, with the library call for each step.

    python examples/walkthrough.py

Each section prints what the library computes for one small network, so you can
follow the equations with numbers: forward propagation, the loss, the chain
rule, the delta recursion, and stochastic gradient descent.  Where the article
slips (docs/math.md lists the slips), the comment says so and the code follows the
corrected form.
"""
import math
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import tinybackprop as tb  # noqa: E402
from tinybackprop.training.gradcheck import numerical_gradient  # noqa: E402
from tinybackprop.core.losses import loss_gradient, loss_value  # noqa: E402
from tinybackprop.core.matrix import affine, hadamard, outer, transpose_times  # noqa: E402
from tinybackprop.core.backprop import deltas, feedforward  # noqa: E402


def show(name, value):
    """Print a number, a vector or a matrix, rounded to 4 places."""
    if isinstance(value, float):
        print("  %s = %.4f" % (name, value))
    elif isinstance(value[0], list):
        print("  %s =" % name)
        for row in value:
            print("      [" + "  ".join("%8.4f" % v for v in row) + " ]")
    else:
        print("  %s = [" % name + "  ".join("%.4f" % v for v in value) + "]")


def section(title):
    print("\n== " + title)


# A 2-3-2 network of sigmoids with the mean squared error, as in the article.
net = tb.Network([2, 3, 2], activations="sigmoid", loss="mse", seed=0)
x, y = [0.5, -1.0], [1.0, 0.0]
L = len(net.sizes) - 1  # the output layer's number: 2
print("network %r; one sample x = %r, target y = %r" % (net, x, y))
print("Python counts from 0, the article's layers from 1: net.weights[l - 1] is W^l.")

section("1. Forward propagation: z^l = W^l a^(l-1) + b^l, a^l = σ(z^l), a^0 = x")
# W^l[i][j] connects neuron j of layer l-1 to neuron i of layer l (slip 2: the
# article says "layer j").  tinybackprop.core.backprop.feedforward does this loop:
a = [x]
for l in range(1, L + 1):
    z_l = affine(net.weights[l - 1], a[l - 1], net.biases[l - 1])  # matrix.affine: W a + b
    a.append([1.0 / (1.0 + math.exp(-z_i)) for z_i in z_l])  # σ(z) = 1 / (1 + e^-z), by hand
    show("z^%d" % l, z_l)
    show("a^%d" % l, a[l])
z, a_library = feedforward(net, x)
print("  feedforward(net, x) gives the same a^%d: %s" % (L, [round(v, 12) for v in a_library[L]]
                                                        == [round(v, 12) for v in a[L]]))
# Slip 1: the article writes a^L = σ(z^l); the output is a^L = σ(z^L).

section("2. The loss L(y, a^L)")
# For one sample, mse is the mean over the n_L outputs of (a_i - y_i)^2.  Over m
# samples the loss is the mean (1/m) Σ_(i=1..m) (slip 3: the article writes 1/n).
show("L = mse(a^2, y)", loss_value("mse", a_library[L], y))
print("  net.evaluate([(x, y)]) -> (loss, accuracy) =", net.evaluate([(x, y)]))

section("3. The chain rule at the output: δ^L = ∂L/∂a^L ⊙ σ'(z^L)")
dL_da = loss_gradient("mse", a_library[L], y)  # 2 (a - y) / n
sigma_prime = [a_i * (1.0 - a_i) for a_i in a_library[L]]  # σ' = σ (1 - σ)
delta_L = hadamard(dL_da, sigma_prime)
show("∂L/∂a^2", dL_da)
show("σ'(z^2)", sigma_prime)
show("δ^2", delta_L)

section("4. The δ recursion: δ^l = ((W^(l+1))ᵀ δ^(l+1)) ⊙ σ'(z^l)")
# Slip 4: the article writes δ^(l+1) (W^(l+1))ᵀ · ∂a/∂z; with column vectors the
# product is (W^(l+1))ᵀ δ^(l+1), and the last "·" is the element-wise product ⊙.
back = transpose_times(net.weights[1], delta_L)  # matrix.transpose_times: (W^2)^T δ^2
delta_1 = hadamard(back, [a_i * (1.0 - a_i) for a_i in a_library[1]])
show("(W^2)ᵀ δ^2", back)
show("δ^1", delta_1)
delta = deltas(net, z, a_library, y)  # what backprop uses: the same numbers
print("  backprop.deltas gives the same δ^1: %s" % ([round(v, 12) for v in delta[1]]
                                                  == [round(v, 12) for v in delta_1]))

section("5. The gradients: ∂L/∂W^l = δ^l (a^(l-1))ᵀ and ∂L/∂b^l = δ^l")
# Slip 5: the article leaves out the bias gradient; SGD needs it.
show("∂L/∂W^1 = δ^1 (a^0)ᵀ", outer(delta_1, x))
gW, gb = net.backprop(x, y)
show("net.backprop(x, y)[0][0]", gW[0])
show("∂L/∂b^1 = δ^1", gb[0])

section("6. The naive way, and why backprop (slip 6)")
# Finite differences need no hidden-layer targets: they give every ∂L/∂W_ij from
# the output loss alone, at two forward passes per parameter.
P = sum(len(W) * len(W[0]) + len(b) for W, b in zip(net.weights, net.biases))
start = time.time()
nW, nb = numerical_gradient(net, x, y)
naive = time.time() - start
start = time.time()
net.backprop(x, y)
fast = time.time() - start
show("finite differences ∂L/∂W^1", nW[0])
print("  %d parameters: %d forward passes for the naive way (%.2f ms), one forward and one"
      " backward pass for backprop (%.2f ms)" % (P, 2 * P, naive * 1e3, fast * 1e3))
print("  tb.gradient_check(net, x, y) = %.1e (largest relative error; below 1e-6 is right)"
      % tb.gradient_check(net, x, y))

section("7. Stochastic gradient descent: W ← W − η ∂L/∂W, b ← b − η ∂L/∂b")
before = net.evaluate([(x, y)])[0]
history = net.train([(x, y)], epochs=1, lr=0.5)  # one sample: one step
show("W^1 after one step", net.weights[0])
print("  loss before %.4f, after %.4f" % (before, net.evaluate([(x, y)])[0]))
print("  every number of that step: tb.explain(net, x, y, lr) or python -m tinybackprop explain")
print("  and as a picture to step through: python -m tinybackprop explain --format html --out step.html")

section("8. Learning XOR")
samples = [([0.0, 0.0], [0.0]), ([0.0, 1.0], [1.0]), ([1.0, 0.0], [1.0]), ([1.0, 1.0], [0.0])]
xor = tb.Network([2, 4, 1], activations=["tanh", "sigmoid"], loss="binary_cross_entropy", seed=0)
history = xor.train(samples, epochs=500, lr=0.1)
for x_k, y_k in samples:
    print("  x = %s  target %.0f  output %.3f" % (x_k, y_k[0], xor.predict(x_k)[0]))
print("  after 500 epochs: mean loss %.4f, accuracy %.2f" % (history[-1]["loss"], history[-1]["accuracy"]))
