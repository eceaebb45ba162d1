"""explain, gradcheck and unroll: one step of a network, written out, checked, or unrolled."""
import time

from ...core.activations import ACTIVATIONS
from ...core.checks import parameter_count
from ...core.errors import TinyBackpropError
from ...core.losses import LOSSES
from ...fast.unroll import UNROLL_MAX, can_unroll, step_source
from ...network import Network, load
from ...seeing.picture import all_stages_svg, step_page
from ...seeing.trace import MAX_PRECISION, explain
from ...training.gradcheck import TOLERANCE, gradient_check
from .common import check_outputs, numbers, sizes, write_output


def network_and_sample(args):
    """The network (from --model, or --sizes/--activations/--loss/--seed) and the
    sample (--x, --y; by default x = 0.5, -1, 0.5, ... and y one-hot on output 0)."""
    if args.model:
        net = load(args.model)
    else:
        activations = args.activations.split(",")
        net = Network(args.sizes, activations[0] if len(activations) == 1 else activations,
                      args.loss, seed=args.seed)
    x = args.x if args.x is not None else [0.5 if j % 2 == 0 else -1.0 for j in range(net.sizes[0])]
    y = args.y if args.y is not None else [1.0] + [0.0] * (net.sizes[-1] - 1)
    return net, x, y


def explain_step(args):
    """Write one SGD step of the network, every number shown: text, Markdown, an HTML
    page or an SVG picture."""
    check_outputs([("--model", args.model)] if args.model else [], [("--out", args.out)])
    net, x, y = network_and_sample(args)
    if not 0 <= args.precision <= MAX_PRECISION:  # the library checks it too; said as the flag here
        raise TinyBackpropError("--precision is %d: give 0 to %d digits after the point (a float has no more)"
                                % (args.precision, MAX_PRECISION))
    if args.format == "html":
        text = step_page(net, x, y, args.lr, args.precision)
    elif args.format == "svg":
        text = all_stages_svg(net, x, y, args.lr, args.precision)
    else:
        text = explain(net, x, y, args.lr, format=args.format, precision=args.precision) + "\n"
    write_output(args.out or "-", text)
    if args.out not in (None, "-"):
        print("wrote %s (%d bytes)" % (args.out, len(text.encode("utf-8"))))
    return 0


def unroll_step(args):
    """Print one per-sample SGD step of the network as scalar statements (tinybackprop.fast.unroll)."""
    net, x, y = network_and_sample(args)
    if not can_unroll(net):
        raise TinyBackpropError("unroll writes out networks of at most %d neurons a layer, with a "
                                "softmax only at the output; %r is not one" % (UNROLL_MAX, net))
    print(step_source(net), end="")
    return 0


def gradcheck(args):
    """Compare backprop with central differences; show what each cost."""
    net, x, y = network_and_sample(args)
    P = parameter_count(net.sizes)
    start = time.perf_counter()
    repeats = 0
    while repeats < 1 or time.perf_counter() - start < 0.2:  # repeat: one backprop is too quick to time
        net.backprop(x, y)
        repeats += 1
    backprop_seconds = (time.perf_counter() - start) / repeats
    start = time.perf_counter()
    error = gradient_check(net, x, y)
    check_seconds = time.perf_counter() - start - backprop_seconds
    print("network %r, %d parameters" % (net, P))
    print("backprop:             1 forward + 1 backward pass   %10.3f ms" % (backprop_seconds * 1e3))
    print("central differences:  %d forward passes (2 per parameter)   %10.3f ms  (%.0f times as long)"
          % (2 * P, check_seconds * 1e3, check_seconds / backprop_seconds))
    verdict = "backprop is right" if error < TOLERANCE else "backprop and the differences DISAGREE"
    print("largest relative error: %.2e (tolerance %.1e): %s" % (error, TOLERANCE, verdict))
    return 0 if error < TOLERANCE else 1


def add_commands(commands):
    """explain, gradcheck and unroll, with their flags: a network (new, or --model) and a sample."""
    for name, run, function_help in (
            ("explain", explain_step, "one training step written out in the article's notation"),
            ("gradcheck", gradcheck, "backprop against finite differences, with the cost of each"),
            ("unroll", unroll_step, "one SGD step of a small network as scalar statements")):
        c = commands.add_parser(name, help=function_help)
        c.set_defaults(run=run)
        c.add_argument("--sizes", type=sizes, default=[2, 3, 2], help="layer sizes (default: 2,3,2)")
        c.add_argument("--activations", default="sigmoid",
                       help="one of %s, or one per layer separated by commas (default: sigmoid)"
                            % ", ".join(sorted(ACTIVATIONS)))
        c.add_argument("--loss", default="mse", choices=sorted(LOSSES), help="the loss (default: mse)")
        c.add_argument("--seed", type=int, default=0, help="seed of the initial weights (default: 0)")
        c.add_argument("--model", metavar="FILE", help="a saved model instead of a new network")
        c.add_argument("--x", type=numbers, help="the input, e.g. 0.5,-1 (default: 0.5,-1,0.5,...)")
        c.add_argument("--y", type=numbers, help="the target, e.g. 1,0 (default: 1,0,0,...)")
        if name == "explain":
            c.add_argument("--lr", type=float, default=0.5, help="learning rate η (default: 0.5)")
            c.add_argument("--format", choices=["text", "markdown", "html", "svg"], default="text",
                           help="plain text for a terminal (the default), Markdown, html: one page "
                                "to step through in a browser, svg: the three stages as one picture")
            c.add_argument("--out", metavar="FILE", help="write it here (default: stdout)")
            c.add_argument("--precision", type=int, default=4, help="digits after the point (default: 4)")
