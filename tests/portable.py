"""Run the core tests without pytest, on any interpreter: python tests/portable.py

CPython 3.6+, PyPy and MicroPython alike.  Runs every test_* function of the core
test modules (not the command line and CSV tests, which need CPython's csv and
subprocess), prints each failure, then one line "N passed, N failed"; exits 1
if anything failed.
"""
import sys

HERE = __file__.replace("\\", "/").rsplit("/", 1)[0] if "/" in __file__.replace("\\", "/") else "."
sys.path.insert(0, HERE + "/..")  # the tinybackprop package
sys.path.insert(0, HERE)  # helpers.py and the test modules

MODULES = ["test_matrix", "test_activations", "test_losses", "test_rng", "test_network",
           "test_gradients", "test_training", "test_modelfile"]


def show(e):
    if hasattr(sys, "print_exception"):  # MicroPython
        sys.print_exception(e)
    else:
        import traceback
        traceback.print_exc()


def main():
    impl = sys.implementation
    print("interpreter: %s %s (Python %s)" % (impl.name, ".".join(str(v) for v in impl.version[:3]),
                                            ".".join(str(v) for v in sys.version_info[:3])))
    passed = failed = 0
    for name in MODULES:
        module = __import__(name)
        for attr in sorted(dir(module)):
            if not attr.startswith("test_"):
                continue
            try:
                getattr(module, attr)()
                passed += 1
            except Exception as e:
                failed += 1
                print("FAIL %s.%s: %s: %s" % (name, attr, type(e).__name__, e))
                show(e)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


sys.exit(main())
