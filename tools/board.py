"""Build MicroPython with 32-bit floats, and an emulated Cortex-M3 board, and run tinybackprop there.

    python tools/board.py MICROPYTHON_SOURCE [--search] [--only unix|board]

MICROPYTHON_SOURCE is a MicroPython source tree: your clone of
github.com/micropython/micropython (v1.29), or the unpacked copy that CI uses.
The builds go into that tree, as MicroPython's own make files place them:

1. mpy-cross;
2. the unix port with 32-bit floats (ports/unix/build-sp/micropython-sp, as
   on ESP8266, RP2040 and most Cortex-M ports), which then runs
   tests/portable.py: every core test must pass;
3. QEMU mps2-an385 firmwares (Cortex-M3, 32-bit floats, a 140 KB heap) with the
   minimal core alone, as its 16 modules and as one module (tools/onefile.py): the
   flash each adds, the heap its import takes and the default call's XOR weights,
   which must be equal; the one module must take at most 24 KB of flash and 5 KB of
   import heap (issue 28's targets).  Then the firmware with
   tinybackprop's core, its core tests and tools/on_board.py frozen in, first
   with float objects on the heap (MicroPython's default), then with immediate
   floats (MICROPY_OBJ_REPR_C).  Under qemu-system-arm each runs the core tests
   that write no files, trains XOR [2, 4, 1] (with history="last", and with the
   default call) and iris [4, 8, 3] (sharing three target lists, and written plainly
   with the default call), and checks the heap targets: XOR in every free heap from
   12 KB to 28 KB, iris from 64 KB to 80 KB, every 1 KB (every 4 KB with immediate
   floats); a ballast leaves exactly
   that much free, tinybackprop's import included.  With --search it finds the
   smallest such heap for each instead, to 1 KB.
   Each also predicts all 1,797 digits with the int8 and the float export of
   the digits model (trained here with `train`'s defaults): the int8
   predictions must equal this computer's, one for one; and trains the two
   networks of tests/same_seed.py: their weights must equal this computer's to
   100 times the board's float epsilon, as tests/test_same_seed.py asks of 32-bit floats;
4. the digits model's C header (export --format c), compiled and linked for a
   Cortex-M0 (no FPU), int8 and float: the flash each takes; and the C headers of
   the raw tables' models (auto_mpg, a regression with origin a category; iris),
   each in a bare-metal program for the emulated Cortex-M3 that encodes every raw
   row (tb_encode_row) and predicts it with the float and the int8 model, printing
   over semihosting: iris' classes must equal predict's here, auto_mpg's values be
   within BOARD_REGRESSION (float) and test_export's INT8_REGRESSION_MAX (int8)
   target stds of them.

Prints what it built and measured with the time each part took; exits 1 if
anything failed.  Needs make, a C compiler, and for the board
arm-none-eabi-gcc with newlib and qemu-system-arm (Debian: gcc-arm-none-eabi
libnewlib-arm-none-eabi qemu-system-arm build-essential libffi-dev pkg-config).
"""
import argparse
import os
import select
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, ROOT)

import same_seed  # noqa: E402
from layout import board_files, minimal_board_files  # noqa: E402
from onefile import one_file  # noqa: E402
from portable import MODULES as CORE_TESTS  # noqa: E402
from test_same_seed import AGREEMENT_PER_EPSILON  # noqa: E402
from tinybackprop.export import quantize  # noqa: E402
from tinybackprop.front.cli.train import DEFAULTS, fit, split  # noqa: E402
from tinybackprop.data.rows import class_names, dataset_path, load_classification, standardise  # noqa: E402
from tinybackprop.data.tables import read_table  # noqa: E402
from tinybackprop.export.sources import c_header_source, int8_module_source, module_source  # noqa: E402
from tinybackprop.core.network import predicted_class  # noqa: E402

BOARD = "MPS2_AN385"
UNIX_FLAGS = ["VARIANT=standard", "BUILD=build-sp", "PROG=micropython-sp",
              "CFLAGS_EXTRA=-DMICROPY_FLOAT_IMPL=MICROPY_FLOAT_IMPL_FLOAT", "FROZEN_MANIFEST=",
              "MICROPY_PY_BTREE=0", "MICROPY_PY_SSL=0"]
