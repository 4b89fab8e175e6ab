"""Feser-Bergman cluster templates against independent references:
numpy's corrcoef for the pattern correlations, scikit-learn's PCA (SVD of
the data) for the principal components, factor_analyzer's Rotator (the SVD
varimax algorithm of R's stats::varimax, a different algorithm from the
pairwise one under test) for the rotation, and seed 003's published Table 2
for membership and explained variance."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from factor_analyzer import Rotator
from sklearn.decomposition import PCA

from dagster_project.ingestion.numbers import parse_number
from dagster_project.methods import cluster_templates as ct

ROOT = Path(__file__).resolve().parents[2]
SEED_LOADINGS = ROOT / "data" / "raw" / "seeds" / "s003_t2_rotated_component_loadings.csv"
LABELS_DIR = ROOT / "data" / "raw" / "cluster_labels"


# --------------------------------------------------------------------------- #
# fixtures
# --------------------------------------------------------------------------- #
@pytest.fixture(scope="module")
def factor_data() -> np.ndarray:
    """Data with three underlying factors: 400 observations of 10 variables."""
    rng = np.random.default_rng(20240601)
    factors = rng.normal(size=(400, 3))
    weights = np.zeros((3, 10))
    weights[0, :4] = rng.uniform(0.6, 1.0, 4)
    weights[1, 4:7] = rng.uniform(0.6, 1.0, 3)
    weights[2, 7:] = rng.uniform(0.6, 1.0, 3)
    weights += rng.normal(scale=0.15, size=weights.shape)
    return factors @ weights + rng.normal(scale=0.6, size=(400, 10))


@pytest.fixture(scope="module")
def seed_003_loadings() -> pd.DataFrame:
    """Seed 003, Table 2 as transcribed by the seeds engineer (';' and
    decimal comma); industries x components 1..7."""
    with SEED_LOADINGS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    frame = pd.DataFrame(
        {
            int(col[2:]): [parse_number(r[col], decimal=",").value for r in rows]
            for col in rows[0]
            if col.startswith("pc")
        },
        index=pd.Index([r["industry_code"] for r in rows], name="industry_code"),
    )
    assert frame.shape == (20, 7)
    return frame


def _align(reference: np.ndarray, candidate: np.ndarray) -> np.ndarray:
    """Reorder and reflect candidate columns to match reference columns (a
    component's order and sign are arbitrary)."""
    out = np.empty_like(candidate)
    used: set[int] = set()
    for j in range(reference.shape[1]):
        scores = [
            -1.0 if k in used else abs(np.dot(reference[:, j], candidate[:, k]))
            for k in range(candidate.shape[1])
        ]
        best = int(np.argmax(scores))
        used.add(best)
        sign = np.sign(np.dot(reference[:, j], candidate[:, best])) or 1.0
        out[:, j] = sign * candidate[:, best]
    return out


# --------------------------------------------------------------------------- #
# 1-2. patterns and correlations
# --------------------------------------------------------------------------- #
def test_patterns_are_shares_and_gaps_stay_gaps():
    z = np.array([[10.0, 0.0, 5.0], [30.0, 0.0, 5.0], [0.0, 0.0, 0.0]])
    x = ct.input_purchase_patterns(z)
    y = ct.output_sale_patterns(z)
    np.testing.assert_allclose(x[:, 0], [0.25, 0.75, 0.0])
    np.testing.assert_allclose(x[:, 2], [0.5, 0.5, 0.0])
    assert np.isnan(x[:, 1]).all()  # buys nothing: no pattern, not zeros
    np.testing.assert_allclose(y[0], [10 / 15, 0.0, 5 / 15])
    assert np.isnan(y[2]).all()


def test_pattern_correlations_match_numpy_corrcoef():
    rng = np.random.default_rng(7)
    z = rng.gamma(0.6, 100.0, size=(12, 12))
    result = ct.pattern_correlations(z)
    x = z / z.sum(axis=0)  # columns = purchase patterns
    y = z / z.sum(axis=1, keepdims=True)  # rows = sale patterns
    full = np.corrcoef(np.vstack([x.T, y]))  # 24 x 24: [x_1..x_n, y_1..y_n]
    n = z.shape[0]
    np.testing.assert_allclose(result.input_input, full[:n, :n], atol=1e-12)
    np.testing.assert_allclose(result.output_output, full[n:, n:], atol=1e-12)
    np.testing.assert_allclose(result.input_output, full[:n, n:], atol=1e-12)
    np.testing.assert_allclose(result.output_input, full[n:, :n], atol=1e-12)
    expected_max = np.maximum.reduce([full[:n, :n], full[n:, n:], full[:n, n:], full[n:, :n]])
    np.fill_diagonal(expected_max, 1.0)
    np.testing.assert_allclose(result.maximum, expected_max, atol=1e-12)
    np.testing.assert_allclose(result.maximum, result.maximum.T)
    assert result.excluded == {}


def test_industry_without_flows_is_excluded_and_one_sided_industry_kept():
    rng = np.random.default_rng(3)
    z = rng.uniform(1, 10, size=(5, 5))
    z[4, :] = 0.0
    z[:, 4] = 0.0  # industry "e" trades nothing with industries
    z[3, :] = 0.0  # industry "d" sells nothing but still buys
    result = ct.pattern_correlations(z, list("abcde"))
    assert result.industries == ["a", "b", "c", "d"]
    assert set(result.excluded) == {"e"}
    d = result.industries.index("d")
    assert np.isnan(result.output_output[d]).all()
    assert np.isfinite(result.maximum).all()
    # d's links come from its purchase pattern only
    x = z / np.where(z.sum(axis=0) > 0, z.sum(axis=0), np.nan)
    y = z[:1] / z[:1].sum()
    r_da_inputs = np.corrcoef(x[:, 3], x[:, 0])[0, 1]
    r_d_buys_a_sells = np.corrcoef(x[:, 3], y[0])[0, 1]
    assert result.maximum[d, 0] == pytest.approx(max(r_da_inputs, r_d_buys_a_sells))


def test_flows_matrix_refuses_gaps_and_duplicates():
    flows = pd.DataFrame(
        {
            "from_industry_code": ["a", "a", "b"],
            "to_industry_code": ["a", "b", "a"],
            "flow_value": [1.0, 2.0, 3.0],
        }
    )
    m = ct.flows_matrix(flows)
    assert m.loc["b", "b"] == 0.0 and m.loc["a", "b"] == 2.0
    with pytest.raises(ct.TemplateInputError, match="'b' -> 'a' has no value"):
        ct.flows_matrix(flows.assign(flow_value=[1.0, 2.0, None]))
    with pytest.raises(ct.TemplateInputError, match="appears twice"):
        ct.flows_matrix(pd.concat([flows, flows.iloc[[0]]]))


# --------------------------------------------------------------------------- #
# 3-4. principal components and the number kept
# --------------------------------------------------------------------------- #
def test_principal_components_match_sklearn_pca(factor_data):
    n = factor_data.shape[0]
    standardised = (factor_data - factor_data.mean(0)) / factor_data.std(0)
    pcs = ct.principal_components(np.corrcoef(factor_data, rowvar=False))
    reference = PCA(svd_solver="full").fit(standardised)
    # sklearn divides by n - 1; the correlation matrix by n.
    np.testing.assert_allclose(
        pcs.eigenvalues, reference.explained_variance_ * (n - 1) / n, rtol=1e-10
    )
    np.testing.assert_allclose(pcs.explained_share, reference.explained_variance_ratio_, rtol=1e-10)
    reference_loadings = reference.components_[:3].T * np.sqrt(pcs.eigenvalues[:3])
    np.testing.assert_allclose(
        _align(reference_loadings, pcs.loadings(3)), reference_loadings, atol=1e-10
    )


def test_number_of_components_rules():
    eigenvalues = np.array([4.2, 2.1, 1.3, 0.9, 0.8, 0.4, 0.3])  # sum 10
    assert ct.number_of_components(eigenvalues, "kaiser") == 3
    assert ct.number_of_components(eigenvalues, "variance", 0.75) == 3  # 0.76
    assert ct.number_of_components(eigenvalues, "variance", 0.76) == 3  # exactly reached
    assert ct.number_of_components(eigenvalues, "variance", 0.77) == 4
    assert ct.number_of_components(eigenvalues, "variance", 1.0) == 7
    assert ct.number_of_components(np.array([0.9, 0.6, 0.5]), "kaiser") == 1
    with pytest.raises(ct.TemplateInputError, match="unknown components rule"):
        ct.number_of_components(eigenvalues, "scree")


# --------------------------------------------------------------------------- #
# 5. varimax
# --------------------------------------------------------------------------- #
def test_varimax_matches_factor_analyzer_rotator(factor_data):
    pcs = ct.principal_components(np.corrcoef(factor_data, rowvar=False))
    unrotated = pcs.loadings(3)
    mine = ct.varimax(unrotated)
    assert mine.converged
    reference = Rotator(method="varimax", normalize=True, max_iter=10_000, tol=1e-14)
    theirs = reference.fit_transform(unrotated)
    np.testing.assert_allclose(_align(theirs, mine.loadings), theirs, atol=1e-6)
    assert ct.varimax_criterion(mine.loadings) == pytest.approx(
        ct.varimax_criterion(theirs), abs=1e-10
    )


def test_varimax_is_an_orthogonal_rotation_to_a_local_maximum(factor_data):
    pcs = ct.principal_components(np.corrcoef(factor_data, rowvar=False))
    unrotated = pcs.loadings(4)
    result = ct.varimax(unrotated)
    np.testing.assert_allclose(result.rotation.T @ result.rotation, np.eye(4), atol=1e-12)
    np.testing.assert_allclose(unrotated @ result.rotation, result.loadings, atol=1e-12)
    # rotation keeps each variable's communality
    np.testing.assert_allclose((result.loadings**2).sum(1), (unrotated**2).sum(1))
    best = ct.varimax_criterion(result.loadings)
    assert best > ct.varimax_criterion(unrotated)
    # no small planar turn of any pair improves the criterion
    for j in range(4):
        for k in range(j + 1, 4):
            for angle in (-0.01, 0.01):
                turn = np.eye(4)
                turn[[j, j, k, k], [j, k, j, k]] = [
                    math.cos(angle),
                    -math.sin(angle),
                    math.sin(angle),
                    math.cos(angle),
                ]
                assert ct.varimax_criterion(result.loadings @ turn) < best


def test_varimax_without_normalisation_matches_rotator(factor_data):
    unrotated = ct.principal_components(np.corrcoef(factor_data, rowvar=False)).loadings(3)
    mine = ct.varimax(unrotated, normalize=False).loadings
    theirs = Rotator(method="varimax", normalize=False, max_iter=10_000, tol=1e-14).fit_transform(
        unrotated
    )
    np.testing.assert_allclose(_align(theirs, mine), theirs, atol=1e-6)


def test_orient_and_order_sorts_by_variance_and_makes_the_largest_loading_positive():
    a = np.array([[0.1, -0.9], [0.2, -0.8], [0.3, 0.1]])
    oriented, order = ct.orient_and_order(a)
    assert list(order) == [1, 0]
    np.testing.assert_allclose(oriented[:, 0], [0.9, 0.8, -0.1])
    np.testing.assert_allclose(oriented[:, 1], [0.1, 0.2, 0.3])


# --------------------------------------------------------------------------- #
# 6. membership
# --------------------------------------------------------------------------- #
def test_membership_primary_by_absolute_loading_secondary_by_cutoff():
    loadings = pd.DataFrame(
        [[0.80, 0.35, 0.10], [-0.70, 0.20, 0.34], [0.40, -0.40, 0.05]],
        index=["a", "b", "c"],
        columns=[1, 2, 3],
    )
    long = ct.assign_membership(loadings, cutoff=0.35).set_index(["industry_code", "template"])
    role = long["role"]
    assert role[("a", 1)] == "primary" and role[("a", 2)] == "secondary"  # 0.35 is enough
    assert role[("a", 3)] == "not_member"
    assert role[("b", 1)] == "primary"  # largest absolute value, negative sign
    assert role[("b", 3)] == "not_member"  # 0.34 below the cut-off
    assert role[("c", 1)] == "primary" and role[("c", 2)] == "secondary"  # tie -> lower number
    assert (long.groupby(level=0)["role"].apply(lambda r: (r == "primary").sum()) == 1).all()
    assert long.loc[("b", 1), "loading"] == -0.70


def test_seed_003_mining_metallurgical_template(seed_003_loadings):
    """Seed 003: the mining-metallurgical cluster = metal-ore mining,
    metallurgy and metal processing, other manufacturing, machinery
    manufacture and repair, coal and lignite mining (component 2)."""
    long = ct.assign_membership(seed_003_loadings, cutoff=0.35)
    members = long[(long["template"] == 2) & (long["role"] != "not_member")]
    assert set(members["industry_code"]) == {
        "metal_ore_mining",
        "metallurgy_metal_processing",
        "other_manufacturing",
        "machinery_manufacture_repair",
        "coal_lignite_peat_mining",
    }
    assert (members["role"] == "primary").all()
    # coal also loads 0.546 on the agricultural component: a secondary member there
    coal = long[long["industry_code"] == "coal_lignite_peat_mining"].set_index("template")
    assert coal.loc[3, "role"] == "secondary"


def test_seed_003_seven_components_explain_88_percent(seed_003_loadings):
    """The article: 7 factors explain 88 % of the variance. After an
    orthogonal rotation the retained variance is the sum of squared
    loadings over the 20 industries; rounding of the printed loadings to
    three decimals moves it by far less than the half-point of rounding."""
    shares = ct.rotated_variance_shares(seed_003_loadings.to_numpy(), total_variance=20.0)
    assert shares.sum() == pytest.approx(0.88, abs=0.005)
    assert list(np.argsort(-shares)) == list(range(7))  # printed in order of variance


# --------------------------------------------------------------------------- #
# the whole pipeline on an economy with a known structure
# --------------------------------------------------------------------------- #
def test_two_supply_chains_become_two_templates():
    """Two supply chains that never trade with each other: {a, b, c} and
    {d, e, f} (each a chain raw -> intermediate -> final with some
    feedback). Their industries must fall into two separate templates."""
    rng = np.random.default_rng(11)
    chain = np.array([[5.0, 60.0, 10.0], [2.0, 8.0, 70.0], [1.0, 3.0, 6.0]])
    z = np.zeros((6, 6))
    z[:3, :3] = chain * rng.uniform(0.8, 1.2, (3, 3))
    z[3:, 3:] = chain.T * rng.uniform(0.8, 1.2, (3, 3))
    z += rng.uniform(0.0, 0.5, (6, 6))  # a little noise everywhere
    result = ct.cluster_templates(z, list("abcdef"), rule="kaiser")
    assert result.n_components == 2
    primary = result.membership[result.membership["role"] == "primary"].set_index("industry_code")[
        "template"
    ]
    assert primary["a"] == primary["b"] == primary["c"]
    assert primary["d"] == primary["e"] == primary["f"]
    assert primary["a"] != primary["d"]
    table = result.variance_table()
    assert table["cumulative_variance_share"].iloc[1] > 0.9
    np.testing.assert_allclose(
        table["rotated_sum_of_squared_loadings"].sum(),
        table["eigenvalue"].iloc[: result.n_components].sum(),
    )


# --------------------------------------------------------------------------- #
# 7. names
# --------------------------------------------------------------------------- #
def _label_data():
    def read(name: str) -> list[dict[str, str]]:
        with (LABELS_DIR / name).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle, delimiter=";"))

    themes = pd.DataFrame(read("cluster_themes.csv")).set_index("theme_code")
    themes["position"] = themes["position"].astype(int)
    industry_themes = {
        (r["io_table_id"], r["industry_code"]): r["theme_code"]
        for r in read("io_industry_themes.csv")
    }
    conjunctions = {r["language"]: r["conjunction"] for r in read("name_conjunctions.csv")}
    return themes, industry_themes, conjunctions


