"""The package's shape: the layers import only inward, the student's step is the core
alone, and the board's list of files is written in one place (tools/layout.py)."""
import os
import sys

from interpreters import ROOT

sys.path.insert(0, os.path.join(ROOT, "tools"))
import anatomy  # noqa: E402
import layout  # noqa: E402

# Issue 23's bounds on what a student reads for one per-sample step of train(fast=False).
MOST_FUNCTIONS = 20
MOST_FILES = 4
MOST_CODE_LINES = 260


def test_the_reference_step_is_the_core_alone_and_short():
    figures = anatomy.measure()
    assert figures["functions"] <= MOST_FUNCTIONS, figures["per_sample"]
    assert len(figures["files"]) <= MOST_FILES, figures["files"]
    assert all(name.startswith("core/") for name in figures["files"]), figures["files"]
    assert figures["code_lines"] <= MOST_CODE_LINES, figures["code_lines"]
    assert "core/backprop.py:step" in figures["per_sample"]  # the trace did see the step
    assert not any(name.startswith("tinybackprop.fast") for name in figures["loaded"]), figures["loaded"]


def test_no_import_circle():
    assert anatomy.circles() == []


def test_the_circle_finder_finds_a_circle(tmp_path, monkeypatch):
    # Two modules importing each other, one of them inside a function, make a circle.
    package = tmp_path / "tinybackprop"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from .b import f\n")
    (package / "b.py").write_text("def f():\n    from . import a\n")
    monkeypatch.setattr(anatomy, "PACKAGE", str(package))
    monkeypatch.setattr(anatomy, "ROOT", str(tmp_path))
    assert anatomy.circles() == [["tinybackprop.a", "tinybackprop.b"]]


def test_the_core_imports_nothing_from_the_other_layers():
    known = anatomy.modules()
    for name, path in known.items():
        if name.startswith("tinybackprop.core"):
            for target in anatomy.imports_of(name, path, known):
                assert target.startswith("tinybackprop.core"), (name, target)


def test_every_module_sits_in_a_layer_folder():
    folders = set(folder for folder, role in layout.LAYERS)
    for name in os.listdir(os.path.join(ROOT, "tinybackprop")):
        path = os.path.join(ROOT, "tinybackprop", name)
        if os.path.isdir(path) and name != "__pycache__":
            assert name in folders, name  # a new folder gets its line in layout.LAYERS
        elif name.endswith(".py"):
            assert name in layout.TOP, name  # a new module goes into a layer's folder


def test_package_json_is_the_board_list():
    with open(os.path.join(ROOT, "package.json")) as f:
        assert f.read() == layout.package_json()  # python tools/layout.py --package-json rewrites it
    files = layout.board_files()
    assert "tinybackprop/core/backprop.py" in files and "tinybackprop/files/modelfile.py" in files
    assert not any("/front/" in path or "/seeing/" in path for path in files)
    for path in files:
        assert os.path.isfile(os.path.join(ROOT, path)), path
