"""MicroPython's small heap: XOR training fits in 256 KB (skipped without micropython)."""
import os
import subprocess

import pytest

from interpreters import ROOT, find

MICROPYTHON = find("micropython")
TASK = os.path.join(ROOT, "examples", "heap_task.py")
XOR_HEAP = "256K"  # the bound; examples/micropython_heap.py measured 152 KB


@pytest.mark.skipif(MICROPYTHON is None, reason="micropython not found")
def test_xor_trains_in_a_256k_heap():
    out = subprocess.run([MICROPYTHON, "-X", "heapsize=" + XOR_HEAP, TASK, "xor"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         universal_newlines=True, timeout=300)
    assert out.returncode == 0, out.stdout
    assert out.stdout.strip() == "ok xor accuracy 1.00"


@pytest.mark.skipif(MICROPYTHON is None, reason="micropython not found")
def test_a_heap_far_too_small_fails_so_the_check_above_means_something():
    out = subprocess.run([MICROPYTHON, "-X", "heapsize=64K", TASK, "xor"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         universal_newlines=True, timeout=300)
    assert out.returncode != 0 and "MemoryError" in out.stdout