def test_seed_003_templates_are_named_from_their_members(seed_003_loadings):
    themes, industry_themes, conjunctions = _label_data()
    kz = {code: theme for (table, code), theme in industry_themes.items() if table == "s003_t2"}
    long = ct.assign_membership(seed_003_loadings, cutoff=0.35)
    names = ct.name_templates(long, kz, themes, conjunctions).set_index("template")
    assert names.loc[2, "name_en"] == "mining and metallurgy"
    assert names.loc[2, "top_industry_code"] == "metallurgy_metal_processing"
    assert names["name_en"].is_unique
    for lang in ct.LANGUAGES:
        assert names[f"name_{lang}"].str.len().gt(0).all()


def test_name_templates_refuses_an_industry_without_a_theme():
    themes = pd.DataFrame(
        {"position": [1], "label_kk": ["к"], "label_ru": ["р"], "label_en": ["e"]},
        index=pd.Index(["t"], name="theme_code"),
    )
    membership = pd.DataFrame(
        {"industry_code": ["x"], "template": [1], "loading": [0.9], "role": ["primary"]}
    )
    with pytest.raises(ct.TemplateInputError, match="industry 'x' has no theme"):
        ct.name_templates(membership, {}, themes, {"kk": "және", "ru": "и", "en": "and"})


