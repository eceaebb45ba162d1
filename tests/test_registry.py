"""Every registered activation, loss, short form, update rule and schedule works everywhere
the library takes a name.

The registries (activations.ACTIVATIONS, losses.LOSSES, backprop.SHORT_FORMS and
their notation in written.py, rules.UPDATE_RULES, rules.SCHEDULES) are the one list: the network, explain, the
command line's choices and texts, the Python and C exports, the fast path and the
PyTorch comparison (tests/test_torch.py, which maps every name) all take them from
there.  A name added to a registry without its derivative text, its C expression,
its export helpers or its words fails here, not as a KeyError for a user.
"""
import math
import os
import shutil
import subprocess

import tinybackprop as tb
from helpers import close, seeded, random_vector
from tinybackprop.front import cli
from tinybackprop.core.activations import ACTIVATIONS, ELEMENT_WISE
from tinybackprop.core.checks import OUTPUTS_FOR_LOSS
from tinybackprop.export.sources import c_header_source, module_source
from tinybackprop.core.losses import LOSSES
from tinybackprop.core.written import ACTIVATION_FORMS, LOSS_FORMS, SHORT_FORM_FORMS
from tinybackprop.core.backprop import SHORT_FORMS

AGREEMENT = 1e-12  # the exported module sums W a with the reference loop, as predict may not
FLOAT32 = 1e-5


def networks():
    """A [2, 3, 2] network for every hidden activation, output activation and loss."""
    rng = seeded(5)
    for loss in LOSSES:
        for output in OUTPUTS_FOR_LOSS[loss]:
            for hidden in ACTIVATIONS:
                net = tb.Network([2, 3, 2], activations=[hidden, output], loss=loss, seed=rng.below(100))
                y = [1.0, 0.0] if loss != "mse" else random_vector(rng, 2)
                yield net, random_vector(rng, 2), y


def test_every_name_is_explained():
    seen = set()
    for net, x, y in networks():
        text = tb.explain(net, x, y, 0.1)
        assert LOSS_FORMS[net.loss][0] in text
        for name in net.activations[:1]:
            if ACTIVATIONS[name]["prime"] is not None:
                assert ACTIVATION_FORMS[name]["prime"][0] in text, name
        markdown = tb.explain(net, x, y, 0.1, format="markdown")
        assert "$$" in markdown
        seen.update(net.activations)
        seen.add(net.loss)
    assert seen == set(ACTIVATIONS) | set(LOSSES)


def test_every_name_is_written_out_and_nothing_else():
    # written.py holds the notation apart from the math: the same names, and a form
    # exactly where the math has an element-wise derivative.
    assert set(ACTIVATION_FORMS) == set(ACTIVATIONS)
    assert set(LOSS_FORMS) == set(LOSSES)
    assert set(SHORT_FORM_FORMS) == set(SHORT_FORMS)
    for name in ACTIVATIONS:
        element_wise = ACTIVATIONS[name]["prime"] is not None
        for kind in ("prime", "c", "step"):
            assert (ACTIVATION_FORMS[name][kind] is not None) == element_wise, (name, kind)


def test_every_name_exports_to_python_and_predicts_as_the_library():
    for net, x, y in networks():
        namespace = {}
        exec(compile(module_source(net), "exported", "exec"), namespace)
        assert close(namespace["predict"](x), net.predict(x), AGREEMENT), net


def test_every_name_exports_to_c_and_compiles_and_predicts(tmp_path):
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        return  # no C compiler: test_export.py says so with a skip
    program = ('#include <stdio.h>\n#include "model.h"\nint main(void) { float x[2], out[TB_OUTPUTS]; '
               'while (scanf("%f %f", &x[0], &x[1]) == 2) { tb_predict(x, out); '
               'printf("%.9g %.9g\\n", out[0], out[1]); } return 0; }\n')
    (tmp_path / "main.c").write_text(program)
    checked = set()
    for net, x, y in networks():
        if net.loss != "mse":  # the output activations all meet mse
            continue
        (tmp_path / "model.h").write_text(c_header_source(net))
        built = subprocess.run([cc, "-std=c99", "-Wall", "-Werror", str(tmp_path / "main.c"), "-o",
                                str(tmp_path / "main"), "-lm"], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, universal_newlines=True)
        assert built.returncode == 0, (net, built.stdout)
        out = subprocess.run([str(tmp_path / "main")], input="%r %r\n" % tuple(x), stdout=subprocess.PIPE,
                             universal_newlines=True).stdout.split()
        assert close([float(v) for v in out], net.predict(x), FLOAT32), net
        checked.update(net.activations)
    assert checked == set(ACTIVATIONS)


