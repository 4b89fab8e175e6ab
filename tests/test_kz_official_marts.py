"""The marts of Kazakhstan's official statistics against an independent
computation: pandas on the raw fact tables and ``quality.check_results``.

A small warehouse is built here from a few facts and check instances (one
failing with a suggestion, one failing without, passing ones, a seed table's
and an input-output release's instances that must not leak in), and the
project's own dbt models are built on it. One slow test reads the shared
refreshed warehouse: every failing BNS check instance shows up flagged beside
its value."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from dagster_project import settings
from dagster_project.ingestion.bns.release import ACCOUNTING_COLUMNS, IO_CELL_COLUMNS, OBSERVATION_COLUMNS
from dagster_project.quality.results import replace_check_results

OBSERVATION_RELEASES = (
    "bns_employment_by_activity_region", "bns_employment_by_region", "bns_gdp_by_activity_current_prices",
    "bns_gdp_volume_index_by_activity", "bns_gdp_deflator_by_activity", "bns_grp_by_region",
    "bns_population_by_region", "bns_labour_productivity_by_region_activity",
)
CELL_RELEASES = ("bns_input_output_2023", "bns_supply_use_2023")
MODELS = ("stg_kazakhstan_bns__observations", "stg_quality__check_results", "fct_kz_official_observations",
          "fct_kz_release_cell_accounting")
NOW = datetime(2026, 12, 1)


def _fact(release: str, sheet: str, cell: str, region: str, year: int, value: float | None, **extra) -> dict:
    row = {c: None for c in OBSERVATION_COLUMNS}
    row.update(release_id=release, economy_code="KZ", measure="employment", unit="thousand persons",
               region_code=region, activity_code="TOTAL", year=year, period="year", value=value,
               back_cast=False, _source_file=f"kazakhstan_bns/{release}.xlsx", _source_sheet=sheet,
               _source_row=int(cell[1:]), _source_column=cell[0], _source_cell=cell, _loaded_at=NOW)
    row.update(extra)
    return row


FACTS = [
    _fact("bns_employment_by_region", "Regions_quarter", "F6", "TOTAL", 2001, 6698.8),
    _fact("bns_employment_by_region", "Regions_quarter", "F8", "631000000", 2001, 300.0),
    _fact("bns_employment_by_region", "Regions_quarter", "F9", "751000000", 2001, 400.0),
    _fact("bns_employment_by_region", "Regions_quarter", "F7", "100000000", 2001, None, gap_marker="-"),
    _fact("bns_employment_by_region", "Regions_quarter", "K6", "TOTAL", 2002, 6709.0),
    _fact("bns_gdp_by_activity_current_prices", "2007-2009", "C12", "TOTAL", 2008, 16052918.7,
          measure="gva", back_cast=None),
    _fact("bns_gdp_volume_index_by_activity", "2007-2009", "C12", "TOTAL", 2008, 103.3, measure="gva_volume_index"),
]


def _instance(table: str, check: str, cells: list[str], passed: bool, deviation: float | None = None,
              suggested: tuple[str, float] | None = None) -> dict:
    return {
        "table_id": table, "indicator": "TOTAL", "year": "2001", "value_column": None, "check_name": check,
        "description": f"{check} over {cells}", "expected": 1.0, "observed": 1.0 + (deviation or 0.0),
        "deviation": deviation, "tolerance": 0.05, "passed": passed, "severity": "warn",
        "involved_cells": cells, "suggested_cell": suggested[0] if suggested else None,
        "suggested_value": suggested[1] if suggested else None,
        "reason": None if passed else f"{check}: deviation {deviation}", "checked_at": NOW,
    }


REGION = "bns_employment_by_region"
CHECKS = {
    REGION: [
        # fails twice on F8 (row and column identity): a suggestion for F8 only
        _instance(REGION, "regions_sum_to_republic", ["Regions_quarter!F6", "Regions_quarter!F8",
                                                     "Regions_quarter!F9"], False, -5998.8,
                  ("Regions_quarter!F8", 6298.8)),
        _instance(REGION, "annual_against_quarters", ["Regions_quarter!F8"], False, 12.5,
                  ("Regions_quarter!F8", 6298.8)),
        _instance(REGION, "year_on_year_plausible", ["Regions_quarter!F6", "Regions_quarter!K6"], True, 10.2),
        _instance(REGION, "year_on_year_plausible", ["Regions_quarter!F9"], False, 3.0),
        _instance(REGION, "schema", [], True),
    ],
    "bns_gdp_by_activity_current_prices": [
        _instance("bns_gdp_by_activity_current_prices", "activities_sum_to_total", ["2007-2009!C12"], True, 0.01),
    ],
    # a check of one release that reads another release's figure ('release:sheet!cell')
    "bns_gdp_volume_index_by_activity": [
        _instance("bns_gdp_volume_index_by_activity", "gdp_volume_times_deflator",
                  ["2007-2009!C12", "bns_gdp_by_activity_current_prices:2007-2009!C12",
                   "bns_employment_by_region:Regions_quarter!K6"],
                  False, 0.7, ("bns_employment_by_region:Regions_quarter!K6", 6709.7)),
    ],
    # same cell names in tables that are not observation releases: must not leak in
    "s001_t1": [_instance("s001_t1", "row_sum", ["Regions_quarter!F6"], False, 1.0)],
    "bns_input_output_2023": [_instance("bns_input_output_2023", "supply_equals_use", ["Regions_quarter!F9"],
                                        False, 2.0)],
}
ACCOUNTING = [
    (REGION, "Regions_quarter", "loaded", "published figure", 5),
    (REGION, "Regions_quarter", "ignored", "region label", 30),
    (REGION, "Regions_quarter", "quarantined", "quarantined cell (reasons in quality.rejected_rows)", 2),
    ("bns_gdp_by_activity_current_prices", "2007-2009", "loaded", "published figure", 1),
    ("bns_gdp_by_activity_current_prices", " Cover", "ignored", "sheet not read by this layout", 4),
    ("bns_gdp_volume_index_by_activity", "2007-2009", "loaded", "published figure", 1),
]


def _ddl(columns: dict[str, str]) -> str:
    return ", ".join(f"{name} {kind}" for name, kind in columns.items())


def _write_small_warehouse(path: Path, accounting: list[tuple] = ACCOUNTING) -> None:
    facts = pd.DataFrame(FACTS, columns=list(OBSERVATION_COLUMNS))
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema if not exists raw")
        connection.execute("create schema if not exists quality")
        for release in OBSERVATION_RELEASES:
            connection.execute(f"create or replace table raw.{release} ({_ddl(OBSERVATION_COLUMNS)})")
            rows = facts[facts["release_id"] == release]  # noqa: F841 - read by DuckDB
            connection.execute(f"insert into raw.{release} select * from rows")
        for release in CELL_RELEASES:
            connection.execute(f"create or replace table raw.{release} ({_ddl(IO_CELL_COLUMNS)})")
        for table, rows in CHECKS.items():
            replace_check_results(connection, table, rows)
        connection.execute(f"create or replace table quality.cell_accounting ({_ddl(ACCOUNTING_COLUMNS)})")
        frame = pd.DataFrame(  # noqa: F841 - read by DuckDB
            [(r, f"kazakhstan_bns/{r}.xlsx", s, c, why, n, NOW) for r, s, c, why, n in accounting],
            columns=list(ACCOUNTING_COLUMNS),
        )
        connection.execute("insert into quality.cell_accounting select * from frame")


def _dbt_build(published: Path, root: Path, *select: str) -> subprocess.CompletedProcess:
    dbt = Path(sys.executable).parent / "dbt"
    return subprocess.run(
        [str(dbt), "build", "--select", *select, "--profiles-dir", ".", "--target", "build",
         "--target-path", str(root / "target"), "--log-path", str(root / "logs")],
        cwd=settings.DBT_PROJECT_DIR, capture_output=True, text=True,
        env={**os.environ, settings.WAREHOUSE_ENV_VAR: str(published)},
    )


@pytest.fixture(scope="module")
def small_warehouse(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("kz_marts")
    published = root / "klaster.duckdb"
    build = settings.build_warehouse_path(published)
    _write_small_warehouse(build)
    run = _dbt_build(published, root, *MODELS, "path:tests/official_statistics")
    assert run.returncode == 0, run.stdout[-4000:]
    return build, root


def located_cells(checks: pd.DataFrame, releases) -> pd.DataFrame:
    """Instances of the observation releases exploded to one row per cell, with
    the release and 'sheet!cell' each cell belongs to ('release:sheet!cell' for
    another release's figure)."""
    cells = checks[checks["table_id"].isin(releases)].explode("involved_cells")
    cells = cells.dropna(subset=["involved_cells"]).copy()
    prefixed = cells["involved_cells"].str.contains(":", regex=False)
    parts = cells["involved_cells"].str.partition(":")
    cells["fact_release"] = cells["table_id"].where(~prefixed, parts[0])
    cells["fact_cell"] = cells["involved_cells"].where(~prefixed, parts[2])
    return cells


def expected_observations(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The mart computed independently: facts of the observation releases,
    instances exploded to their cells, joined on release and 'sheet!cell'."""
    facts = pd.concat([connection.sql(f"select * from raw.{r}").df() for r in OBSERVATION_RELEASES])
    checks = located_cells(connection.sql("select * from quality.check_results").df(), OBSERVATION_RELEASES)
    expected = []
    for fact in facts.to_dict("records"):
        cell = f"{fact['_source_sheet']}!{fact['_source_cell']}"
        mine = checks[(checks["fact_release"] == fact["release_id"]) & (checks["fact_cell"] == cell)]
        failed = mine[~mine["passed"]].sort_values(["check_name", "deviation"])
        suggestion = mine.loc[mine["suggested_cell"] == mine["involved_cells"], "suggested_value"]
        expected.append({
            "release_id": fact["release_id"], "_source_sheet": fact["_source_sheet"],
            "_source_cell": fact["_source_cell"], "published_value": fact["value"],
            "checks_run": len(mine), "checks_failed": len(failed),
            "validation_status": "not_checked" if mine.empty else ("failed" if len(failed) else "passed"),
            "failed_checks": sorted(set(failed["check_name"])) or None,
            "failed_deviations": list(failed["deviation"]) or None,
            "suggested_value": suggestion.max() if not suggestion.empty else None,
        })
    return pd.DataFrame(expected)


def _as_list(value):
    return None if value is None or value is pd.NA or (np.isscalar(value) and pd.isna(value)) else list(value)


def test_every_fact_with_its_verdict_equals_pandas(small_warehouse):
    build, _ = small_warehouse
    with duckdb.connect(str(build), read_only=True) as connection:
        actual = connection.sql("select * from marts.fct_kz_official_observations").df()
        expected = expected_observations(connection)
    assert len(actual) == len(expected) == len(FACTS)
    merged = actual.merge(expected, on=["release_id", "_source_sheet", "_source_cell"],
                          suffixes=("", "_expected"), validate="one_to_one")
    for column in ("checks_run", "checks_failed", "validation_status"):
        assert list(merged[column]) == list(merged[f"{column}_expected"]), column
    np.testing.assert_array_equal(merged["published_value"].to_numpy(float),
                                  merged["published_value_expected"].to_numpy(float))
    np.testing.assert_array_equal(merged["suggested_value"].to_numpy(float),
                                  merged["suggested_value_expected"].to_numpy(float))
    for column in ("failed_checks", "failed_deviations"):
        assert [_as_list(v) for v in merged[column]] == [_as_list(v) for v in merged[f"{column}_expected"]]
    # the figures are kept as published: the gap stays a gap beside its marker
    gap = merged[merged["_source_cell"] == "F7"].iloc[0]
    assert pd.isna(gap["published_value"]) and gap["gap_marker"] == "-"
    # and the seeded cases come out as designed (so the comparison above is not vacuous)
    status = dict(zip(merged["release_id"].str[4:8] + merged["_source_cell"], merged["validation_status"]))
    assert status == {"emplF6": "failed", "emplF8": "failed", "emplF9": "failed", "emplF7": "not_checked",
                      "emplK6": "failed", "gdp_C12": "failed"}
    assert (merged.loc[merged["_source_cell"] == "C12", "validation_status"] == "failed").all()
    f8 = merged[merged["_source_cell"] == "F8"].iloc[0]
    assert f8["suggested_value"] == 6298.8 and "annual_against_quarters" in f8["failure_reasons"]
    k6 = merged[merged["_source_cell"] == "K6"].iloc[0]  # flagged in its own release by another's check
    assert list(k6["failed_checks"]) == ["gdp_volume_times_deflator"] and k6["suggested_value"] == 6709.7
    assert k6["checks_run"] == 2


def test_cell_accounting_totals_equal_pandas(small_warehouse):
    build, _ = small_warehouse
    with duckdb.connect(str(build), read_only=True) as connection:
        actual = connection.sql("select * from marts.fct_kz_release_cell_accounting").df()
    source = pd.DataFrame(ACCOUNTING, columns=["release_id", "sheet", "category", "reason", "cells"])
    totals = source.pivot_table(index="release_id", columns="category", values="cells", aggfunc="sum",
                                fill_value=0)
    facts = pd.DataFrame(FACTS).groupby("release_id").size()
    assert len(actual) == len(source)
    for row in actual.itertuples():
        assert row.release_cells_read == totals.loc[row.release_id].sum()
        assert row.release_cells_loaded == totals.loc[row.release_id].get("loaded", 0)
        assert row.release_cells_quarantined == totals.loc[row.release_id].get("quarantined", 0)
        assert row.release_cells_ignored == totals.loc[row.release_id].get("ignored", 0)
        assert row.release_facts_stored == facts[row.release_id]


def test_accounting_that_disagrees_with_the_stored_facts_fails_the_dbt_test(small_warehouse, tmp_path):
    """The dbt test can fail: one loaded cell more than facts stored."""
    published = tmp_path / "klaster.duckdb"
    wrong = [(r, s, c, why, n + 1 if (r, c) == (REGION, "loaded") else n) for r, s, c, why, n in ACCOUNTING]
    _write_small_warehouse(settings.build_warehouse_path(published), wrong)
    run = _dbt_build(published, tmp_path, *MODELS, "assert_kz_loaded_cells_are_stored_facts")
    assert run.returncode != 0
    assert "assert_kz_loaded_cells_are_stored_facts" in run.stdout and "FAIL 1" in run.stdout


def test_every_failed_bns_check_instance_is_flagged_beside_its_value(refreshed):
    published = refreshed["published"]
    with duckdb.connect(str(published), read_only=True) as connection:
        mart = connection.sql("select * from marts.fct_kz_official_observations").df()
        checks = connection.sql("select * from quality.check_results where not passed").df()
        releases = set(connection.sql("select distinct release_id from staging.stg_kazakhstan_bns__observations")
                       .df()["release_id"])
    failing = located_cells(checks, releases)
    assert not failing.empty, "the real releases have failing checks (see the closing note)"
    mart["cell"] = mart["_source_sheet"] + "!" + mart["_source_cell"]
    flagged = mart.set_index(["release_id", "cell"])
    for row in failing.itertuples():
        fact = flagged.loc[(row.fact_release, row.fact_cell)]
        assert fact["validation_status"] == "failed", (row.table_id, row.involved_cells)
        assert row.check_name in list(fact["failed_checks"])
    failed_facts = mart[mart["validation_status"] == "failed"]
    assert set(zip(failed_facts["release_id"], failed_facts["cell"])) == \
        set(zip(failing["fact_release"], failing["fact_cell"]))