KB = 1024
FIRMWARES = [  # (name, build folder, extra make arguments, step of the heap checks)
    ("boxed floats (MICROPY_OBJ_REPR_A)", "build-" + BOARD, [], 1 * KB),
    ("immediate floats (MICROPY_OBJ_REPR_C)", "build-reprc",
     ["CFLAGS_EXTRA=-DMICROPY_OBJ_REPR=MICROPY_OBJ_REPR_C"], 4 * KB),  # the targets are for boxed floats
]
# the smallest free heap each task must train in (issue 28's: as little as MicroMLP needs for XOR)
TARGETS = {"xor": 12 * KB, "xor_default": 12 * KB, "iris": 64 * KB, "iris_plain": 64 * KB}
MARGIN = 16 * KB  # ... and every size up to this much more (fragmentation makes one size luck)
STEP = 1 * KB  # the resolution of --search


class Failure(Exception):
    """Something that must fail the run: a build, a test or a heap target."""


def timed(title, function, *args):
    """function(*args), with a heading before and the seconds it took after."""
    print("== %s" % title, flush=True)
    start = time.time()
    try:
        return function(*args)
    finally:
        print("   (%.0f s)" % (time.time() - start), flush=True)


def make(folder, *arguments):
    """Run make in folder; raise Failure with the end of its output if it fails."""
    out = subprocess.run(["make", "-C", folder, "-j2"] + list(arguments), stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, universal_newlines=True)
    if out.returncode != 0:
        raise Failure("make in %s failed:\n%s" % (folder, out.stdout[-3000:]))
    return out.stdout


def core_modules():
    """What a board freezes: tools/layout.py's BOARD (the one list; package.json is made from it)."""
    return board_files()


def write_iris_module(path):
    """Iris as a frozen module: ROWS of (4 measurements, class index), CLASSES.

    Frozen, the tuples stay in the board's flash, as a board's fixed data would;
    only what the task makes of them takes heap."""
    xs, labels, _, _ = load_classification(dataset_path("iris"))
    classes = class_names(labels)
    with open(path, "w") as f:
        f.write('"""Iris (Fisher, 1936; tinybackprop/data/datasets/README.md), written by tools/board.py."""\n')
        f.write("CLASSES = %r\n" % (tuple(classes),))
        f.write("ROWS = (\n")
        for x, label in zip(xs, labels):
            f.write("    (%r, %r, %r, %r, %d),\n" % tuple(x + [classes.index(label)]))
        f.write(")\n")


def write_manifest(path, folder, what):
    """A FROZEN_MANIFEST of what: "nothing"; "minimal" (the minimal board core: plain SGD);
    "one file" (the same as one module, tools/onefile.py's); "core"; "package" (every module of tinybackprop, to show that all of them freeze);
    "board" (the core, the core tests and the tasks)."""
    lines = []
    if what == "minimal":
        lines.append("freeze(%r, %r)" % (ROOT, tuple(minimal_board_files())))
    if what == "one file":
        with open(os.path.join(folder, "tinybackprop.py"), "w") as f:
            f.write(one_file())
        lines.append("freeze(%r, 'tinybackprop.py')" % folder)
    if what == "package":
        lines.append("package('tinybackprop', base_path=%r)" % ROOT)
    elif what in ("core", "board"):
        lines.append("freeze(%r, %r)" % (ROOT, tuple(core_modules())))
    if what == "board":
        lines.append("freeze(%r, ('tinybackprop/data/__init__.py', 'tinybackprop/data/rows.py'))" % ROOT)  # same_seed.py's scaling
        tests_folder = os.path.join(ROOT, "tests")
        lines.append("freeze(%r, %r)" % (tests_folder, tuple(["portable.py", "helpers.py", "same_seed.py"] +
                                                               [m + ".py" for m in CORE_TESTS])))
        lines.append("freeze(%r, 'on_board.py')" % os.path.join(ROOT, "tools"))
        lines.append("freeze(%r, %r)" % (folder, ("iris_data.py", "digits_data.py", "digits_int8.py",
                                                 "digits_float.py", "table_rows.py") +
                                          tuple("%s_%s.py" % (table, kind) for table in TABLES
                                                for kind in ("float", "int8"))))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def write_digits_modules(folder):
    """Train the digits model as `train` does (defaults, 80/20 split, seed 0); write its
    int8 and float exports, the digits and the C header into folder.  Print how the int8
    model compares with the float one; return its predictions for every digit."""
    table = read_table(dataset_path("digits"))
    train_rows, test_rows = split(table, DEFAULTS["test_split"], DEFAULTS["seed"])
    model, history, held_out = fit(table, train_rows, test_rows)  # train's defaults
    net = model.network
    with open(os.path.join(folder, "digits_int8.py"), "w") as f:
        f.write(int8_module_source(model))
    with open(os.path.join(folder, "digits_float.py"), "w") as f:
        f.write(module_source(model, source="the digits model of tools/board.py"))
    with open(os.path.join(folder, "digits.h"), "w") as f:
        f.write(c_header_source(model))
    labels = [model.classes.index(label) for label in table["labels"]]
    xs = [[float(v) for v in row] for row in table["rows"]]  # the pixels, 0..16
    with open(os.path.join(folder, "digits_data.py"), "w") as f:
        f.write('"""The bundled digits (tinybackprop/data/datasets/README.md) as bytes, written by '
                'tools/board.py."""\n')
        f.write("ROWS = (\n" + "".join("    %r,\n" % bytes(int(v) for v in x) for x in xs) + ")\n")
        f.write("LABELS = %r\n" % bytes(labels))
    integers = quantize.quantize(net, model.scaling)
    int8 = [quantize.predict_index(integers, x) for x in xs]
    floats = [predicted_class(net.predict(standardise(model.scaling, x))) for x in xs]
    for what, rows in (("all %d digits" % len(labels), range(len(labels))),
                       ("the %d held out" % len(test_rows), test_rows)):
        print("   digits model, %s: float %.4f, int8 %.4f (%d predictions differ)" % (
            what, sum(floats[k] == labels[k] for k in rows) / len(rows),
            sum(int8[k] == labels[k] for k in rows) / len(rows), sum(int8[k] != floats[k] for k in rows)))
    return int8


