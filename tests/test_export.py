"""Exports: the standalone module, the int8 module and the C header predict what the library
predicts, on CPython, MicroPython and in C."""
import json
import os
import shutil
import subprocess
import sys

import pytest

from helpers import close
from interpreters import ROOT, find
import tinybackprop as tb
from tinybackprop.front.cli.train import fit, split
from tinybackprop.data.rows import dataset_path, standardise
from tinybackprop.data.tables import read_table
from tinybackprop.core.network import argmax
from tinybackprop.core.rng import Random
from tinybackprop.data.model import Model

AGREEMENT = 1e-12  # the library may sum W a with math.sumprod, the module with a plain loop

DRIVER = """import sys, json
sys.path.insert(0, sys.argv[1])
import iris_model
for line in sys.stdin:
    x = json.loads(line)
    print(json.dumps([iris_model.predict(x), iris_model.outputs(x)]))
"""


def iris_model():
    """[4, 6, 3] sigmoid/softmax trained on all of iris, with scaling and names, as `train` makes it."""
    table = read_table(dataset_path("iris"))
    rows = list(range(len(table["rows"])))
    model, history, _ = fit(table, rows, [], hidden=(6,), activation="sigmoid", epochs=10, lr=0.05, seed=2,
                            schedule="constant", patience=None)
    return model, xs_of(table)


def xs_of(table):
    """The raw inputs of a table of numbers, as floats."""
    return [[float(v) for v in row] for row in table["rows"]]


