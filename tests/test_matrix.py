"""Matrix routines: hand values, and every fast form against its plain loop."""
from helpers import close, for_this_width, random_matrix, random_vector, seeded
from tinybackprop import matrix

# math.sumprod and (on 3.12+) sum() round more exactly than a running sum,
# so the fast forms agree with the loops to rounding, not bit for bit.
ROUNDING = for_this_width(1e-13)


def test_routines_by_hand():
    W = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    assert matrix.affine_loop(W, [1.0, 0.0, -1.0], [0.5, 0.25]) == [-1.5, -1.75]
    assert matrix.transpose_times_loop(W, [1.0, -1.0]) == [-3.0, -3.0, -3.0]
    assert matrix.outer([1.0, 2.0], [3.0, 4.0]) == [[3.0, 4.0], [6.0, 8.0]]
    assert matrix.hadamard([1.0, 2.0], [3.0, -4.0]) == [3.0, -8.0]
    assert matrix.scale(2.0, [1.5, -1.0]) == [3.0, -2.0]


def test_in_place_routines_by_hand():
    M = [[1.0, 1.0], [1.0, 1.0]]
    matrix.add_outer_inplace(M, -0.5, [1.0, 2.0], [2.0, 4.0])  # M - 0.5 [1, 2]^T [2, 4]
    assert M == [[0.0, -1.0], [-1.0, -3.0]]
    v = [1.0, 2.0]
    matrix.add_scaled_inplace(v, 3.0, [1.0, -1.0])
    assert v == [4.0, -1.0]
    # Zeros in v: [1, 2, 3] - 0.5 * 2 * [1, 0, -2] = [0, 2, 5]; the middle column is skipped.
    M = [[1.0, 2.0, 3.0]]
    matrix.add_outer_inplace(M, -0.5, [2.0], [1.0, 0.0, -2.0])
    assert M == [[0.0, 2.0, 5.0]]


def test_skipping_zero_columns_changes_nothing():
    # add_outer_inplace skips v_j = 0; the result must equal, bit for bit, the
    # update of every entry, M_ij + (c u_i) v_j, zeros included.
    rng = seeded(8)
    u, v = random_vector(rng, 5), random_vector(rng, 9)
    v[0] = v[4] = v[8] = 0.0
    M = random_matrix(rng, 5, 9)
    expected = [[M[i][j] + (-0.3 * u[i]) * v[j] for j in range(9)] for i in range(5)]
    matrix.add_outer_inplace(M, -0.3, u, v)
    assert M == expected


def test_non_in_place_routines_leave_arguments_alone():
    W, a, b = [[1.0, 2.0]], [3.0, 4.0], [5.0]
    matrix.affine(W, a, b)
    matrix.transpose_times(W, b)
    matrix.outer(a, b)
    assert W == [[1.0, 2.0]] and a == [3.0, 4.0] and b == [5.0]


def fast_forms():
    """Every fast form this interpreter can run, not only the one chosen."""
    forms = [(matrix.affine, matrix.transpose_times)]
    if matrix.mul is not None:
        forms.append((matrix._affine_map, matrix._transpose_times_map))
    if matrix.sumprod is not None:
        forms.append((matrix._affine_sumprod, matrix._transpose_times_sumprod))
    return forms


def test_every_fast_form_equals_its_loop():
    rng = seeded(3)
    for n, m in ((1, 1), (3, 5), (10, 64), (32, 7)):
        W, a, b, d = random_matrix(rng, n, m), random_vector(rng, m), random_vector(rng, n), \
            random_vector(rng, n)
        for affine, transpose_times in fast_forms():
            assert close(affine(W, a, b), matrix.affine_loop(W, a, b), ROUNDING)
            assert close(transpose_times(W, d), matrix.transpose_times_loop(W, d), ROUNDING)


def test_idiom_is_named():
    assert matrix.IDIOM in ("math.sumprod", "sum(map(operator.mul))", "index loops")
