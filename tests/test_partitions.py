"""Yearly partitions: the yearly facts of a run cover exactly its years, so one
year can be refreshed or backfilled without touching the others."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from dagster_project import settings
from dagster_project.defs.transform.assets import klaster_yearly_dbt_models
from dagster_project.defs.transform.dbt_resource import dbt_resource
from dagster_project.partitions import RANGE_END_TAG, RANGE_START_TAG, year_range_tags


def test_year_range_tags() -> None:
    assert year_range_tags(2008, 2014) == {RANGE_START_TAG: "2008", RANGE_END_TAG: "2014"}
    every = year_range_tags()
    assert every[RANGE_START_TAG] == "1995"
    with pytest.raises(ValueError, match="outside the partitions"):
        year_range_tags(1980, 1990)
    with pytest.raises(ValueError, match="after last year"):
        year_range_tags(2014, 2008)


def test_yearly_facts_are_partitioned_and_single_run_backfilled() -> None:
    assert klaster_yearly_dbt_models.partitions_def is not None
    assert klaster_yearly_dbt_models.backfill_policy == dg.BackfillPolicy.single_run()
    keys = {k.to_user_string() for k in klaster_yearly_dbt_models.keys}
    assert {"marts/fct_indicator_values", "marts/fct_location_quotients"} <= keys


def _years(database: Path, table: str = "marts.fct_indicator_values") -> list[int]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return [y for (y,) in connection.execute(
            f"select distinct year from {table} order by year"
        ).fetchall()]


def _lq_rows(database: Path, year: int) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(
            "select economy_code, classification, region_code, industry_code, measure, value, lq"
            " from marts.fct_location_quotients where year = ? order by all", [year]
        ).fetchall()


@pytest.fixture
def build_copy(refreshed: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the refreshed build warehouse that the yearly assets write to."""
    assert refreshed["result"].returncode == 0
    published = tmp_path / "klaster.duckdb"
    build = settings.build_warehouse_path(published)
    shutil.copyfile(settings.build_warehouse_path(refreshed["published"]), build)
    monkeypatch.setenv(settings.WAREHOUSE_ENV_VAR, str(published))
    return build


def _delete_years(build: Path, indicator_years: str, lq_years: str) -> None:
    with duckdb.connect(str(build)) as connection:
        connection.execute(f"delete from marts.fct_indicator_values where year in ({indicator_years})")
        connection.execute(f"delete from marts.fct_location_quotients where year in ({lq_years})")


def _materialize_yearly(**partitions) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [klaster_yearly_dbt_models],
        resources={"dbt": dbt_resource},
        instance=dg.DagsterInstance.ephemeral(),
        **partitions,
    )


def test_refreshing_one_year_replaces_only_that_year(build_copy: Path) -> None:
    assert {2005, 2006, 2007} <= set(_years(build_copy))
    lq_2010 = _lq_rows(build_copy, 2010)  # German Länder x A10 2008-2014, Kazakhstan's oblasts 2010-2024
    assert lq_2010 and {2009, 2011} <= set(_years(build_copy, "marts.fct_location_quotients"))
    _delete_years(build_copy, indicator_years="2005, 2006", lq_years="2009, 2010")

    assert _materialize_yearly(partition_key="2010").success

    years = _years(build_copy)
    assert 2006 not in years and 2005 not in years  # other years left exactly as they were
    assert 2007 in years
    lq_years = set(_years(build_copy, "marts.fct_location_quotients"))
    assert 2010 in lq_years  # the partition refreshed, to the same figures
    # Same rows; quotients to the last bits (DuckDB sums in parallel).
    rebuilt = _lq_rows(build_copy, 2010)
    assert [row[:-1] for row in rebuilt] == [row[:-1] for row in lq_2010]
    # A gap (Kazakhstan's '-' cells) has no quotient: NULL in both, compared as NaN.
    quotients = [[float("nan") if row[-1] is None else row[-1] for row in rows] for rows in (rebuilt, lq_2010)]
    assert quotients[0] == pytest.approx(quotients[1], rel=1e-12, nan_ok=True)
    assert 2009 not in lq_years and 2011 in lq_years


def test_a_range_of_years_is_one_run(build_copy: Path) -> None:
    """A backfill of several years (the UI's range launch, `klaster refresh --years`)
    rebuilds all of them in one dbt invocation."""
    _delete_years(build_copy, indicator_years="2005, 2006", lq_years="2009, 2010, 2012")

    assert _materialize_yearly(tags=year_range_tags(2005, 2010)).success

    assert {2005, 2006} <= set(_years(build_copy))
    lq_years = set(_years(build_copy, "marts.fct_location_quotients"))
    assert {2009, 2010} <= lq_years and 2012 not in lq_years