def run_exported(python, folder, xs):
    driver = os.path.join(folder, "driver.py")
    with open(driver, "w") as f:
        f.write(DRIVER)
    out = subprocess.run([python, driver, folder], input="".join(json.dumps(x) + "\n" for x in xs),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    return [json.loads(line) for line in out.stdout.splitlines()]


def test_exported_module_predicts_as_the_library(tmp_path):
    trained, xs = iris_model()
    model = str(tmp_path / "iris.json")
    trained.save(model)
    out = subprocess.run([sys.executable, "-m", "tinybackprop", "export", model, "--out",
                          str(tmp_path / "iris_model.py")], cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, universal_newlines=True)
    assert out.returncode == 0, out.stderr
    assert "wrote" in out.stdout
    source = (tmp_path / "iris_model.py").read_text()
    assert "import math" in source and "tinybackprop" not in source.split('"""', 2)[2]
    expected = [trained.network.predict(standardise(trained.scaling, x)) for x in xs]
    pythons = [sys.executable] + [p for p in [find("micropython")] if p is not None]
    for python in pythons:
        results = run_exported(python, str(tmp_path), xs)
        assert len(results) == len(xs) == 150
        for (name, a), a_library in zip(results, expected):
            assert close(a, a_library, AGREEMENT), python
            assert name == trained.classes[argmax(a_library)], python
    assert len({name for name, a in results}) == 3  # not one answer for everything


def test_export_of_a_bad_model_fails_cleanly(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    out = subprocess.run([sys.executable, "-m", "tinybackprop", "export", str(bad), "--out",
                          str(tmp_path / "m.py")], cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, universal_newlines=True)
    assert out.returncode == 2 and "'format' is missing" in out.stderr
    assert "Traceback" not in out.stderr and not (tmp_path / "m.py").exists()


# -- int8 and C ------------------------------------------------------------------

INT8_DRIVER = """import sys, json
sys.path.insert(0, sys.argv[1])
import digits_int8
for line in sys.stdin:
    print(digits_int8.CLASSES.index(digits_int8.predict(json.loads(line))))
"""
C_DRIVER = """#include <stdio.h>
#include "model.h"
int main(void) {
    float x[TB_INPUTS], out[TB_OUTPUTS];
    int j, predicted;
    while (scanf("%f", &x[0]) == 1) {
        for (j = 1; j < TB_INPUTS; j++) if (scanf("%f", &x[j]) != 1) return 1;
        predicted = tb_predict(x, out);
#ifdef INT8
        {
            int32_t xi[TB_INPUTS];
            int8_t q[TB_INPUTS], qf[TB_INPUTS];
            for (j = 0; j < TB_INPUTS; j++) xi[j] = (int32_t)x[j];
            tb_quantize_input(xi, q);
            tb_quantize_input_float(x, qf);
            printf("%d %d ", tb_predict_int8(q), tb_predict_int8(qf));
        }
#endif
        printf("%d", predicted);
        for (j = 0; j < TB_OUTPUTS; j++) printf(" %.9g", out[j]);
        printf("\\n");
    }
    return 0;
}
"""
C_FLAGS = ["-std=c99", "-Wall", "-Wextra", "-pedantic", "-Werror", "-O2"]
FLOAT32 = 1e-5  # the C model computes in 32-bit floats, the library in 64-bit
INT8_DIFFERENT = 0.01  # at most this share of the digits may get another class from int8 than from floats
INT8_ACCURACY_LOSS = 0.005  # and its accuracy on them may be at most this much lower


def digits_model(tmp_path):
    """A [64, 32, 10] tanh/softmax model trained on all digits (4 epochs), saved; and the digits."""
    table = read_table(dataset_path("digits"))
    model, history, _ = fit(table, list(range(len(table["rows"]))), [], epochs=4, lr=0.02, schedule="constant",
                            patience=None)
    path = str(tmp_path / "digits.json")
    model.save(path)
    return model, path, table


def export(model, fmt, out):
    result = subprocess.run([sys.executable, "-m", "tinybackprop", "export", model, "--format", fmt,
                             "--out", out], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            universal_newlines=True)
    assert result.returncode == 0, result.stderr
    return result


def test_int8_module_predicts_as_quantize_everywhere_and_near_the_float_model(tmp_path):
    from tinybackprop.export import quantize
    trained, model, table = digits_model(tmp_path)
    export(model, "int8", str(tmp_path / "digits_int8.py"))
    source = (tmp_path / "digits_int8.py").read_text()
    assert "import " not in source.split('"""', 2)[2]  # no module at all, not even math
    q = quantize.quantize(trained.network, trained.scaling)
    expected = [quantize.predict_index(q, x) for x in xs_of(table)]
    floats = [argmax(trained.network.predict(standardise(trained.scaling, x))) for x in xs_of(table)]
    labels = [trained.classes.index(label) for label in table["labels"]]
    m = len(labels)
    assert sum(a != b for a, b in zip(expected, floats)) <= INT8_DIFFERENT * m
    int8_right = sum(a == b for a, b in zip(expected, labels))
    float_right = sum(a == b for a, b in zip(floats, labels))
    assert int8_right >= float_right - INT8_ACCURACY_LOSS * m, (int8_right, float_right)
    driver = tmp_path / "driver.py"
    driver.write_text(INT8_DRIVER)
    pythons = [sys.executable] + [p for p in [find("micropython")] if p is not None] + \
        [p for p in os.environ.get("TINYBACKPROP_EXTRA_PYTHONS", "").split(os.pathsep) if p]
    for python in pythons:
        out = subprocess.run([python, str(driver), str(tmp_path)],
                             input="".join(json.dumps(x) + "\n" for x in xs_of(table)),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                             timeout=600)
        assert out.returncode == 0, (python, out.stderr)
        assert [int(line) for line in out.stdout.split()] == expected, python


def compile_c(tmp_path, header, defines=()):
    cc = shutil.which("cc") or shutil.which("gcc")
    (tmp_path / "model.h").write_text(header)
    (tmp_path / "driver.c").write_text(C_DRIVER)
    binary = str(tmp_path / "driver")
    out = subprocess.run([cc] + C_FLAGS + ["-D" + d for d in defines] +
                         [str(tmp_path / "driver.c"), "-o", binary, "-lm"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    assert out.returncode == 0, out.stdout
    return binary


def run_c(binary, xs):
    out = subprocess.run([binary], input="\n".join(" ".join(repr(v) for v in x) for x in xs),
                         stdout=subprocess.PIPE, universal_newlines=True, timeout=300)
    assert out.returncode == 0
    return [line.split() for line in out.stdout.splitlines()]


@pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None, reason="no C compiler")
def test_c_header_predicts_as_the_library_float_and_int8(tmp_path):
    from tinybackprop.export import quantize
    trained, model, table = digits_model(tmp_path)
    export(model, "c", str(tmp_path / "digits.h"))
    binary = compile_c(tmp_path, (tmp_path / "digits.h").read_text(), ["INT8"])
    q = quantize.quantize(trained.network, trained.scaling)
    lines = run_c(binary, xs_of(table))
    assert len(lines) == len(xs_of(table)) == 1797
    for x, fields in zip(xs_of(table), lines):
        int8, int8_from_floats, predicted = int(fields[0]), int(fields[1]), int(fields[2])
        a = trained.network.predict(standardise(trained.scaling, x))
        assert int8 == int8_from_floats == quantize.predict_index(q, x)  # bit for bit: integer pixels
        assert close([float(v) for v in fields[3:]], a, FLOAT32)
        if max(a) - sorted(a)[-2] > FLOAT32:  # not a near tie, where float32 may pick the other
            assert predicted == argmax(a)


INT8_REGRESSION_MAX = 0.1  # int8's regression answers lie within this many target stds of the float's
INT8_REGRESSION_RMS = 0.04  # and their root mean square distance within this many
# Measured on auto_mpg (test below): tanh 0.052 and 0.011, relu 0.085 and 0.026 (the
# relu layer's step comes from a bound over the clipped inputs, looser than tanh's table).


@pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None, reason="no C compiler")
def test_c_header_of_a_relu_regression_has_both_models(tmp_path):
    rng = Random(4)
    samples = [([rng.uniform(-1, 1) for _ in range(3)], [rng.uniform(-1, 1)]) for _ in range(30)]
    net = tb.Network([3, 5, 4, 1], activations=["relu", "leaky_relu", "identity"], loss="mse", seed=2)
    net.train(samples, epochs=5, lr=0.05)
    net.save(str(tmp_path / "r.json"))
    export(str(tmp_path / "r.json"), "c", str(tmp_path / "r.h"))
    header = (tmp_path / "r.h").read_text()
    assert "tb_predict_int8_value" in header and "no int8 model" not in header
    binary = compile_c(tmp_path, header)
    for (x, y), fields in zip(samples, run_c(binary, [x for x, y in samples])):
        assert fields[0] == "0" and close([float(fields[1])], net.predict(x), FLOAT32)


def test_int8_of_relu_leaky_relu_and_identity_layers_is_near_the_float_model():
    from tinybackprop.export import quantize
    rng = Random(5)
    samples = [([rng.uniform(-2, 2) for _ in range(4)], [rng.uniform(-1, 1)]) for _ in range(60)]
    for hidden in (["relu", "leaky_relu"], ["identity", "tanh"], ["leaky_relu", "sigmoid"]):
        net = tb.Network([4, 6, 5, 1], activations=hidden + ["identity"], loss="mse", seed=3)
        net.train(samples, epochs=20, lr=0.05)
        q = quantize.quantize(net)
        for x, y in samples:
            # one output, z^L = r OUTPUT_STEP: the float model's a^L, to int8's resolution
            z = quantize.last_outputs(q, x)[0] * quantize.OUTPUT_STEP
            assert abs(z - net.predict(x)[0]) < INT8_REGRESSION_MAX, (hidden, x)


def test_int8_export_refuses_what_it_cannot_quantize(tmp_path):
    net = tb.Network([3, 5, 2], activations=["tanh", "relu"], loss="mse")
    net.save(str(tmp_path / "relu.json"))
    out = subprocess.run([sys.executable, "-m", "tinybackprop", "export", str(tmp_path / "relu.json"),
                          "--format", "int8", "--out", str(tmp_path / "m.py")], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    assert out.returncode == 2 and "layer 2 is relu" in out.stderr and "float model" in out.stderr
    assert not (tmp_path / "m.py").exists()


# -- Models of a table's columns: the exports predict from raw rows ------------------

ROW_DRIVER = """import sys, json
sys.path.insert(0, sys.argv[1])
import table_float, table_int8
for line in sys.stdin:
    row = json.loads(line)
    print(json.dumps([table_float.predict(row), table_int8.predict(row)]))
"""

C_ROW_DRIVER = """#include <stdio.h>
#include <string.h>
#include "model.h"
int main(void) {  /* one raw row per line, its values separated by tabs */
    char line[4096];
    while (fgets(line, sizeof line, stdin)) {
        const char *row[TB_COLUMNS];
        float x[TB_INPUTS], out[TB_OUTPUTS];
        int8_t q[TB_INPUTS];
        char *field = line;
        int k, bad;
        line[strcspn(line, "\\n")] = '\\0';
        for (k = 0; k < TB_COLUMNS; k++) {
            row[k] = field;
            field = strchr(field, '\\t');
            if (field == NULL && k < TB_COLUMNS - 1) return 1;
            if (field != NULL) *field++ = '\\0';
        }
        bad = tb_encode_row(row, x);
        if (bad) { printf("bad %d\\n", bad); continue; }
        tb_quantize_input_float(x, q);
#ifdef REGRESSION
        printf("%.9g %.9g\\n", tb_predict_value(x), tb_predict_int8_value(q));
#else
        printf("%d %d\\n", tb_predict(x, out), tb_predict_int8(q));
#endif
        (void)out;
    }
    return 0;
}
"""


def table_model(name, **changes):
    """A model trained on a bundled table as `train` trains it, and the table's raw rows
    (the model's columns of them)."""
    if name == "auto_mpg":
        table = read_table(dataset_path(name), target="mpg", id="car_name", missing="mean")
        changes = dict(changes, category=["origin"])
    else:
        table = read_table(dataset_path(name), target="species", missing="mean")
    train_rows, test_rows = split(table, 0.2, 0)
    model, history, _ = fit(table, train_rows, test_rows, **changes)
    places = [table["features"].index(c["name"]) for c in model.columns]  # an identifier left out
    return model, [[row[j] for j in places] for row in table["rows"]]


def check_table_exports(tmp_path, model, rows):
    """The float and int8 modules (CPython, MicroPython) and the C header predict from the
    raw rows what the library's predict does: the same class, or within the stated error."""
    from tinybackprop.data.model import x_of, answer
    expected = [answer(model, model.network.predict(x_of(model, row, "row %d" % k, unseen={})))
                for k, row in enumerate(rows)]
    path = str(tmp_path / "model.json")
    model.save(path)
    export(path, "python", str(tmp_path / "table_float.py"))
    export(path, "int8", str(tmp_path / "table_int8.py"))
    (tmp_path / "driver.py").write_text(ROW_DRIVER)
    regression = model.classes is None

    def check(answers, where):
        assert len(answers) == len(rows), where
        if not regression:
            assert answers == expected, where
            return
        std = model.target_scaling["std"]
        distances = [abs(a - b) / std for a, b in zip(answers, expected)]
        assert max(distances) < INT8_REGRESSION_MAX, where
        assert (sum(d * d for d in distances) / len(rows)) ** 0.5 < INT8_REGRESSION_RMS, where

    for python in [sys.executable] + [p for p in [find("micropython")] if p is not None]:
        out = subprocess.run([python, str(tmp_path / "driver.py"), str(tmp_path)],
                             input="".join(json.dumps(row) + "\n" for row in rows),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=300)
        assert out.returncode == 0, (python, out.stderr)
        answers = [json.loads(line) for line in out.stdout.splitlines()]
        assert [a[0] for a in answers] == expected or regression and close(
            [a[0] for a in answers], expected, AGREEMENT * model.target_scaling["std"] * 100), python
        check([a[1] for a in answers], (python, "int8"))
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        return
    export(path, "c", str(tmp_path / "model.h"))
    (tmp_path / "rows.c").write_text(C_ROW_DRIVER)
    built = subprocess.run([cc] + C_FLAGS + (["-DREGRESSION"] if regression else []) +
                           [str(tmp_path / "rows.c"), "-o", str(tmp_path / "rows"), "-lm"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    assert built.returncode == 0, built.stdout
    out = subprocess.run([str(tmp_path / "rows")], input="".join("\t".join(row) + "\n" for row in rows),
                         stdout=subprocess.PIPE, universal_newlines=True, timeout=300)
    fields = [line.split() for line in out.stdout.splitlines()]
    if regression:
        assert close([float(f[0]) for f in fields], expected, FLOAT32 * 10 * model.target_scaling["std"])
        check([float(f[1]) for f in fields], "C int8")
    else:
        check([model.classes[int(f[0])] for f in fields], "C float")
        check([model.classes[int(f[1])] for f in fields], "C int8")


def test_exports_of_auto_mpg_predict_from_raw_rows_with_a_category_column(tmp_path):
    # origin is a category (three one-hot inputs); every column fills its gaps with its mean
    for activation in ("tanh", "relu"):
        model, rows = table_model("auto_mpg", activation=activation)
        assert [c["kind"] for c in model.columns].count("category") == 1
        rows[0][2] = ""  # a gap in horsepower, filled in with the training mean
        rows[1][6] = "4"  # an origin the model has not seen: none of the three
        rows[2][6] = "2.0"  # a number naming the category "2"
        check_table_exports(tmp_path, model, rows)


def test_exports_of_penguins_predict_from_raw_rows_with_text_columns_and_gaps(tmp_path):
    model, rows = table_model("penguins")
    assert sum(r.count("NA") + r.count("") for r in rows) > 0  # the raw table has gaps
    check_table_exports(tmp_path, model, rows)


NAMES = ['a "quoted" one', "back\\slash", "new\nline", "*/ /* ??/", "\u00e9t\u00e9", '"""; import os; """']


def test_class_names_are_data_in_every_export(tmp_path):
    # Names from a training CSV reach the generated code as string literals only.
    net = tb.Network([2, 4, 6], activations=["tanh", "softmax"], loss="cross_entropy", seed=1)
    Model(net, classes=NAMES).save(str(tmp_path / "names.json"))
    export(str(tmp_path / "names.json"), "int8", str(tmp_path / "names_int8.py"))
    out = subprocess.run([sys.executable, "-c", "import names_int8, json; print(json.dumps("
                          "list(names_int8.CLASSES)))"], cwd=str(tmp_path), stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, universal_newlines=True)
    assert out.returncode == 0 and json.loads(out.stdout) == NAMES, out.stderr
    if shutil.which("cc") or shutil.which("gcc"):
        export(str(tmp_path / "names.json"), "c", str(tmp_path / "names.h"))
        program = ('#include <stdio.h>\n#include "names.h"\nint main(void) { int i; '
                   'for (i = 0; i < TB_OUTPUTS; i++) printf("%s|", tb_classes[i]); return 0; }\n')
        (tmp_path / "names.c").write_text(program)
        cc = shutil.which("cc") or shutil.which("gcc")
        built = subprocess.run([cc] + C_FLAGS + [str(tmp_path / "names.c"), "-o", str(tmp_path / "names"),
                                                 "-lm"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               universal_newlines=True)
        assert built.returncode == 0, built.stdout
        printed = subprocess.run([str(tmp_path / "names")], stdout=subprocess.PIPE).stdout.decode("utf-8")
        assert printed == "|".join(NAMES) + "|"


@pytest.mark.skipif(shutil.which("arm-none-eabi-gcc") is None, reason="no arm-none-eabi-gcc")
def test_c_header_compiles_for_a_cortex_m0(tmp_path):
    trained, model, table = digits_model(tmp_path)
    export(model, "c", str(tmp_path / "model.h"))
    (tmp_path / "m0.c").write_text('#include "model.h"\nint classify(const int32_t *x) '
                                   '{ int8_t q[TB_INPUTS]; tb_quantize_input(x, q); return tb_predict_int8(q); }\n'
                                   'int classify_float(const float *x) { return tb_predict(x, NULL); }\n')
    out = subprocess.run(["arm-none-eabi-gcc", "-mcpu=cortex-m0", "-mthumb", "-Os"] + C_FLAGS[:5] +
                         ["-c", str(tmp_path / "m0.c"), "-o", str(tmp_path / "m0.o")],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    assert out.returncode == 0, out.stdout


HOSTILE = ['"""; import os; os.environ["TB_PWNED"] = "1"; """', "'''; import os; os.environ['TB_PWNED'] = '1'; '''",
           "a\\N{x}b", "line\nbreak", "back\\", "*/ /* ??/", "\u00e9t\u00e9", "\x07bell"]


def test_hostile_names_in_a_model_stay_data_in_every_export(tmp_path):
    # Names from a CSV or a model file (columns, target, classes, the file's own name)
    # once went into the exported module's docstring unescaped: a label could run code
    # when the module was imported, and a name with \\N made it a SyntaxError.
    net = tb.Network([3, 4, 2], activations=["tanh", "softmax"], loss="cross_entropy", seed=3)
    model = tmp_path / ('m"""\\N{x}.json')
    Model(net, feature_names=HOSTILE[:3], target_name=HOSTILE[3], classes=HOSTILE[4:6]).save(str(model))
    x = [0.25, -1.0, 0.5]
    expected = HOSTILE[4:6][argmax(net.predict(x))]
    for fmt, name in (("python", "exported_py"), ("int8", "exported_int8")):
        export(str(model), fmt, str(tmp_path / (name + ".py")))
        env = dict(os.environ)
        env.pop("TB_PWNED", None)
        program = ("import os, json, %s as m\nprint(json.dumps([os.environ.get('TB_PWNED'), m.CLASSES[0], "
                   "m.predict(%r), list(m.FEATURES)]))" % (name, x))
        out = subprocess.run([sys.executable, "-c", program], cwd=str(tmp_path), env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
        assert out.returncode == 0, (fmt, out.stderr)
        pwned, first_class, predicted, features = json.loads(out.stdout)
        assert pwned is None and first_class == HOSTILE[4] and features == HOSTILE[:3], fmt
        if fmt == "python":
            assert predicted == expected
    export(str(model), "c", str(tmp_path / "names.h"))
    header = (tmp_path / "names.h").read_text()
    assert HOSTILE[0] not in header and "??/" not in header
def test_a_table_models_exports_refuse_a_gap_it_has_no_fill_for_and_keep_names_as_data(tmp_path):
    net = tb.Network([3, 2], activations=["softmax"], loss="cross_entropy", seed=4)
    columns = [{"name": HOSTILE[0], "kind": "number", "fill": None},
               {"name": "colour", "kind": "category", "categories": [HOSTILE[1], "red"], "fill": "red"}]
    names = [HOSTILE[0], "colour=" + HOSTILE[1], "colour=red"]
    model = Model(net, columns=columns, feature_names=names, classes=["no", "yes"],
                  scaling={"mean": [1.0, 0.0, 0.0], "std": [2.0, 1.0, 1.0]})
    model.save(str(tmp_path / "m.json"))
    export(str(tmp_path / "m.json"), "python", str(tmp_path / "table_float.py"))
    export(str(tmp_path / "m.json"), "int8", str(tmp_path / "table_int8.py"))
    from tinybackprop.data.model import x_of
    for row in ([3, HOSTILE[1]], ["3", " red "], [3.0, ""], [3, "green"]):
        program = "import json, table_float as f, table_int8 as i\nprint(json.dumps([f.outputs(%r), i.predict(%r)]))" \
            % (row, row)
        out = subprocess.run([sys.executable, "-c", program], cwd=str(tmp_path),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
        assert out.returncode == 0, out.stderr
        a, label = json.loads(out.stdout)
        assert close(a, net.predict(x_of(model, row, "row", unseen={})), AGREEMENT) and label in ("no", "yes")
    program = "import table_float as f\nf.predict(['', 'red'])"
    out = subprocess.run([sys.executable, "-c", program], cwd=str(tmp_path),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    assert out.returncode == 1 and "ValueError: column" in out.stderr and "is missing" in out.stderr
