"""Matrix routines, the reference loops: values worked out by hand."""
from tinybackprop.core import matrix


def test_routines_by_hand():
    W = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    # W [1, 0, -1] + [0.5, 0.25] = [1 - 3 + 0.5, 4 - 6 + 0.25]; W^T [1, -1] = [1 - 4, 2 - 5, 3 - 6]
    assert matrix.affine(W, [1.0, 0.0, -1.0], [0.5, 0.25]) == [-1.5, -1.75]
    assert matrix.transpose_times(W, [1.0, -1.0]) == [-3.0, -3.0, -3.0]
    assert matrix.outer([1.0, 2.0], [3.0, 4.0]) == [[3.0, 4.0], [6.0, 8.0]]
    assert matrix.hadamard([1.0, 2.0], [3.0, -4.0]) == [3.0, -8.0]
    assert matrix.scale(2.0, [1.5, -1.0]) == [3.0, -2.0]


def test_in_place_routines_by_hand():
    v = [1.0, 2.0]
    matrix.add_inplace(v, [3.0, -1.0])
    assert v == [4.0, 1.0]
    assert matrix.zeros(2) == [0.0, 0.0] and matrix.zeros(2, 1) == [[0.0], [0.0]]
    M = [[1.0, 2.0]]
    copy = matrix.copy_matrix(M)
    copy[0][0] = 5.0
    assert M == [[1.0, 2.0]]


def test_non_in_place_routines_leave_arguments_alone():
    W, a, b = [[1.0, 2.0]], [3.0, 4.0], [5.0]
    matrix.affine(W, a, b)
    matrix.transpose_times(W, b)
    matrix.outer(a, b)
    assert W == [[1.0, 2.0]] and a == [3.0, 4.0] and b == [5.0]
