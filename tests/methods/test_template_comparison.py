"""Congruence matching (dagster_project.methods.template_comparison) on cases
whose answer is known: a rotated, reflected, column-permuted copy of a
loading matrix matches itself with phi = 1, and Tucker's phi against a
direct loop over the formula."""

import numpy as np
import pandas as pd
import pytest

from dagster_project.methods import template_comparison as tc

# Seed 003 Table 2 (rounded as printed), first six industries x 7 components,
# padded with a seventh row so the matrix is not square.
PUBLISHED = np.array(
    [
        [-0.083, -0.105, 0.933, -0.112, -0.016, 0.159, 0.107],
        [-0.288, -0.344, 0.136, -0.186, -0.223, -0.661, 0.203],
        [-0.012, 0.698, 0.546, -0.114, -0.119, -0.245, 0.010],
        [0.893, 0.006, -0.223, 0.322, 0.052, 0.026, 0.076],
        [0.120, 0.810, -0.050, 0.210, 0.300, 0.100, -0.150],
        [0.200, 0.150, 0.100, 0.850, -0.120, 0.050, 0.300],
        [0.050, -0.200, 0.120, 0.070, 0.880, -0.100, 0.010],
        [0.300, 0.100, -0.050, -0.200, 0.100, 0.700, 0.400],
        [-0.100, 0.050, 0.200, 0.300, -0.050, 0.150, 0.820],
    ]
)


def _tucker_loop(x: np.ndarray, y: np.ndarray) -> float:
    num = sum(a * b for a, b in zip(x, y, strict=True))
    return num / np.sqrt(sum(a * a for a in x) * sum(b * b for b in y))


def test_congruence_matrix_matches_the_formula_cell_by_cell():
    rng = np.random.default_rng(3)
    other = rng.normal(size=(PUBLISHED.shape[0], 5))
    phi = tc.congruence_matrix(PUBLISHED, other)
    assert phi.shape == (7, 5)
    for k in range(7):
        for j in range(5):
            assert phi[k, j] == pytest.approx(_tucker_loop(PUBLISHED[:, k], other[:, j]), abs=1e-12)


def test_permuted_reflected_copy_matches_itself_with_phi_one():
    permutation = np.array([4, 0, 6, 2, 1, 5, 3])
    signs = np.array([1, -1, -1, 1, 1, -1, 1], dtype=float)
    copy = PUBLISHED[:, permutation] * signs
    matching = tc.match_components(PUBLISHED, copy)
    # published column k sits at position where permutation == k
    expected = np.argsort(permutation)
    np.testing.assert_array_equal(matching.recomputed_for, expected)
    np.testing.assert_allclose(matching.phi, 1.0, atol=1e-12)
    np.testing.assert_array_equal(matching.sign, signs[expected])
    np.testing.assert_allclose(matching.aligned(copy), PUBLISHED, atol=1e-12)


def test_varimax_of_a_rotated_copy_recovers_the_matrix():
    """A simple-structure solution spun by an arbitrary orthogonal rotation,
    rotated back by varimax, is the varimax solution of the original up to
    order and sign: phi = 1 for every component."""
    from dagster_project.methods.cluster_templates import varimax

    rng = np.random.default_rng(11)
    simple = np.zeros((20, 4))
    for i in range(20):
        simple[i, i % 4] = 0.6 + 0.3 * rng.random()
    simple += rng.normal(scale=0.05, size=simple.shape)
    reference = varimax(simple).loadings
    q, _ = np.linalg.qr(rng.normal(size=(4, 4)))
    recovered = varimax(simple @ q).loadings[:, [2, 0, 3, 1]] * np.array([1, -1, 1, -1])
    matching = tc.match_components(reference, recovered)
    np.testing.assert_allclose(matching.phi, 1.0, atol=1e-8)
    np.testing.assert_allclose(matching.aligned(recovered), reference, atol=1e-6)


def test_a_different_solution_does_not_reach_phi_one():
    rng = np.random.default_rng(5)
    noise = PUBLISHED + rng.normal(scale=0.4, size=PUBLISHED.shape)
    matching = tc.match_components(PUBLISHED, noise)
    assert matching.phi.min() < 0.95
    # the assignment maximises the summed |phi|: no permutation does better
    from itertools import permutations

    phi = np.abs(tc.congruence_matrix(PUBLISHED[:, :4], noise[:, :4]))
    best = max(sum(phi[k, p[k]] for k in range(4)) for p in permutations(range(4)))
    sub = tc.match_components(PUBLISHED[:, :4], noise[:, :4])
    assert sub.phi.sum() == pytest.approx(best, abs=1e-12)


def test_congruence_classes_follow_lorenzo_seva_ten_berge():
    assert tc.congruence_class(0.96) == tc.EQUAL
    assert tc.congruence_class(-0.95) == tc.EQUAL
    assert tc.congruence_class(0.90) == tc.FAIR
    assert tc.congruence_class(0.84) == tc.DIFFERENT


def test_zero_column_is_refused():
    with pytest.raises(ValueError, match="all zero"):
        tc.congruence_matrix(PUBLISHED, np.zeros((PUBLISHED.shape[0], 2)))


def test_aggregate_flows_sums_blocks_and_drops_unmapped_codes():
    z = np.arange(16, dtype=float).reshape(4, 4)
    out = tc.aggregate_flows(z, ["a", "b", "c", "d"], {"a": "G1", "b": "G1", "d": "G2"}, ["G1", "G2"])
    np.testing.assert_allclose(out, [[0 + 1 + 4 + 5, 3 + 7], [12 + 13, 15]])
    with pytest.raises(ValueError, match="without any code"):
        tc.aggregate_flows(z, ["a", "b", "c", "d"], {"a": "G1"}, ["G1", "G2"])


def test_comparison_tables_on_a_permuted_copy():
    industries = [f"i{k}" for k in range(PUBLISHED.shape[0])]
    published = pd.DataFrame(PUBLISHED, index=industries, columns=range(1, 8))
    permutation = np.array([2, 0, 1, 3, 6, 5, 4])
    copy = pd.DataFrame(-PUBLISHED[:, permutation], index=industries, columns=range(1, 8))

    class _Result:  # the one attribute comparison_tables reads
        rotated = copy

    components, per_industry = tc.comparison_tables(published, _Result())
    assert components["congruence"].min() == pytest.approx(1.0)
    assert components["sign_flipped"].all()
    assert per_industry["same_primary"].all()
    assert components["published_primary_members"].tolist() == components[
        "recomputed_primary_members"
    ].tolist()
    assert tc.members_share_a_component(per_industry, ["i2", "i4"], "published_primary_component")
    assert not tc.members_share_a_component(per_industry, ["i0", "i3"], "published_primary_component")
