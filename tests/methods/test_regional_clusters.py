"""Regional cluster scores and European-Cluster-Observatory-style stars on
a hand-worked panel.

Four regions, two clusters (national totals are the sums of the regions):

| region | total | c1  | c2  | c1 share | c1 LQ | c2 share | c2 LQ |
|--------|-------|-----|-----|----------|-------|----------|-------|
| R1     | 1000  | 300 | 100 | 0.30     | 2.4   | 0.10     | 1.0   |
| R2     | 500   | 50  | 200 | 0.10     | 0.8   | 0.40     | 4.0   |
| R3     | 2000  | 100 | 100 | 0.05     | 0.4   | 0.05     | 0.5   |
| R4     | 500   | 50  | 0   | 0.10     | 0.8   | 0.00     | 0.0   |
| nation | 4000  | 500 | 400 | 0.125    |       | 0.10     |       |
"""

from __future__ import annotations

import pandas as pd
import pytest

from dagster_project.methods import regional_clusters as rc


@pytest.fixture
def panel() -> pd.DataFrame:
    totals = {"R1": 1000, "R2": 500, "R3": 2000, "R4": 500}
    employment = {
        ("R1", "c1"): 300,
        ("R2", "c1"): 50,
        ("R3", "c1"): 100,
        ("R4", "c1"): 50,
        ("R1", "c2"): 100,
        ("R2", "c2"): 200,
        ("R3", "c2"): 100,
        ("R4", "c2"): 0,
    }
    national = {"c1": 500, "c2": 400}
    return pd.DataFrame(
        [
            {
                "region_code": region,
                "cluster_id": cluster,
                "cluster_employment": value,
                "region_employment": totals[region],
                "national_cluster_employment": national[cluster],
                "national_employment": 4000,
            }
            for (region, cluster), value in employment.items()
        ]
    )


def _by_key(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index(["region_code", "cluster_id"])


def test_share_and_cluster_lq(panel):
    out = _by_key(rc.score_regional_clusters(panel))
    assert out.loc[("R1", "c1"), "share_of_region"] == pytest.approx(0.30)
    assert out.loc[("R1", "c1"), "cluster_lq"] == pytest.approx(2.4)
    assert out.loc[("R2", "c2"), "cluster_lq"] == pytest.approx(4.0)
    assert out.loc[("R3", "c2"), "cluster_lq"] == pytest.approx(0.5)
    assert out.loc[("R4", "c2"), "cluster_lq"] == pytest.approx(0.0)


def test_stars_with_observatory_thresholds(panel):
    """top 10 % of 4 regions = ceil(0.4) = 1 region per cluster (size);
    top 10 % of 8 region-cluster pairs = 1 pair (focus)."""
    out = _by_key(rc.score_regional_clusters(panel, top_share=0.10, star_lq=2.0))
    size = out["size_star"]
    assert set(size[size].index) == {("R1", "c1"), ("R2", "c2")}
    special = out["specialisation_star"]
    assert set(special[special].index) == {("R1", "c1"), ("R2", "c2")}  # LQ 2.4 and 4.0
    focus = out["focus_star"]
    assert set(focus[focus].index) == {("R2", "c2")}  # share 0.40, the largest of the 8
    assert out.loc[("R2", "c2"), "stars"] == 3
    assert out.loc[("R1", "c1"), "stars"] == 2
    assert out.loc[("R3", "c1"), "stars"] == 0


def test_ties_at_the_boundary_share_the_star(panel):
    """top 50 % of 4 regions = 2: c2 has 200 then a tie 100/100 (R1, R3)."""
    out = _by_key(rc.score_regional_clusters(panel, top_share=0.5))
    size = out["size_star"]
    assert set(size[size & (out.index.get_level_values(1) == "c2")].index) == {
        ("R1", "c2"),
        ("R2", "c2"),
        ("R3", "c2"),
    }


def test_no_employment_never_earns_a_star(panel):
    out = _by_key(rc.score_regional_clusters(panel, top_share=1.0, star_lq=0.0))
    assert not out.loc[("R4", "c2"), "size_star"]
    assert not out.loc[("R4", "c2"), "focus_star"]
    assert out.loc[("R3", "c2"), "size_star"]


def test_rankings_stay_within_a_panel(panel):
    """Two panels (years) with the same regions: each ranks on its own."""
    other = panel.assign(cluster_employment=panel["cluster_employment"][::-1].to_numpy())
    both = pd.concat([panel.assign(year=2014), other.assign(year=2015)], ignore_index=True)
    scored = rc.score_regional_clusters(both, top_share=0.10, panel_keys=["year"])
    alone = rc.score_regional_clusters(panel, top_share=0.10)
    first = scored[scored["year"] == 2014].reset_index(drop=True)
    for column in ("size_star", "focus_star", "stars"):
        assert first[column].tolist() == alone[column].tolist()


def test_top_share_flags_count():
    values = pd.Series([5.0, 4.0, 3.0, 2.0, 1.0, None, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05])
    # 11 values present: ceil(0.1 * 11) = 2 largest
    assert rc.top_share_flags(values, 0.10).sum() == 2
    with pytest.raises(rc.ClusterScoreError, match="top share"):
        rc.top_share_flags(values, 0.0)


def test_negative_employment_is_refused(panel):
    bad = panel.copy()
    bad.loc[2, "cluster_employment"] = -1
    with pytest.raises(rc.ClusterScoreError, match="negative cluster_employment -1.* 'R3'"):
        rc.score_regional_clusters(bad)


def test_ties_in_the_last_bit_are_ties() -> None:
    """Shares that differ only by the order of parallel additions rank alike."""
    shares = pd.Series([1.0, 0.9999999999999998, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.02, 0.01])
    assert rc.top_share_flags(shares, 0.10).tolist()[:2] == [True, True]
    swapped = pd.Series([0.9999999999999998, 1.0, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.02, 0.01])
    assert rc.top_share_flags(swapped, 0.10).tolist()[:2] == [True, True]