def test_every_element_wise_name_trains_from_the_command_line(tmp_path, capsys):
    # The command line offers the element-wise activations for its hidden layers
    # (softmax belongs to the output layer, which train chooses itself).
    assert sorted(ELEMENT_WISE) == sorted(name for name in ACTIVATIONS if name != "softmax")
    data = tmp_path / "d.csv"
    rng = seeded(2)
    rows = ["u,v,label"] + ["%r,%r,%s" % (u, v, "yes" if u * v > 0 else "no")
                             for u, v in (random_vector(rng, 2) for _ in range(40))]
    data.write_text("\n".join(rows) + "\n")
    for name in ELEMENT_WISE:
        model = str(tmp_path / ("%s.json" % name))
        assert cli.main(["train", str(data), "--activation", name, "--epochs", "2", "--quiet",
                         "--save", model]) == 0, name
        assert tb.load(model).network.activations[0] == name
        assert os.path.exists(model)
    assert "invalid choice" in run_train_with(str(data), "softmax", capsys)


def run_train_with(data, activation, capsys):
    try:
        cli.main(["train", data, "--activation", activation])
    except SystemExit:
        pass
    return capsys.readouterr().err


def test_every_activation_keeps_its_values_finite_for_large_inputs():
    # The registry's functions are the network's: each must give finite numbers for
    # any finite z (sigmoid and softmax never call exp on a large positive number).
    for name in ACTIVATIONS:
        a = ACTIVATIONS[name]["sigma"]([-700.0, 0.0, 700.0])
        assert all(math.isfinite(v) for v in a), name


def test_every_rule_and_schedule_trains_from_the_command_line_and_is_named(tmp_path, capsys):
    from tinybackprop.training.rules import RULES, SCHEDULES, UPDATE_RULES
    data = tmp_path / "d.csv"
    rng = seeded(4)
    data.write_text("u,v,label\n" + "".join("%r,%r,%s\n" % (u, v, "yes" if u > v else "no")
                                            for u, v in (random_vector(rng, 2) for _ in range(30))))
    assert RULES == tuple(entry[0] for entry in UPDATE_RULES)
    from tinybackprop.training import settings  # the names train takes, which need not import rules
    assert settings.RULES == RULES and settings.SCHEDULES == tuple(sorted(SCHEDULES))
    for rule, make, words in UPDATE_RULES:
        capsys.readouterr()
        assert cli.main(["train", str(data), "--rule", rule, "--momentum", "0.5", "--epochs", "2"]) == 0, rule
        said = (words % {"momentum": 0.5})
        assert "; %s, lr " % said in capsys.readouterr().out, rule
    for schedule in SCHEDULES:
        assert cli.main(["train", str(data), "--schedule", schedule, "--epochs", "2", "--quiet"]) == 0, schedule


def test_the_fast_path_knows_only_registered_names_and_declines_the_rest():
    from tinybackprop.fast.kernels import SHOWN_EQUAL, sgd_stepper
    from tinybackprop.core.backprop import SGD
    assert set(SHOWN_EQUAL["activations"]) <= set(ACTIVATIONS)
    assert set(SHOWN_EQUAL["losses"]) <= set(LOSSES)
    for net, x, y in networks():  # a name it was not shown equal on: the reference step runs
        shown = net.loss in SHOWN_EQUAL["losses"] and all(a in SHOWN_EQUAL["activations"] for a in net.activations)
        if not shown:
            assert sgd_stepper(net, SGD(0.1), 1) is None, net
