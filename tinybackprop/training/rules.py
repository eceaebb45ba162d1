"""Update rules beyond plain SGD, and learning-rate schedules.

An update rule turns a step's gradients g^l = dL/dW^l (and dL/db^l) into the
changes Delta W^l, Delta b^l that ``backprop.step`` adds to the weights; plain
SGD, Delta W^l = -lr g^l, is ``backprop.SGD``, the reference.  Each rule here is
one class with the same ``changes(gW, gb)``, its equations beside it, and keeps
what it remembers from step to step (a velocity, moment estimates) itself.
They follow PyTorch's ``torch.optim`` formulas, so that a test can compare
weights with it step by step.

    Momentum       v <- mu v + g  (v = g at the first step)
                   Delta W = -lr v                       (classical)
                   Delta W = -lr (g + mu v)              (Nesterov)
    Adam           m <- b1 m + (1 - b1) g,  s <- b2 s + (1 - b2) g^2
                   Delta W = -lr (m / (1 - b1^t)) / (sqrt(s / (1 - b2^t)) + eps)
    WeightDecay    g <- g + lambda_n W before any rule: L2 regularisation,
                   the loss gains (lambda_n / 2) sum W^2 (biases are not decayed)

Nielsen's network2 writes the decay as (lambda / n) W with n the number of
training samples; ``train`` takes lambda (``weight_decay``) and passes
lambda_n = lambda / n to WeightDecay.

A schedule gives the learning rate of each epoch: ``constant``,
``inverse_scaling`` (lr / epoch^power) and ``step_decay`` (lr factor^k after k
blocks of epochs).
"""
import math

from ..core.backprop import SGD
from ..core.matrix import scale, zeros


class Momentum:
    """SGD with momentum, classical or Nesterov's (torch.optim.SGD, dampening 0)."""

    def __init__(self, lr, momentum=0.9, nesterov=False):
        self.lr, self.mu, self.nesterov = lr, momentum, nesterov
        self.vW = self.vb = None  # the velocities, shaped like the gradients

    def changes(self, gW, gb):
        """(Delta W, Delta b) after updating the velocities with this step's gradients."""
        if self.vW is None:  # the first step: v = g
            self.vW = [[list(row) for row in G] for G in gW]
            self.vb = [list(g) for g in gb]
        else:
            for l in range(len(gW)):
                for v, g in zip(self.vW[l] + [self.vb[l]], gW[l] + [gb[l]]):
                    for i in range(len(v)):
                        v[i] = self.mu * v[i] + g[i]  # v <- mu v + g
        return ([[self.change(v, g) for v, g in zip(self.vW[l], gW[l])] for l in range(len(gW))],
                [self.change(self.vb[l], gb[l]) for l in range(len(gb))])

    def change(self, v, g):
        """-lr v, or with Nesterov -lr (g + mu v), for one row."""
        if self.nesterov:
            return [-self.lr * (g_i + self.mu * v_i) for v_i, g_i in zip(v, g)]
        return scale(-self.lr, v)


class Adam:
    """Adam (Kingma and Ba, 2015), as torch.optim.Adam computes it."""

    def __init__(self, lr, beta1=0.9, beta2=0.999, epsilon=1e-8):
        self.lr, self.beta1, self.beta2, self.epsilon = lr, beta1, beta2, epsilon
        self.t = 0
        self.mW = self.sW = self.mb = self.sb = None  # first and second moments

    def changes(self, gW, gb):
        """(Delta W, Delta b) after updating the moment estimates with this step's gradients."""
        if self.mW is None:
            self.mW = [zeros(len(G), len(G[0])) for G in gW]
            self.sW = [zeros(len(G), len(G[0])) for G in gW]
            self.mb = [zeros(len(g)) for g in gb]
            self.sb = [zeros(len(g)) for g in gb]
        self.t += 1
        dW = [[self.change(m, s, g) for m, s, g in zip(self.mW[l], self.sW[l], gW[l])]
              for l in range(len(gW))]
        db = [self.change(self.mb[l], self.sb[l], gb[l]) for l in range(len(gb))]
        return dW, db

    def change(self, m, s, g):
        """Update one row's moments m and s in place with its gradients g; its changes."""
        b1, b2 = self.beta1, self.beta2
        unbias1, unbias2 = 1.0 - b1 ** self.t, 1.0 - b2 ** self.t
        out = []
        for i in range(len(g)):
            m[i] = b1 * m[i] + (1.0 - b1) * g[i]  # m <- b1 m + (1 - b1) g
            s[i] = b2 * s[i] + (1.0 - b2) * g[i] * g[i]  # s <- b2 s + (1 - b2) g^2
            out.append(-self.lr * (m[i] / unbias1) / (math.sqrt(s[i] / unbias2) + self.epsilon))
        return out