TABLES = {  # the models of raw tables that go to the board: their CSV file and train's options
    "auto_mpg": dict(target="mpg", id="car_name", category=["origin"]),  # a regression, origin a category
    "iris": dict(),
}
BOARD_REGRESSION = 1e-3  # the board's float model answers within this many target stds of the library's
# (its floats are 32-bit); int8's, within test_export's INT8_REGRESSION_MAX of them.


def write_table_modules(folder):
    """Train a model of each of TABLES as `train` does (defaults, 80/20 split, seed 0); write
    its float and int8 exports and the table's raw rows (the CSV's texts) into folder.
    Return, for each table, the library's answer for every row (``predict``'s)."""
    from tinybackprop.data.model import answer, x_of
    expected = {}
    with open(os.path.join(folder, "table_rows.py"), "w") as f:
        f.write('"""Raw rows of tinybackprop/data/datasets/ (the texts of their CSV files), written by '
                'tools/board.py."""\n')
        for name, options in sorted(TABLES.items()):
            changes = dict((k, v) for k, v in options.items() if k == "category")
            table = read_table(dataset_path(name), missing="mean",
                               **dict((k, v) for k, v in options.items() if k != "category"))
            train_rows, test_rows = split(table, DEFAULTS["test_split"], DEFAULTS["seed"])
            model = fit(table, train_rows, test_rows, **changes)[0]
            places = [table["features"].index(c["name"]) for c in model.columns]
            rows = [tuple(row[j] for j in places) for row in table["rows"]]
            f.write("%s = (\n%s)\n" % (name.upper(), "".join("    %r,\n" % (row,) for row in rows)))
            with open(os.path.join(folder, "%s_int8.py" % name), "w") as out:
                out.write(int8_module_source(model))
            with open(os.path.join(folder, "%s_float.py" % name), "w") as out:
                out.write(module_source(model, source="the %s model of tools/board.py" % name))
            with open(os.path.join(folder, "%s.h" % name), "w") as out:
                out.write(c_header_source(model))
            write_c_program(os.path.join(folder, "%s_c.c" % name), name, rows, model.classes is None)
            expected[name] = (model, [answer(model, model.network.predict(x_of(model, row, "row %d" % k)))
                                      for k, row in enumerate(rows)])
            print("   %s: %r, %d raw rows, %s" % (name, model.network.sizes, len(rows),
                                                "a regression of %s" % model.target_name
                                                if model.classes is None else "%d classes" % len(model.classes)))
    return expected


