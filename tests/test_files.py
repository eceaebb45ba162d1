"""Files are written whole or not at all, and only the right files are touched (CPython:
symbolic links, permissions, devices, FIFOs and threads)."""
import os
import stat
import threading

import pytest

import tinybackprop as tb
from helpers import raises
from tinybackprop.core.errors import TinyBackpropError
from tinybackprop.files.atomic import write_atomically

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def model():
    return tb.Network([2, 3, 1], activations=["tanh", "sigmoid"], seed=4)


def leftovers(folder):
    return sorted(name for name in os.listdir(str(folder)) if name.endswith(".tmp"))


def test_a_file_planted_at_the_old_temporary_name_is_left_alone(tmp_path):
    # Saving once wrote path + ".tmp" with a plain open: a symlink planted there was
    # followed (overwriting what it pointed to), and a user's own file of that name
    # was overwritten, or deleted when read-only.
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    os.symlink(str(victim), str(tmp_path / "model.json.tmp"))
    own = tmp_path / "notes.json.tmp"
    own.write_text("mine")
    model().save(str(tmp_path / "model.json"))
    model().save(str(tmp_path / "notes.json"))
    assert victim.read_text() == "keep me" and own.read_text() == "mine"
    assert os.path.islink(str(tmp_path / "model.json.tmp"))
    assert tb.load(str(tmp_path / "model.json")).weights == model().weights


def test_a_failed_save_removes_only_its_own_temporary_file(tmp_path):
    path = tmp_path / "model.json"
    model().save(str(path))
    before = path.read_text()
    (tmp_path / "model.json.tmp").write_text("a user's file")
    os.chmod(str(tmp_path / "model.json.tmp"), 0o444)

    def failing_write(text):
        raise OSError(28, "No space left on device")

    broken = model()
    broken.weights[0][0][0] = float("nan")
    assert "cannot save" in raises(TinyBackpropError, broken.save, str(path))
    # A failure in the middle of the write: the new file goes, the old one stays.
    import tinybackprop.files.atomic as files
    real_fdopen = os.fdopen

    def fdopen_that_fails(*args, **kwargs):
        f = real_fdopen(*args, **kwargs)
        f.write = failing_write
        return f

    files.os.fdopen = fdopen_that_fails
    try:
        with pytest.raises(OSError):
            model().save(str(path))
    finally:
        files.os.fdopen = real_fdopen
    assert path.read_text() == before
    assert (tmp_path / "model.json.tmp").read_text() == "a user's file"  # not ours: kept
    assert leftovers(tmp_path) == ["model.json.tmp"]


def test_the_mode_of_the_old_file_is_kept(tmp_path):
    path = tmp_path / "model.json"
    model().save(str(path))
    os.chmod(str(path), 0o600)
    model().save(str(path))
    assert stat.S_IMODE(os.stat(str(path)).st_mode) == 0o600


def test_a_symlinked_target_is_updated_through_the_link(tmp_path):
    real = tmp_path / "real.json"
    model().save(str(real))
    link = tmp_path / "link.json"
    os.symlink(str(real), str(link))
    net = tb.Network([2, 3, 1], seed=9)
    net.save(str(link))
    assert os.path.islink(str(link))
    assert tb.load(str(real)).weights == net.weights


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null")
def test_a_device_is_written_to_not_replaced(tmp_path):
    before = os.stat("/dev/null")
    model().save("/dev/null")
    write_atomically("/dev/null", "text\n")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


def test_a_fifo_is_written_to_not_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(str(fifo))
    got = []
    reader = threading.Thread(target=lambda: got.append(open(str(fifo)).read()))
    reader.start()
    write_atomically(str(fifo), "through the pipe\n")
    reader.join(10)
    assert got == ["through the pipe\n"] and stat.S_ISFIFO(os.stat(str(fifo)).st_mode)


def test_concurrent_saves_end_with_one_whole_file_and_no_error(tmp_path):
    path = str(tmp_path / "model.json")
    nets = [tb.Network([30, 40, 5], seed=s) for s in range(8)]
    errors = []

    def save(net):
        try:
            for _ in range(5):
                net.save(path)
        except Exception as e:  # noqa: BLE001 - the test reports any
            errors.append(e)

    threads = [threading.Thread(target=save, args=(net,)) for net in nets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert tb.load(path).weights in [net.weights for net in nets]
    assert leftovers(tmp_path) == []


def test_paths_may_be_pathlib_paths(tmp_path):
    model().save(tmp_path / "model.json")
    assert tb.load(tmp_path / "model.json").sizes == [2, 3, 1]
    assert "file name is needed" in raises(TinyBackpropError, model().save, "")


def test_special_and_oversized_model_files_are_refused_before_reading(tmp_path):
    if os.path.exists("/dev/zero"):
        assert "not a regular file" in raises(TinyBackpropError, tb.load, "/dev/zero")
    fifo = tmp_path / "model.fifo"
    os.mkfifo(str(fifo))
    assert "not a regular file" in raises(TinyBackpropError, tb.load, str(fifo))  # no blocking
    assert "not a regular file" in raises(TinyBackpropError, tb.load, str(tmp_path))
    from tinybackprop.files import modelfile
    big = tmp_path / "big.json"
    with open(str(big), "wb") as f:
        f.truncate(modelfile.MAX_BYTES + 1)  # sparse: no disk used
    assert "more than the" in raises(TinyBackpropError, tb.load, str(big))