class WeightDecay:
    """L2 regularisation around another rule: each weight's gradient gains lambda_n W.

    weights is the network's list of W^l (the lists themselves, which training
    changes in place: the decay always sees the current weights).
    """

    def __init__(self, rule, weights, lambda_n):
        self.rule, self.weights, self.lambda_n = rule, weights, lambda_n

    @property
    def lr(self):  # the schedule sets the rule's rate through here
        return self.rule.lr

    @lr.setter
    def lr(self, value):
        self.rule.lr = value

    def changes(self, gW, gb):
        """The wrapped rule's changes for the gradients g + lambda_n W (b is not decayed)."""
        decayed = [[[g + self.lambda_n * w for g, w in zip(G_i, W_i)] for G_i, W_i in zip(G, W)]
                   for G, W in zip(gW, self.weights)]  # dL/dW^l + lambda_n W^l
        return self.rule.changes(decayed, gb)


# The registry: for each rule's name, the rule made from (lr, momentum), and the rule in
# words (%(momentum)g: its mu), as the command line's train says it.  Every part of the
# library that takes a rule by name (train, the settings, the command line) finds it here.
UPDATE_RULES = (
    ("sgd", lambda lr, mu: SGD(lr), "SGD"),
    ("momentum", lambda lr, mu: Momentum(lr, mu), "SGD with momentum %(momentum)g"),
    ("nesterov", lambda lr, mu: Momentum(lr, mu, nesterov=True), "SGD with Nesterov momentum %(momentum)g"),
    ("adam", lambda lr, mu: Adam(lr), "Adam"),
)
RULES = tuple(entry[0] for entry in UPDATE_RULES)


def make_rule(name, lr, weights, momentum=0.9, lambda_n=0.0):
    """The update rule called name, for a network whose weights are weights."""
    for rule_name, make, text in UPDATE_RULES:
        if rule_name == name:
            rule = make(lr, momentum)
            return WeightDecay(rule, weights, lambda_n) if lambda_n != 0.0 else rule
    raise ValueError("rule is %r: give one of %s" % (name, ", ".join(RULES)))


def rule_text(name, momentum, weight_decay):
    """The update rule in words: "SGD", "SGD with momentum 0.9", ..., with its weight decay."""
    text = [entry[2] for entry in UPDATE_RULES if entry[0] == name][0] % {"momentum": momentum}
    return text + (", weight decay %g" % weight_decay if weight_decay else "")


# -- Schedules: the learning rate of each epoch (epochs count from 1) ----------------

def constant(lr):
    """lr in every epoch."""
    return lambda epoch: lr


def inverse_scaling(lr, power=0.5):
    """lr / epoch^power: lr, lr / sqrt(2), lr / sqrt(3), ... with the default power."""
    return lambda epoch: lr / epoch ** power


def step_decay(lr, every=10, factor=0.5):
    """lr factor^k in the k-th block of every epochs after the first: lr for epochs
    1..every, lr factor for the next every, ..."""
    return lambda epoch: lr * factor ** ((epoch - 1) // every)


SCHEDULES = {"constant": constant, "inverse_scaling": inverse_scaling, "step_decay": step_decay}
