"""Hill-Brennan driver industries: Ward's clustering against scikit-learn's
independent AgglomerativeClustering, the class rule on hand-worked groups,
and the properties of the discriminant step."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import AgglomerativeClustering
from sklearn.metrics import adjusted_rand_score

from dagster_project.methods import driver_industries as di


@pytest.fixture(scope="module")
def region() -> pd.DataFrame:
    """21 industries (as in seed 003's East Kazakhstan) in three kinds:
    specialised and outgrowing the nation, average, and local-market ones."""
    rng = np.random.default_rng(2005)
    kinds = [(2.6, 0.08, 0.05), (1.05, 0.05, 0.0), (0.45, 0.02, -0.05)]
    rows = []
    for kind, (lq, share, shift) in enumerate(kinds):
        for _ in range(7):
            rows.append(
                {
                    "lq": lq * rng.uniform(0.85, 1.15),
                    "employment_share": share * rng.uniform(0.7, 1.3),
                    "growth_rate": shift + rng.normal(0.0, 0.01),
                    "competitive_shift": shift * 1000 + rng.normal(0.0, 5.0),
                }
            )
    return pd.DataFrame(rows, index=[f"i{k:02d}" for k in range(21)])


def test_standardise_gives_population_z_scores(region):
    z = di.standardise(region)
    np.testing.assert_allclose(z.mean(), 0.0, atol=1e-12)
    np.testing.assert_allclose(z.std(ddof=0), 1.0)
    expected = (region["lq"] - region["lq"].mean()) / region["lq"].std(ddof=0)
    np.testing.assert_allclose(z["lq"], expected)


@pytest.mark.parametrize("k", [2, 3, 5, 7])
def test_ward_groups_match_sklearn_agglomerative_clustering(region, k):
    z = di.standardise(region)
    mine = di.ward_groups(z, k)
    reference = AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(z.to_numpy())
    assert mine.nunique() == k
    assert adjusted_rand_score(reference, mine.to_numpy()) == pytest.approx(1.0)


def test_ward_groups_are_numbered_from_the_strongest(region):
    z = di.standardise(region)
    groups = di.ward_groups(z, 7)
    strength = z.mean(axis=1).groupby(groups).mean()
    assert list(strength.index) == sorted(strength.index)
    assert strength.is_monotonic_decreasing


def test_ward_groups_never_exceed_the_industries():
    z = di.standardise(pd.DataFrame({"lq": [0.5, 1.0, 2.0]}, index=list("abc")))
    assert di.ward_groups(z, 7).nunique() == 3


def test_class_rule_on_hand_worked_groups():
    """Groups 1: LQ mean 2.0, above-average growth -> competitive;
    2: LQ mean 1.5 but shrinking -> middle; 3: LQ mean 1.1 -> middle;
    4: LQ mean 0.6 -> non_basic (whatever its growth)."""
    block = pd.DataFrame(
        {
            "lq": [2.2, 1.8, 1.5, 1.5, 1.1, 1.1, 0.5, 0.7],
            "growth_rate": [0.10, 0.08, -0.10, -0.08, 0.0, 0.02, 0.09, 0.07],
        },
        index=list("abcdefgh"),
    )
    groups = pd.Series([1, 1, 2, 2, 3, 3, 4, 4], index=block.index)
    z = di.standardise(block)
    summary = di.classify_groups(block, z, groups)
    assert summary["group_mean_lq"].tolist() == pytest.approx([2.0, 1.5, 1.1, 0.6])
    # mean growth 0.0225, population sd 0.0679...: group 2's z is negative
    assert summary.loc[2, "group_other_z"] < 0 < summary.loc[1, "group_other_z"]
    assert summary["group_class"].tolist() == ["competitive", "middle", "middle", "non_basic"]


def test_three_kinds_of_industries_are_recovered(region):
    result = di.driver_industries(region, n_groups=7)
    out = result.industries
    assert result.lda_fitted
    truth = np.repeat(["competitive", "middle", "non_basic"], 7)
    assert (out["driver_class"].to_numpy() == truth).all()
    assert out["is_driver_candidate"].sum() == 7
    posteriors = out[[f"posterior_{c}" for c in di.CLASSES]]
    np.testing.assert_allclose(posteriors.sum(axis=1), 1.0)
    # each industry's class is the one of its highest posterior
    best = posteriors.idxmax(axis=1).str.removeprefix("posterior_")
    assert (best == out["lda_class"]).all()
    assert out["ward_groups_used"].eq(7).all()


def test_lda_reassigns_an_industry_closer_to_another_class():
    """LDA is fitted on the rule's classes; an industry labelled against the
    evidence of its indicators is moved to the class it resembles."""
    rng = np.random.default_rng(5)
    centres = {"competitive": (2.0, 2.0), "middle": (0.0, 0.0), "non_basic": (-2.0, -2.0)}
    points, labels = [], []
    for klass, centre in centres.items():
        points.append(np.asarray(centre) + rng.normal(0, 0.3, size=(6, 2)))
        labels += [klass] * 6
    z = pd.DataFrame(np.vstack(points), columns=["lq", "growth_rate"])
    initial = pd.Series(labels)
    initial.iloc[0] = "non_basic"  # a competitive-looking industry mislabelled
    result = di.discriminant_classes(z, initial)
    assert result.fitted
    assert result.classes.iloc[0] == "competitive"
    assert (result.classes.iloc[1:] == pd.Series(labels).iloc[1:]).all()


def test_lda_is_not_fitted_on_one_class():
    z = pd.DataFrame({"lq": [0.1, 0.2, 0.3]})
    result = di.discriminant_classes(z, pd.Series(["middle"] * 3))
    assert not result.fitted and result.reason == "only one class present"
    assert (result.classes == "middle").all()


def test_unavailable_indicators_and_industries_with_gaps_are_dropped():
    indicators = pd.DataFrame(
        {
            "lq": [2.0, 1.0, 0.5, 1.5],
            "productivity": [np.nan] * 4,
            "growth_rate": [0.1, np.nan, 0.0, 0.05],
        },
        index=list("abcd"),
    )
    result = di.driver_industries(indicators, n_groups=2)
    assert result.indicators_used == ["lq", "growth_rate"]
    assert result.dropped["productivity"] == "indicator not available for this region"
    assert "growth_rate" in result.dropped["b"]
    assert list(result.industries.index) == ["a", "c", "d"]


def test_missing_lq_column_is_refused():
    with pytest.raises(di.DriverInputError, match="location quotient column 'lq'"):
        di.driver_industries(pd.DataFrame({"share": [0.1, 0.2]}))