C_BOARD_LINK = """/* the emulated mps2-an385: its 4 MB of RAM at 0 hold everything (QEMU loads the ELF there) */
MEMORY { RAM : ORIGIN = 0x00000000, LENGTH = 4M }
SECTIONS {
    .isr_vector : { KEEP(*(.isr_vector)) } > RAM
    .text : { *(.text*) *(.rodata*) *(.ARM.exidx*) } > RAM
    .data : { *(.data*) } > RAM
    .bss : { __bss_start__ = .; *(.bss*) *(COMMON) __bss_end__ = .; } > RAM
    end = .;
}
"""
C_BOARD_MAIN = """
/* Every raw row through tb_encode_row, then the float and the int8 model; each answer
   printed over semihosting (bkpt 0xAB), a regression's as the float's bits in hex. */
static int semihost(int operation, const void *argument) {
    register int r0 __asm__("r0") = operation;
    register const void *r1 __asm__("r1") = argument;
    __asm__ volatile ("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

static char *decimal(char *p, unsigned long v) {
    char digits[12];
    int n = 0;
    do { digits[n++] = (char)('0' + v %% 10); v /= 10; } while (v);
    while (n) *p++ = digits[--n];
    return p;
}

static __attribute__((unused)) char *hex(char *p, float f) {  /* a regression's answer */
    uint32_t bits;
    int k;
    memcpy(&bits, &f, 4);
    for (k = 28; k >= 0; k -= 4) *p++ = "0123456789abcdef"[(bits >> k) & 15];
    return p;
}

static char heap[4096];  /* for strtod's big numbers, through _sbrk */
void *_sbrk(int increment) {
    static int used;
    void *start = heap + used;
    if (used + increment > (int)sizeof heap) return (void *)-1;
    used += increment;
    return start;
}

int main(void) {
    char line[64];
    int k;
    for (k = 0; k < %(rows)d; k++) {
        float x[TB_INPUTS], out[TB_OUTPUTS];
        int8_t q[TB_INPUTS];
        char *p = line;
        int bad = tb_encode_row(ROWS[k], x);
        if (bad) {
            memcpy(p, "bad ", 4); p = decimal(p + 4, (unsigned long)bad);
        } else {
            tb_quantize_input_float(x, q);
%(answer)s
        }
        *p++ = '\\n'; *p = '\\0';
        semihost(0x04, line);  /* SYS_WRITE0 */
        (void)out;
    }
    semihost(0x04, "done\\n");
    semihost(0x18, (const void *)0x20026);  /* SYS_EXIT, ADP_Stopped_ApplicationExit */
    return 0;
}

extern char __bss_start__[], __bss_end__[];
void reset(void) {
    char *b;
    for (b = __bss_start__; b < __bss_end__; b++) *b = 0;
    main();
    for (;;) {}
}
__attribute__((section(".isr_vector"))) const void *const vectors[2] = {(void *)0x00400000, (void *)reset};
"""


def write_c_program(path, name, rows, regression):
    """A bare-metal program for the emulated board around name's C header: its raw rows in
    flash, each predicted by the float and the int8 model."""
    from tinybackprop.export.sources import c_string
    answer = ('            p = hex(p, tb_predict_value(x)); *p++ = \' \'; p = hex(p, tb_predict_int8_value(q));'
              if regression else
              '            p = decimal(p, (unsigned long)tb_predict(x, out)); *p++ = \' \';\n'
              '            p = decimal(p, (unsigned long)tb_predict_int8(q));')
    with open(path, "w") as f:
        f.write('#include <string.h>\n#include "%s.h"\n\nstatic const char *const ROWS[%d][TB_COLUMNS] = {\n%s};\n'
                % (name, len(rows), "".join("    {%s},\n" % ", ".join(c_string(str(v)) for v in row) for row in rows)))
        f.write(C_BOARD_MAIN % {"rows": len(rows), "answer": answer})


