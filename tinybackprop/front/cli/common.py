"""What every command shares: files written whole, names made safe to show, flag readers."""
import argparse
import os
import sys

from ...core.errors import TinyBackpropError
from ...files.atomic import write_atomically


class Terminated(BaseException):
    """SIGTERM: raised where the program is, so that every cleanup runs (no file left half
    written, no temporary file left); main ends with status 143."""


def terminate(signum, frame):
    raise Terminated()


# -- Files the commands write ------------------------------------------------------

def write_output(path, text):
    """Write text to the file path, whole or not at all; "-" is standard output."""
    if path == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_atomically(path, text)


def check_outputs(inputs, outputs):
    """Before any work: every output, a (flag, path) pair (path None: not asked for, "-":
    standard output), must be a file name in a folder that exists, and name neither an
    input, a (flag, path) pair, nor another output, links resolved."""
    named = []
    dashes = [flag for flag, path in outputs if path == "-"]
    if len(dashes) > 1:  # a model and an SVG in one stream: neither could be read back
        raise TinyBackpropError("%s %s write to standard output (-): give all but one a file name"
                                % (" and ".join(dashes), "both" if len(dashes) == 2 else "all"))
    for flag, path in outputs:
        if path is None or path == "-":
            continue
        if path == "":
            raise TinyBackpropError("%s is empty: give a file name, or - for standard output" % flag)
        real = os.path.realpath(path)
        folder = os.path.dirname(real)
        if not os.path.isdir(folder):
            raise TinyBackpropError("%s %s: the folder %s does not exist" % (flag, path, folder))
        for input_flag, input_path in inputs:
            if same_file(real, input_path):
                raise TinyBackpropError("%s %s is the %s this command reads: it would be replaced; "
                                        "give another file name" % (flag, path, input_flag))
        for other_flag, other in named:
            if real == other:
                raise TinyBackpropError("%s and %s name one file, %s: give each its own" % (other_flag, flag, path))
        named.append((flag, real))


def same_file(a, b):
    """Do paths a and b name one file (through links, or as hard links of one file)?"""
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist
        return False


def cell(text):
    """A CSV cell for a name from the data: one that a spreadsheet would run as a formula
    (starting with =, +, -, @, a tab or a carriage return) gets a leading ', unless it is
    a number."""
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text


def shown(name):
    """name for a terminal: control characters (which could move the cursor, or worse)
    written as escapes."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in name)


# -- Reading the flags ---------------------------------------------------------------

def numbers(text):
    """A comma-separated list of numbers, for argparse: "0.5,-1" -> [0.5, -1.0]."""
    try:
        return [float(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError("%r is not a comma-separated list of numbers" % text)


def sizes(text):
    """A comma-separated list of layer sizes, for argparse: "2,3,2" -> [2, 3, 2]."""
    try:
        return [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError("%r is not a comma-separated list of integers" % text)


def hidden_sizes(text):
    """--hidden: "32" or "32,16" -> [32] or [32, 16]."""
    layers = sizes(text)
    if any(n < 1 for n in layers):
        raise argparse.ArgumentTypeError("every hidden layer needs at least 1 neuron, got %r" % text)
    return layers


def names(text):
    """A comma-separated list of column names, for argparse: "a,b" -> ["a", "b"]."""
    return [part.strip() for part in text.split(",")]


def delimiter(text):
    """--delimiter: one character; "tab" or "\\t" for a tab."""
    text = "\t" if text in ("tab", "\\t") else text
    if len(text) != 1 or text in ('"', "\r", "\n"):
        raise argparse.ArgumentTypeError("%r: give one character, such as ; or tab" % text)
    return text


def dialect(p):
    """The flags that say how a CSV file is written."""
    p.add_argument("--delimiter", metavar="C", type=delimiter, help="the field separator (default: the most frequent "
                   "of , ; tab | in the header)")
    p.add_argument("--decimal", default=".", choices=[".", ","],
                   help="the decimal mark of the numbers (default: .)")


FLAG_TYPES = {"sizes": hidden_sizes, "names": names}  # a setting's kind: how its flag's text is read
