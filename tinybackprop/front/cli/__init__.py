"""The command line: ``python -m tinybackprop COMMAND``, one module per command.

    demo       train a network on a bundled data set and print its progress     train.py
    train      train on a CSV file; save the model, plot the learning curves    train.py
    predict    a model's predictions for a CSV file                             predict.py
    evaluate   a model's accuracy and confusion matrix (or RMSE) on a CSV file  predict.py
    explain    one training step written out in the article's notation          step.py
    gradcheck  backprop against finite differences, with the cost of each      step.py
    unroll     one SGD step of a small network as scalar statements             step.py
    export     write a model for small devices: Python, integer-only Python, or C   export.py

Each command module adds its own flags (``add_commands``); common.py holds what
they share, progress.py the training progress.  The library never prints; this
package does.  Errors in what the user gave end in one line on stderr and exit
status 2; the machine's (a full disk, no permission, no memory left) in one line and
status 1.
"""
import argparse
import os
import signal
import sys

from ...core.errors import TinyBackpropError
from ...version import __version__
from . import export, predict, step, train
from .common import Terminated, shown, terminate


def program_name():
    """How the program was started: "tinybackprop", or "python -m tinybackprop"."""
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return "python -m tinybackprop" if name in ("", "__main__.py", "-c") else name


def parser():
    """The argument parser: every command, each with the flags its module gives it."""
    p = argparse.ArgumentParser(prog=program_name(), description="Backpropagation in pure Python.")
    p.add_argument("--version", action="version", version="tinybackprop " + __version__)
    commands = p.add_subparsers(dest="command", metavar="COMMAND")
    for module in (train, predict, step, export):  # in the order of the list above
        module.add_commands(commands)
    return p


def main(argv=None):
    p = parser()
    args = p.parse_args(argv)
    if args.command is None:
        p.print_help()
        return 2
    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        return args.run(args)
    except (TinyBackpropError, TypeError, ValueError) as e:
        print("tinybackprop %s: %s" % (args.command, shown(str(e))), file=sys.stderr)  # a name may hold ESC
    except BrokenPipeError:  # the reader stopped reading (| head): nothing more to say
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error at exit
        except (OSError, ValueError):
            pass
        return 141
    except OSError as e:
        where = " %r" % e.filename if getattr(e, "filename", None) else ""
        named_wrong = isinstance(e, (FileNotFoundError, IsADirectoryError, NotADirectoryError))
        print(shown("tinybackprop %s: cannot use%s: %s%s" % (
            args.command, where, e.strerror or e, "" if named_wrong else " (nothing was half-written)")),
            file=sys.stderr)
        return 2 if named_wrong else 1  # a path given wrong, or the machine's trouble (a full disk, no permission)
    except MemoryError:
        print("tinybackprop %s: out of memory: the data or the model is too large for this machine "
              "(a smaller --hidden, or fewer rows or columns, needs less)" % args.command, file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # Ctrl-C outside training (which stops between two steps)
        print("\ntinybackprop %s: interrupted (a file is written whole or not at all)" % args.command,
              file=sys.stderr)
        return 130
    except Terminated:
        print("\ntinybackprop %s: terminated (a file is written whole or not at all)" % args.command,
              file=sys.stderr)
        return 143
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 2
