"""export: a saved model as a standalone Python module, an integer-only module, or a C header."""
import os

from ...data.model import load as load_model
from ...export.sources import c_header_source, int8_module_source, module_source
from .common import check_outputs, write_output

EXPORTS = {  # --format: (the text's maker, how to use what was written: for x, and for a raw row)
    "python": (lambda model, path: module_source(model, source=os.path.basename(path)),
               "import it and call predict(x) with %d raw input values",
               "import it and call predict(row) with a raw row of %d values"),
    "int8": (lambda model, path: int8_module_source(model),
             "import it and call predict(x) with %d raw input values (integer arithmetic only)",
             "import it and call predict(row) with a raw row of %d values (integer arithmetic only)"),
    "c": (lambda model, path: c_header_source(model),
          "include it in one .c file and call tb_predict(x, out) with %d raw input values "
          "(tb_predict_int8 for integers only, where it was written)",
          "include it in one .c file, make x from a raw row of %d texts with tb_encode_row and "
          "call tb_predict(x, out) (tb_predict_int8 for integers only, where it was written)"),
}


def export(args):
    """Write the model as a standalone Python module, an integer-only module, or a C header."""
    check_outputs([("model file", args.model)], [("--out", args.out)])
    model = load_model(args.model)
    make_text, usage, row_usage = EXPORTS[args.format]
    text = make_text(model, args.model)
    write_output(args.out or "-", text)
    if args.out in (None, "-"):
        return 0
    print("wrote %s (%d bytes): %s" % (args.out, len(text), usage % model.network.sizes[0] if model.columns is None
                                      else row_usage % len(model.columns)))
    return 0


def add_commands(commands):
    """export, with its flags."""
    e = commands.add_parser("export", help="write a model as a standalone Python module, an "
                            "integer-only module or a C header")
    e.set_defaults(run=export)
    e.add_argument("model", metavar="MODEL.json", help="a model file saved by tinybackprop")
    e.add_argument("--format", choices=sorted(EXPORTS), default="python",
                   help="python: a module that needs only math (the default); int8: a module that "
                        "predicts with integer arithmetic only (a classifier's or a regression's "
                        "identity output); c: one C header with float and int8 predict functions")
    e.add_argument("--out", metavar="FILE", help="where to write it (default: stdout)")
