"""Run the core tests without pytest, on any interpreter: python tests/portable.py

CPython 3.6+, PyPy and MicroPython alike.  Runs every test_* function of the core
test modules (not the command line and CSV tests, which need CPython's csv and
subprocess), prints each failure, then one line "N passed, N failed"; exits 1
if anything failed.

On a board without a file system to write to (the emulated board of
tools/board.py, where this module is frozen into the firmware):

    import portable
    portable.main(files=False)   # skips the tests that write files, and says so
"""
import sys

if "/" in __file__.replace("\\", "/"):
    HERE = __file__.replace("\\", "/").rsplit("/", 1)[0]
    sys.path.insert(0, HERE + "/..")  # the tinybackprop package
    sys.path.insert(0, HERE)  # helpers.py and the test modules

MODULES = ["test_matrix", "test_activations", "test_losses", "test_rng", "test_network",
           "test_gradients", "test_training", "test_rules", "test_fast", "test_unroll", "test_modelfile"]


def show(e):
    if hasattr(sys, "print_exception"):  # MicroPython
        sys.print_exception(e)
    else:
        import traceback
        traceback.print_exc()


def main(files=True):
    """Run the tests; files=False skips those a module lists in WRITES_FILES.  Returns 1
    if any failed, else 0."""
    from tinybackprop.core.floats import BITS
    impl = sys.implementation
    print("interpreter: %s %s (Python %s), floats of %d significant bits"
          % (impl.name, ".".join(str(v) for v in impl.version[:3]),
             ".".join(str(v) for v in sys.version_info[:3]), BITS))
    passed = failed = skipped = 0
    for name in MODULES:
        module = __import__(name)
        writers = getattr(module, "WRITES_FILES", ())
        for attr in sorted(dir(module)):
            if not attr.startswith("test_"):
                continue
            if not files and attr in writers:
                skipped += 1
                continue
            try:
                getattr(module, attr)()
                passed += 1
            except Exception as e:
                failed += 1
                print("FAIL %s.%s: %s: %s" % (name, attr, type(e).__name__, e))
                show(e)
    print("%d passed, %d failed%s" % (passed, failed,
                                      ", %d skipped (they write files)" % skipped if skipped else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
