"""Yearly partitions: the yearly facts of a run cover exactly its years, so one
year can be refreshed or backfilled without touching the others."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from dagster_project import settings
from dagster_project.defs.transform.assets import dbt_resource, klaster_yearly_dbt_models
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
    assert "marts/fct_indicator_values" in keys


def _years(database: Path) -> list[int]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return [y for (y,) in connection.execute(
            "select distinct year from marts.fct_indicator_values order by year"
        ).fetchall()]


def test_refreshing_one_year_replaces_only_that_year(
    refreshed: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert refreshed["result"].returncode == 0
    published = tmp_path / "klaster.duckdb"
    build = settings.build_warehouse_path(published)
    shutil.copyfile(settings.build_warehouse_path(refreshed["published"]), build)
    assert {2005, 2006, 2007} <= set(_years(build))
    with duckdb.connect(str(build)) as connection:
        connection.execute("delete from marts.fct_indicator_values where year in (2005, 2006)")
    monkeypatch.setenv(settings.WAREHOUSE_ENV_VAR, str(published))

    result = dg.materialize(
        [klaster_yearly_dbt_models],
        partition_key="2006",
        resources={"dbt": dbt_resource},
        instance=dg.DagsterInstance.ephemeral(),
    )

    assert result.success
    years = _years(build)
    assert 2006 in years  # the partition refreshed
    assert 2005 not in years  # another year left exactly as it was
    assert 2007 in years
