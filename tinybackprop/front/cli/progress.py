"""Training progress: one line per epoch, a bar within long epochs, Ctrl-C between steps."""
import math
import sys
import time

from ...core.network import loss_and_accuracy


class Interrupted(Exception):
    """Ctrl-C, acted on between two training steps."""


def progress_line(record, epochs, samples_per_second, seconds_left, regression_std=None, test=None):
    """One line of training progress for an epoch's history record: the training part,
    the validation part early stopping watches (val), and the held-out part (test, a
    (mean loss, accuracy) pair, or None), which only the line sees."""
    line = "epoch %3d/%d  loss %.4f" % (record["epoch"], epochs, record["loss"])
    parts = (("train", record["loss"], record["accuracy"]), ("val", record["val_loss"], record["val_accuracy"]),
             ("test",) + (tuple(test) if test is not None else (None, None)))
    for name, loss, accuracy in parts:
        if regression_std is not None and loss is not None:
            line += "  %s rmse %.4g" % (name, math.sqrt(loss) * regression_std)
        elif regression_std is None and accuracy is not None:
            line += "  %s acc %.3f" % (name, accuracy)
    return line + "  %7.0f samples/s  %s left" % (samples_per_second, duration(seconds_left))


def duration(seconds):
    seconds = int(round(seconds))
    if seconds >= 3600:
        return "%d:%02d:%02d" % (seconds // 3600, seconds // 60 % 60, seconds % 60)
    return "%d:%02d" % (seconds // 60, seconds % 60)


class Progress:
    """Prints one line per epoch and, on a terminal, a bar within long epochs; turns a
    requested stop (Ctrl-C) into Interrupted between two steps."""

    BAR = 30

    def __init__(self, epochs, m, quiet, regression_std=None, stream=None, net=None, test=None):
        self.epochs, self.m, self.quiet, self.regression_std = epochs, m, quiet, regression_std
        self.net, self.test = net, test  # the held-out part, shown each epoch
        self.tests = []  # its (loss, accuracy) after each epoch, for the plot
        self.stream = stream or sys.stdout  # standard error where standard output carries a file
        self.live = not quiet and self.stream.isatty()
        self.started = self.epoch_started = time.perf_counter()
        self.training_seconds = 0.0
        self.stop_requested = False
        self.last_bar = 0.0
        self.position = (0, 0)

    def request_stop(self, signum=None, frame=None):
        self.stop_requested = True

    def step(self, epoch, done):
        self.position = (epoch, done)
        if self.stop_requested:
            raise Interrupted()
        if self.live and time.perf_counter() - self.last_bar > 0.1:
            self.last_bar = time.perf_counter()
            filled = self.BAR * done // self.m
            self.stream.write("\repoch %3d/%d [%s%s] %3d%%" % (epoch, self.epochs, "#" * filled,
                                                              "." * (self.BAR - filled), 100 * done // self.m))
            self.stream.flush()

    def epoch_done(self, record):
        now = time.perf_counter()
        seconds = max(now - self.epoch_started, 1e-9)
        self.training_seconds += seconds
        left = (self.epochs - record["epoch"]) * (now - self.started) / record["epoch"]
        test = loss_and_accuracy(self.net, self.test) if self.test else None  # quiet too: for the plot
        if test is not None:
            self.tests.append(test)
        if not self.quiet:
            if self.live:
                self.stream.write("\r" + " " * (self.BAR + 20) + "\r")
            print(progress_line(record, self.epochs, self.m / seconds, left, self.regression_std, test),
                  file=self.stream)
            self.stream.flush()
        self.epoch_started = time.perf_counter()  # the held-out evaluation is not training time