# --------------------------------------------------------------------------- #
# many tables at once (what the dbt models call)
# --------------------------------------------------------------------------- #
def _long_flows(table_id: str, z: np.ndarray, codes: list[str]) -> pd.DataFrame:
    n = len(codes)
    i, j = np.meshgrid(range(n), range(n), indexing="ij")
    return pd.DataFrame(
        {
            "economy_code": "XX",
            "table_id": table_id,
            "year": 2020,
            "from_industry_code": np.asarray(codes)[i.ravel()],
            "to_industry_code": np.asarray(codes)[j.ravel()],
            "from_position": i.ravel() + 1,
            "to_position": j.ravel() + 1,
            "flow_value": z.ravel(),
        }
    )


def test_templates_for_tables_equal_one_table_at_a_time():
    rng = np.random.default_rng(17)
    z1 = rng.gamma(0.7, 50.0, size=(8, 8))
    z2 = rng.gamma(0.7, 50.0, size=(6, 6))
    codes1 = [f"p{k}" for k in range(8)][::-1]  # table order is not alphabetical
    codes2 = [f"q{k}" for k in range(6)]
    flows = pd.concat(
        [_long_flows("t1", z1, codes1), _long_flows("t2", z2, codes2)], ignore_index=True
    )
    results = ct.templates_for_tables(flows.sample(frac=1.0, random_state=3))
    assert list(results) == [("XX", "t1", 2020), ("XX", "t2", 2020)]
    alone = ct.cluster_templates(z1, codes1)
    np.testing.assert_allclose(results[("XX", "t1", 2020)].rotated.to_numpy(), alone.rotated)
    assert results[("XX", "t1", 2020)].correlations.industries == codes1
    members = ct.membership_long(results)
    assert set(members["table_id"]) == {"t1", "t2"}
    assert len(members) == 8 * alone.n_components + 6 * results[("XX", "t2", 2020)].n_components
    variance = ct.variance_long(results)
    assert (variance.groupby("table_id")["component"].max() == pd.Series({"t1": 8, "t2": 6})).all()