def c_tables_agree(folder, expected):
    """Build each table's C program for the emulated Cortex-M3 (soft floats), run it under
    qemu-system-arm, and compare every row's answers with the library's here."""
    import struct
    link = os.path.join(folder, "c_board.ld")
    with open(link, "w") as f:
        f.write(C_BOARD_LINK)
    for table, (model, answers) in sorted(expected.items()):
        elf = os.path.join(folder, "%s_c.elf" % table)
        out = subprocess.run(["arm-none-eabi-gcc", "-mcpu=cortex-m3", "-mthumb", "-O2", "-std=c99", "-Wall",
                              "-Werror", "-nostartfiles", "--specs=nano.specs", "--specs=nosys.specs", "-T", link,
                              os.path.join(folder, "%s_c.c" % table), "-o", elf, "-lm"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
        if out.returncode != 0:
            raise Failure("%s's C program does not build for the Cortex-M3:\n%s" % (table, out.stdout[-3000:]))
        try:
            run = subprocess.run(["qemu-system-arm", "-machine", BOARD.lower().replace("_", "-"), "-nographic",
                                  "-monitor", "null", "-semihosting", "-kernel", elf], stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, universal_newlines=True, timeout=300)
        except subprocess.TimeoutExpired:
            raise Failure("%s's C program did not finish on the emulated board in 300 s" % table)
        lines = run.stdout.replace("\r", "").strip().splitlines()
        if not lines or lines[-1] != "done" or len(lines) != len(answers) + 1:
            raise Failure("%s's C program on the board said:\n%s" % (table, run.stdout[-2000:]))
        got = [line.split() for line in lines[:-1]]
        bad = [k for k, pair in enumerate(got) if pair[0] == "bad"]
        if bad:
            raise Failure("%s: tb_encode_row refused row %d on the board (column %s)" % (table, bad[0], got[bad[0]][1]))
        for column, kind in ((0, "float"), (1, "int8")):
            if model.classes is None:  # the float's bits, in hex
                said = [struct.unpack(">f", bytes.fromhex(pair[column]))[0] for pair in got]
            else:  # the class index
                said = [model.classes[int(pair[column])] for pair in got]
            answers_agree("%s, C header, %s, on the board" % (table, kind), model, kind, said, answers)
        print("   %s, C program for the Cortex-M3: %d bytes of flash" % (table, flash_size(elf)))


def tables_agree(board, name, expected):
    """Predict every raw row of TABLES on the board with the float and int8 exports;
    compare with the library's answers here."""
    output, error = board.run("import on_board\non_board.tables()\n", timeout=600)
    lines = dict((line.split()[0], line.split()[1:]) for line in output.strip().splitlines() if line.strip())
    for table, (model, answers) in sorted(expected.items()):
        for kind in ("float", "int8"):
            got = lines.get("%s_%s" % (table, kind))
            if error or got is None or len(got) != len(answers):
                raise Failure("the %s exports of %s did not run on the board (%s):\n%s%s"
                              % (kind, table, name, output[-2000:], error))
            said = [float(g) for g in got] if model.classes is None else got
            answers_agree("%s, %s export" % (table, kind), model, kind, said, answers)


def answers_agree(what, model, kind, said, answers):
    """Print how the board's answers (numbers for a regression, class names otherwise)
    compare with this computer's predict; Failure beyond what is allowed: a regression's
    float model within BOARD_REGRESSION target stds, int8 within test_export's
    INT8_REGRESSION_MAX; every class the same."""
    from test_export import INT8_REGRESSION_MAX
    if model.classes is None:
        std = model.target_scaling["std"]
        worst = max(abs(v - a) / std for v, a in zip(said, answers))
        allowed = BOARD_REGRESSION if kind == "float" else INT8_REGRESSION_MAX
        print("   %s: every row within %.2g target stds of this computer's predict (allowed %g)"
              % (what, worst, allowed))
        if worst > allowed:
            raise Failure("%s: predicts otherwise than this computer" % what)
    else:
        differ = sum(str(g) != str(a) for g, a in zip(said, answers))
        print("   %s: %d of %d rows get another class than this computer's predict" % (what, differ, len(answers)))
        if differ:
            raise Failure("%s: predicts otherwise than this computer" % what)


def cortex_m0_sizes(folder):
    """Compile and link the digits header for a Cortex-M0, int8 and float; print the flash each takes."""
    start = os.path.join(folder, "start.c")
    with open(start, "w") as f:
        f.write("int classify(const void *x);\nvolatile int result;\n"
                "void _start(void) { result = classify((const void *)0x20000000); for (;;) {} }\n")
    calls = {"int8": "int8_t q[TB_INPUTS]; tb_quantize_input((const int32_t *)x, q); return tb_predict_int8(q);",
             "float": "return tb_predict((const float *)x, NULL);"}
    for name in ("int8", "float"):
        source = os.path.join(folder, "m0_%s.c" % name)
        with open(source, "w") as f:
            f.write('#include "digits.h"\nint classify(const void *x) { %s }\n' % calls[name])
        elf = os.path.join(folder, "m0_%s.elf" % name)
        out = subprocess.run(["arm-none-eabi-gcc", "-mcpu=cortex-m0", "-mthumb", "-Os", "-std=c99", "-Wall",
                              "-Werror", "-nostartfiles", "--specs=nano.specs", "-ffunction-sections",
                              "-fdata-sections", "-Wl,--gc-sections", start, source, "-o", elf, "-lm"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
        if out.returncode != 0:
            raise Failure("the C header does not build for a Cortex-M0:\n" + out.stdout[-3000:])
        print("   Cortex-M0 (arm-none-eabi-gcc -Os), digits [64, 32, 10] %s: %d bytes of flash%s"
              % (name, flash_size(elf), "" if name == "int8" else
                 " (the weights as floats, soft-float arithmetic, expf and tanhf)"))


def flash_size(elf):
    """The bytes of flash the firmware takes (text + data), from arm-none-eabi-size."""
    out = subprocess.run(["arm-none-eabi-size", elf], stdout=subprocess.PIPE, universal_newlines=True)
    text, data = out.stdout.splitlines()[1].split()[:2]
    return int(text) + int(data)


# -- The unix port with 32-bit floats ------------------------------------------

def build_unix(source):
    make(os.path.join(source, "ports", "unix"), *UNIX_FLAGS)
    binary = os.path.join(source, "ports", "unix", "build-sp", "micropython-sp")
    out = subprocess.run([binary, "-c", "print(1/3)"], stdout=subprocess.PIPE, universal_newlines=True)
    print("   built %s: 1/3 = %s" % (binary, out.stdout.strip()))
    return binary


def portable_tests(binary):
    out = subprocess.run([binary, os.path.join(ROOT, "tests", "portable.py")], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, universal_newlines=True, timeout=1800)
    summary = out.stdout.strip().splitlines()[-1]
    print("   tests/portable.py: " + summary)
    if out.returncode != 0:
        raise Failure("tests/portable.py failed on the 32-bit-float unix port:\n" + out.stdout[-4000:])
    return summary


# -- The emulated board -----------------------------------------------------------

class Board:
    """A firmware running under qemu-system-arm, driven through MicroPython's raw REPL
    on the emulated serial port (stdin and stdout here)."""

    def __init__(self, elf):
        self.process = subprocess.Popen(
            ["qemu-system-arm", "-machine", "mps2-an385", "-nographic", "-monitor", "null",
             "-semihosting", "-kernel", elf], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT)
        self.buffer = b""
        self.send(b"\r\x03\x03\x01")  # interrupt whatever runs, then raw REPL (Ctrl-A)
        self.read_until(b"raw REPL; CTRL-B to exit\r\n>", 60)

    def send(self, data):
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def read_until(self, marker, timeout):
        """The output up to marker (which is consumed); Failure after timeout seconds."""
        deadline = time.time() + timeout
        while marker not in self.buffer:
            left = deadline - time.time()
            ready = select.select([self.process.stdout], [], [], max(left, 0))[0]
            if not ready:
                raise Failure("the board said nothing more for %d s; so far: %r"
                              % (timeout, self.buffer[-500:]))
            chunk = os.read(self.process.stdout.fileno(), 4096)
            if not chunk:
                raise Failure("qemu ended: %r" % self.buffer[-500:])
            self.buffer += chunk
        text, self.buffer = self.buffer.split(marker, 1)
        return text

    def run(self, code, timeout=600):
        """(output, error) of code, run from a fresh soft reset (a clean heap)."""
        self.send(b"\x04")  # Ctrl-D at the raw prompt: soft reset
        self.read_until(b"raw REPL; CTRL-B to exit\r\n>", 60)
        self.send(code.encode() + b"\x04")
        self.read_until(b"OK", 60)
        output = self.read_until(b"\x04", timeout).decode(errors="replace")
        error = self.read_until(b"\x04", 60).decode(errors="replace")
        self.read_until(b">", 60)
        return output.replace("\r\n", "\n"), error.replace("\r\n", "\n")

    def close(self):
        self.process.kill()
        self.process.wait()


def task(board, name, free=None):
    """(ok, line) of on_board.run(name, free) on a freshly reset board."""
    output, error = board.run("import on_board\non_board.run(%r, %r)\n" % (name, free))
    line = output.strip().splitlines()[-1] if output.strip() else error.strip().splitlines()[-1]
    return output.startswith("ok ") and not error, line


def same_seed_agrees(board, name):
    """Train tests/same_seed.py's networks on the board and here; compare every weight."""
    output, error = board.run("import on_board\non_board.same_seed()\n")
    lines = output.strip().splitlines()
    if error or len(lines) < 3:
        raise Failure("same_seed failed on the board (%s): %s%s" % (name, output[-500:], error))
    epsilon = float(lines[1].split()[1])
    weights = [float(w) for w in lines[2:]]
    xs, labels, _, _ = load_classification(dataset_path("iris"))
    reference = same_seed.trained_weights(same_seed.iris_samples(xs, labels))
    if len(weights) != len(reference):
        raise Failure("same_seed printed %d weights on the board, %d here" % (len(weights), len(reference)))
    worst = max(abs(w - r) / max(1.0, abs(w), abs(r)) for w, r in zip(weights, reference))
    allowed = AGREEMENT_PER_EPSILON * epsilon
    print("   same seed, same weights: the %d agree with this computer's to %.1e (allowed: %d epsilon = %.1e)"
          % (len(weights), worst, AGREEMENT_PER_EPSILON, allowed))
    if not worst <= allowed:
        raise Failure("same seed, other weights on the board (%s): %.1e" % (name, worst))


def heap_window_holds(boards, name, low, step=STEP):
    """The sizes in [low, low + MARGIN] where the task fails, every step bytes; the sizes
    dealt out among boards (running copies of one firmware), each run by a thread of its
    own, so that a machine's cores share the work."""
    sizes = list(range(low, low + MARGIN + 1, step))
    failed, problems = [], []

    def run_on(board, chosen):
        try:
            failed.extend(n for n in chosen if not task(board, name, n)[0])
        except Failure as e:  # raised again below, in the caller's thread
            problems.append(e)

    threads = [threading.Thread(target=run_on, args=(board, sizes[k::len(boards)]))
               for k, board in enumerate(boards)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if problems:
        raise problems[0]
    return sorted(failed)


def smallest_heap(boards, name):
    """The smallest free heap from which the task runs in every size up to MARGIN more:
    bisect as if the task's needs were monotonic, then walk up past any failure."""
    board = boards[0]
    low, high = 4 * KB, 128 * KB
    if not task(board, name, high)[0]:
        raise Failure("%s does not run even with %d KB free" % (name, high // KB))
    while high - low > STEP:
        middle = (low + high) // 2 // STEP * STEP
        if task(board, name, middle)[0]:
            high = middle
        else:
            low = middle
    while True:
        failures = heap_window_holds(boards, name, high)
        if not failures:
            return high
        high = failures[len(failures) - 1] + STEP


def on_the_board(elf, name, step, search, int8, tables):
    """Run everything on one firmware; return the figures for the summary."""
    board = Board(elf)
    boards = [board]
    try:
        boards.append(Board(elf))  # a second copy: the heap checks run on both at once
        output, error = board.run("import portable\nportable.main(files=False)\n", timeout=1800)
        summary = output.strip().splitlines()[-1] if output.strip() else error
        print("   core tests: %s" % summary)
        if error or " 0 failed" not in summary:
            raise Failure("core tests failed on the board (%s):\n%s%s" % (name, output[-4000:], error))
        output, error = board.run("import on_board\non_board.import_cost()\n")
        print("   " + (output.strip() or error.strip()))
        output, error = board.run("import on_board\non_board.digits()\n")
        lines = output.strip().splitlines()
        print("   " + (lines[0] if lines else error.strip()))
        if error or len(lines) != 2 or lines[1] != "".join(str(i) for i in int8):
            raise Failure("the int8 digits model predicts otherwise on the board (%s):\n%s%s"
                          % (name, output[:300], error))
        print("   its int8 predictions equal this computer's for every digit")
        tables_agree(board, name, tables)
        same_seed_agrees(board, name)
        figures = {}
        for task_name in ("xor", "xor_default", "iris", "iris_plain"):
            ok, line = task(board, task_name)
            print("   %s with the whole heap: %s" % (task_name, line))
            if not ok:
                raise Failure("%s failed on the board (%s): %s" % (task_name, name, line))
            if search:
                figures[task_name] = smallest_heap(boards, task_name)
                print("   %s: smallest free heap from which every size up to %d KB more works: "
                      "%d KB" % (task_name, MARGIN // KB, figures[task_name] // KB))
            else:
                target = TARGETS[task_name]
                failures = heap_window_holds(boards, task_name, target, step)
                print("   %s in every free heap from %d KB to %d KB (step %d KB): %s"
                      % (task_name, target // KB, (target + MARGIN) // KB, step // KB,
                         "yes" if not failures else "NO, fails at %s KB"
                         % ", ".join(str(n // KB) for n in failures)))
                if failures:
                    raise Failure("heap target missed for %s (%s)" % (task_name, name))
        return figures
    finally:
        for each in boards:
            each.close()


MINIMAL_FLASH, MINIMAL_IMPORT = 24 * KB, 5 * KB  # what a board that only trains and predicts should pay


def minimal_core_runs(elf):
    """On a firmware with the minimal core frozen: (the heap its import takes, in bytes,
    and the weights after the default call on XOR, trained from the REPL), or Failure."""
    board = Board(elf)
    try:
        output, error = board.run(
            "import gc\ngc.collect()\nbefore = gc.mem_free()\nimport tinybackprop as tb\ngc.collect()\n"
            "print(before - gc.mem_free())\n"
            "samples = [([0.0, 0.0], [0.0]), ([0.0, 1.0], [1.0]), ([1.0, 0.0], [1.0]), ([1.0, 1.0], [0.0])]\n"
            "net = tb.Network([2, 4, 1], activations=['tanh', 'sigmoid'], loss='binary_cross_entropy', seed=0)\n"
            "h = net.train(samples, epochs=500, lr=0.1)\nprint(h[len(h) - 1]['accuracy'])\n"
            "print(repr(net.weights))\n")
    finally:
        board.close()
    lines = output.strip().split("\n")
    if error or len(lines) != 3 or float(lines[1]) != 1.0:
        raise Failure("the minimal core did not train XOR on the board: %s%s" % (output, error))
    return int(lines[0]), lines[2]


def build_firmwares(source, folder):
    """Build each firmware; print the flash the frozen core adds.  Returns [(name, elf, step)]."""
    port = os.path.join(source, "ports", "qemu")
    write_iris_module(os.path.join(folder, "iris_data.py"))
    built = []
    for name, build, extra, step in FIRMWARES:
        sizes = {}
        manifest = os.path.join(folder, "manifest.py")
        runs = {}
        for what in ("nothing", "minimal", "one file", "core", "package", "board"):  # "board" last: the firmware run below
            write_manifest(manifest, folder, what)
            frozen = os.path.join(port, build, "frozen_content.c")
            if os.path.exists(frozen):
                os.remove(frozen)  # make does not notice a new manifest by itself
            make(port, "BOARD=" + BOARD, "BUILD=" + build, "FROZEN_MANIFEST=" + manifest, *extra)
            sizes[what] = flash_size(os.path.join(port, build, "firmware.elf"))
            if what in ("minimal", "one file"):
                runs[what] = minimal_core_runs(os.path.join(port, build, "firmware.elf"))
        print("   %s: firmware %d bytes of flash; the frozen core adds %d (the whole package, every "
              "module frozen, %d); the core tests, tasks and data %d more"
              % (name, sizes["nothing"], sizes["core"] - sizes["nothing"],
                 sizes["package"] - sizes["nothing"], sizes["board"] - sizes["core"]))
        for what in ("minimal", "one file"):
            print("   %s: the minimal core (plain SGD, tools/layout.py's minimal_board_files)%s adds %d bytes "
                  "of flash, and importing it takes %d bytes of heap; the default call trains XOR [2, 4, 1] to "
                  "accuracy 1.00 with it" % (name, "" if what == "minimal" else " as one module (tools/onefile.py)",
                                             sizes[what] - sizes["nothing"], runs[what][0]))
        if runs["one file"][1] != runs["minimal"][1]:
            raise Failure("the one file trains XOR to other weights than the package's modules (%s):\n%s\n%s"
                          % (name, runs["one file"][1], runs["minimal"][1]))
        flash, heap = sizes["one file"] - sizes["nothing"], runs["one file"][0]
        print("   %s: the one file's weights equal the modules', to the last bit; issue 28's targets, at most "
              "%d bytes of flash and %d of import heap: %s" % (name, MINIMAL_FLASH, MINIMAL_IMPORT,
                                                              "met" if flash <= MINIMAL_FLASH and heap <= MINIMAL_IMPORT
                                                              else "MISSED"))
        if flash > MINIMAL_FLASH or heap > MINIMAL_IMPORT:
            raise Failure("the one-file minimal core takes %d bytes of flash and %d of import heap (%s)"
                          % (flash, heap, name))
        built.append((name, os.path.join(port, build, "firmware.elf"), step))
    return built


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", help="a MicroPython source tree (v1.29)")
    parser.add_argument("--search", action="store_true",
                        help="find the smallest free heap for each task, instead of checking the targets")
    parser.add_argument("--only", choices=["unix", "board"], help="run only this part")
    args = parser.parse_args()
    source = os.path.abspath(args.source)
    if not os.path.isdir(os.path.join(source, "py")):
        sys.exit("%s is not a MicroPython source tree (no py/ folder)" % source)
    folder = os.path.join(source, "tinybackprop-board")  # generated manifest and data
    os.makedirs(folder, exist_ok=True)
    start = time.time()
    try:
        timed("mpy-cross", make, os.path.join(source, "mpy-cross"))
        if args.only != "board":
            binary = timed("unix port with 32-bit floats: build", build_unix, source)
            timed("unix port with 32-bit floats: tests/portable.py", portable_tests, binary)
        if args.only != "unix":
            int8 = timed("the digits model and its exports", write_digits_modules, folder)
            tables = timed("models of raw tables and their exports", write_table_modules, folder)
            timed("the digits model's C header on a Cortex-M0", cortex_m0_sizes, folder)
            timed("the raw tables' C headers on the emulated Cortex-M3 (bare metal, soft floats)",
                  c_tables_agree, folder, tables)
            firmwares = timed("QEMU %s firmware (Cortex-M3, 32-bit floats): build" % BOARD,
                              build_firmwares, source, folder)
            for name, elf, step in firmwares:
                timed("on the emulated board, %s" % name, on_the_board, elf, name, step, args.search, int8,
                      tables)
    except Failure as e:
        print("FAILED: %s" % e)
        print("board: FAILED (%.0f s)" % (time.time() - start))
        return 1
    print("board: passed (%.0f s)" % (time.time() - start))
    return 0


if __name__ == "__main__":
    sys.exit(main())
