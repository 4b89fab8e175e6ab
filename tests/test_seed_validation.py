"""The validation suites fail on the real errors of the published tables and
pass on a copy corrected by hand; GX's verdict and the numbers behind it agree
with an independent computation."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dagster_project import settings
from dagster_project.ingestion.manifest import ManifestEntry, load_manifest
from dagster_project.ingestion.text_table import read_text_table
from dagster_project.quality.seed_table_suites import SUITES, suite_for

FIXTURES = Path(__file__).parent / "fixtures" / "seeds"


def _entries() -> dict[str, ManifestEntry]:
    return {e.raw_table: e for e in load_manifest(settings.RAW_DIR / "seeds")}


def _outcome(entry: ManifestEntry) -> pd.DataFrame:
    suite = suite_for(entry.raw_table)
    return pd.DataFrame(suite.validate(read_text_table(entry), entry).rows)


@pytest.fixture(scope="module")
def published_s002() -> pd.DataFrame:
    return _outcome(_entries()["seed_s002_t1"])


@pytest.fixture(scope="module")
def corrected_s002() -> pd.DataFrame:
    entry = _entries()["seed_s002_t1"]
    path = FIXTURES / "s002_t1_south_kazakhstan_indicators_corrected.csv"
    corrected = dataclasses.replace(
        entry, path=path, sha256=hashlib.sha256(path.read_bytes()).hexdigest()
    )
    return _outcome(corrected)


def _failed(outcome: pd.DataFrame) -> set[tuple[str, str, str]]:
    rows = outcome[~outcome["passed"]]
    return set(zip(rows["check_name"], rows["indicator"], rows["value_column"]))


def test_published_s002_fails_on_its_real_errors(published_s002: pd.DataFrame) -> None:
    assert _failed(published_s002) == {
        ("external_trade_identity", "external_trade_turnover", "y2005"),
        ("external_trade_identity", "external_trade_turnover", "y2006"),
        ("index_matches_levels", "exports", "pct_2007_of_2006"),
        ("year_on_year_plausibility", "agricultural_output", "y2006"),
        ("year_on_year_plausibility", "retail_trade_turnover", "y2006"),
    }


def test_failures_report_observed_expected_and_deviation(published_s002: pd.DataFrame) -> None:
    trade = published_s002.set_index(["check_name", "value_column"]).loc[
        ("external_trade_identity", "y2006")
    ]
    # 1756.6 printed; 1282.3 + 674.3 = 1956.6 from the same table.
    assert trade["observed"] == pytest.approx(1756.6)
    assert trade["expected"] == pytest.approx(1282.3 + 674.3)
    assert trade["deviation"] == pytest.approx(1756.6 - 1956.6)
    jump = published_s002.set_index(["check_name", "indicator"]).loc[
        ("year_on_year_plausibility", "agricultural_output")
    ]
    jump = jump[jump["value_column"] == "y2006"].iloc[0]
    assert jump["observed"] == pytest.approx(110221.4 / 10767.9)


def test_exports_2006_correction_is_suggested_and_2005_is_not(published_s002: pd.DataFrame) -> None:
    failed = published_s002[~published_s002["passed"]].set_index(["check_name", "value_column"])
    suggested = failed.loc[("external_trade_identity", "y2006")]
    assert suggested["suggested_cell"] == "exports:y2006"
    # The only single change that satisfies both the identity and the printed 131.7 %.
    assert suggested["suggested_value"] == pytest.approx(1756.6 - 674.3)
    assert failed.loc[("index_matches_levels", "pct_2007_of_2006")]["suggested_value"] == (
        pytest.approx(1082.3)
    )
    ambiguous = failed.loc[("external_trade_identity", "y2005")]
    assert pd.isna(ambiguous["suggested_value"])
    assert "No unique correction" in ambiguous["reason"]


def test_volume_indices_are_not_false_alarms(published_s002: pd.DataFrame) -> None:
    volume = published_s002[published_s002["check_name"] == "volume_index_implied_prices"]
    assert set(volume["indicator"]) == {"industrial_output", "agricultural_output"}
    assert volume["passed"].all()
    # Industry: levels grew 20.0 %, the volume index says 5.5 %: prices rose ~13.7 %.
    industry = volume.set_index("indicator").loc["industrial_output"]
    assert industry["observed"] == pytest.approx(100 * (169271.4 / 141056.7) / 1.055)
    ratio = published_s002[published_s002["check_name"] == "index_matches_levels"]
    assert "industrial_output" not in set(ratio["indicator"])


def test_hand_corrected_copy_passes_every_check(corrected_s002: pd.DataFrame) -> None:
    assert corrected_s002["passed"].all(), corrected_s002.loc[~corrected_s002["passed"], "reason"]


def test_gx_verdict_matches_the_tolerance_rule(published_s002: pd.DataFrame) -> None:
    instances = published_s002[published_s002["check_name"] != "schema_and_types"]
    evaluable = instances.dropna(subset=["deviation"])
    rule = (evaluable["deviation"].abs() <= evaluable["tolerance"]).tolist()
    assert evaluable["passed"].tolist() == rule


def test_s001_factor_correlation_is_recomputed_from_the_table() -> None:
    entry = _entries()["seed_s001_t1"]
    frame = read_text_table(entry)
    f1 = frame["f1_firm_competitiveness"].str.replace(",", ".").astype(float)
    f2 = frame["f2_innovation_index"].str.replace(",", ".").astype(float)
    outcome = _outcome(entry).set_index("check_name").loc["factor_correlation"]
    assert outcome["observed"] == pytest.approx(np.corrcoef(f1, f2)[0, 1])
    assert outcome["expected"] == 0.89
    assert bool(outcome["passed"])  # 0.892 rounds to the published 0.89


def test_s001_correlation_check_fails_when_a_factor_is_misprinted(tmp_path: Path) -> None:
    entry = _entries()["seed_s001_t1"]
    data = entry.path.read_bytes().replace(b"23,72", b"63,72")
    path = tmp_path / entry.file
    path.write_bytes(data)
    misprinted = dataclasses.replace(entry, path=path, sha256=hashlib.sha256(data).hexdigest())
    outcome = _outcome(misprinted).set_index("check_name").loc["factor_correlation"]
    assert not bool(outcome["passed"])


def test_s003_loadings_and_multipliers_respect_the_method() -> None:
    entries = _entries()
    loadings = _outcome(entries["seed_s003_t2"])
    communality = loadings[loadings["check_name"] == "communality_at_most_one"]
    assert len(communality) == 20 and communality["passed"].all()
    multipliers = _outcome(entries["seed_s003_t3"])
    assert multipliers["passed"].all()


def test_every_suite_belongs_to_a_manifest_entry() -> None:
    assert set(SUITES) <= set(_entries())