def test_results_long_holds_each_result_of_one_run_unchanged():
    """The one table the dbt model writes: selecting a result kind and its
    columns gives back membership_long, variance_long, correlations_long and
    excluded_industries exactly (NaN where they have NaN), with integers and
    flags still integers and flags."""
    rng = np.random.default_rng(23)
    z = rng.gamma(0.7, 50.0, size=(7, 7))
    z[3, :] = 0.0
    z[:, 3] = 0.0  # industry p3 trades with no one: excluded
    codes = [f"p{k}" for k in range(7)]
    results = ct.templates_for_tables(_long_flows("t1", z, codes))
    long = ct.results_long(results)
    assert list(long.columns) == list(ct.RESULT_COLUMNS)
    assert set(long["result"]) == {"membership", "variance", "correlation", "excluded"}
    assert str(long["template"].dtype) == "Int64" and str(long["retained"].dtype) == "boolean"
    for kind, expected in [
        ("membership", ct.membership_long(results)),
        ("variance", ct.variance_long(results)),
        ("correlation", ct.correlations_long(results)),
        ("excluded", ct.excluded_industries(results)),
    ]:
        got = long[long["result"] == kind][list(expected.columns)].reset_index(drop=True)
        assert len(got) == len(expected) > 0, kind
        pd.testing.assert_frame_equal(
            got.astype(object).where(got.notna(), np.nan),
            expected.astype(object).where(expected.notna(), np.nan),
            check_dtype=False,
            obj=kind,
        )
    assert long.loc[long["result"] == "excluded", "industry_code"].tolist() == ["p3"]
    assert ct.results_long({}).empty


def test_industries_in_order_refuses_two_positions_for_one_industry():
    flows = _long_flows("t", np.ones((2, 2)), ["a", "b"])
    flows.loc[flows["from_industry_code"] == "a", "from_position"] = 5
    flows.loc[flows["to_industry_code"] == "a", "to_position"] = 1
    with pytest.raises(ct.TemplateInputError, match="industry 'a' has two positions"):
        ct.industries_in_order(flows)
