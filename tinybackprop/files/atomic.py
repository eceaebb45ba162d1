"""Files: written whole or not at all, and read only when they are what they claim to be.

``write_atomically(path, text)`` replaces a file so that a crash, an error, Ctrl-C
or (where the command line turns it into an exception) SIGTERM leaves the old
file or the new one, never half of one, and never touches another file.
``check_input(path, what, limit)`` refuses, before reading, what cannot be read
whole: a device such as /dev/zero, a FIFO, a folder, or a file over a size limit.

Written for every interpreter: CPython's ``os.open`` with ``O_EXCL``, ``os.chmod``,
``os.fsync`` and ``os.path.realpath`` are used where they exist (MicroPython has
none of them, nor symbolic links on a board).
"""
import os

from ..core.errors import TinyBackpropError

try:
    import time
    STARTED = time.time()  # a temporary of ours older than this process was left by one that died
except (ImportError, AttributeError):  # a board with no clock: nothing to sweep by age
    time, STARTED = None, None

S_IFMT, S_IFREG = 0o170000, 0o100000  # st_mode's file-type bits, and a regular file's
MODE, SIZE, MTIME = 0, 6, 8  # the places of st_mode, st_size, st_mtime in os.stat's result, everywhere


def file_name(path):
    """path as a str: pathlib paths and other os.PathLike objects are accepted."""
    if hasattr(os, "fspath"):
        path = os.fspath(path)
    if not isinstance(path, str) or path == "":
        raise TinyBackpropError("a file name is needed, got %r" % (path,))
    return path


def stat_or_none(path):
    """os.stat(path), or None where nothing is there."""
    try:
        return os.stat(path)
    except OSError:
        return None


def is_regular(st):
    return st[MODE] & S_IFMT == S_IFREG


def real_path(path):
    """path with every symbolic link resolved (where the interpreter has links)."""
    if hasattr(os, "path") and hasattr(os.path, "realpath"):
        return os.path.realpath(path)
    return path


def check_input(path, what, limit=None):
    """Raise TinyBackpropError unless path is a regular file of at most limit bytes.

    what names the file's kind for the message ("model file", "CSV file").  A
    missing file raises the interpreter's own OSError, which names it.
    """
    st = os.stat(path)
    if not is_regular(st):
        raise TinyBackpropError("%s: not a regular file (a folder, a device or a pipe): give a %s"
                                % (path, what))
    if limit is not None and st[SIZE] > limit:
        raise TinyBackpropError("%s: %d bytes, more than the %d a %s may have here"
                                % (path, st[SIZE], limit, what))


def write_atomically(path, text):
    """Write text to path, whole or not at all.

    A regular file, or one that does not exist yet, is replaced: the text goes to
    a new file beside it, created exclusively under an unpredictable name, which
    is then renamed over it; the old file's permission bits are kept.  On any
    failure that new file is removed, and only it: the old file stays as it was.
    A symbolic link is followed, and its target replaced; the link stays.
    Anything else that is there (a device such as /dev/null or /dev/stdout, a
    FIFO) cannot be replaced, and is written to directly.
    """
    path = file_name(path)
    st = stat_or_none(path)  # through any links: /dev/stdout is a link to a pipe or a terminal
    if st is not None and not is_regular(st):
        with open(path, "w") as f:
            f.write(text)
        return
    path = real_path(path)  # a link's target is what gets replaced
    sweep_stale(path)
    f, temporary = _new_file_beside(path)
    try:
        f.write(text)
        f.flush()
        if hasattr(os, "fsync"):  # not on MicroPython
            os.fsync(f.fileno())
        f.close()
        if st is not None and hasattr(os, "chmod"):
            os.chmod(temporary, st[MODE] & 0o7777)  # the old file's permissions
        # os.replace overwrites on every OS; MicroPython has only rename (POSIX: also overwrites)
        getattr(os, "replace", os.rename)(temporary, path)
    except BaseException as e:
        try:
            f.close()  # on a full disk, close flushes the rest and fails again
        except OSError:
            pass
        try:
            os.remove(temporary)
        except OSError:
            pass
        if isinstance(e, OSError) and getattr(e, "filename", "") is None:
            e.filename = path  # a full disk's error names no file: say which one was being written
        raise


STALE = 60  # seconds: a temporary last written this long before this process began is a dead save's


def sweep_stale(path):
    """Remove the temporaries of path (``.NAME.<hex>.tmp`` beside it) last written STALE
    seconds or more before this process began: a save killed mid-write (SIGKILL, a power
    cut) left them, and no one else will.  Another process's save, which writes and
    renames its temporary within moments, is never one of them."""
    if STARTED is None or not hasattr(os, "listdir"):
        return
    folder, name = _folder_and_name(path)
    prefix = "." + name + "."
    try:
        found = os.listdir(folder)
    except OSError:
        return
    for entry in found:
        middle = entry[len(prefix):len(entry) - 4]
        if not (entry.startswith(prefix) and entry.endswith(".tmp") and len(middle) == 12
                and all(c in "0123456789abcdef" for c in middle)):
            continue
        st = stat_or_none(folder + "/" + entry)
        if st is not None and is_regular(st) and st[MTIME] < STARTED - STALE:
            try:
                os.remove(folder + "/" + entry)
            except OSError:
                pass


def _folder_and_name(path):
    """(folder, file name) of path; "." for a name without a folder."""
    if hasattr(os, "path"):
        folder, name = os.path.split(path)
        return folder or ".", name
    return path.rsplit("/", 1) if "/" in path else (".", path)  # MicroPython


def _new_file_beside(path):
    """(open file, its name): a new file in path's folder, created by this call alone."""
    folder, name = _folder_and_name(path)
    for _ in range(100):
        temporary = folder + "/." + name + "." + _random_hex() + ".tmp"
        if hasattr(os, "open") and hasattr(os, "O_EXCL"):  # CPython, PyPy
            try:
                descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            except FileExistsError:
                continue
            return os.fdopen(descriptor, "w", encoding="utf-8"), temporary
        if stat_or_none(temporary) is None:  # MicroPython: one program at a time on a board
            return open(temporary, "w"), temporary
    raise TinyBackpropError("%s: could not create a temporary file beside it" % path)


def _random_hex():
    """12 unpredictable hex digits, for a temporary file's name."""
    if hasattr(os, "urandom"):
        return "".join("%02x" % b for b in os.urandom(6))
    # a board without urandom: the clock is enough where one program runs
    return "%x" % (int(time.time() * 1000000) if time is not None else 0)
