"""Years are the grain of statistical releases: the yearly facts are
partitioned by calendar year, so one year can be refreshed or backfilled alone."""

from __future__ import annotations

import dagster as dg

# The earliest year any shipped table covers (seed 004: 1995).
FIRST_YEAR = 1995

yearly_partitions = dg.TimeWindowPartitionsDefinition(
    start=str(FIRST_YEAR), cron_schedule="0 0 1 1 *", fmt="%Y"
)

RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


def year_range_tags(first: int | None = None, last: int | None = None) -> dict[str, str]:
    """Run tags of a single run over years ``first..last`` (default: all)."""
    keys = yearly_partitions.get_partition_keys()
    first_key, last_key = str(first or keys[0]), str(last or keys[-1])
    for key in (first_key, last_key):
        if key not in keys:
            raise ValueError(f"year {key} is outside the partitions {keys[0]}..{keys[-1]}")
    if first_key > last_key:
        raise ValueError(f"first year {first_key} is after last year {last_key}")
    return {RANGE_START_TAG: first_key, RANGE_END_TAG: last_key}


# The years of a partitioned run reach dbt as environment variables, not as
# `--vars`: dbt keys its partial-parse cache on the vars, so `--vars` would make
# every yearly step re-parse the whole project; a changed environment variable
# re-parses only the files that read it (the partition_years_filter macro's).
PARTITION_START_ENV_VAR = "KLASTER_PARTITION_START_YEAR"
PARTITION_END_ENV_VAR = "KLASTER_PARTITION_END_YEAR"


def dbt_year_env(window: dg.TimeWindow) -> dict[str, str]:
    """The years of a partitioned run's time window (end exclusive) as the
    environment the yearly dbt models read."""
    return {
        PARTITION_START_ENV_VAR: str(window.start.year),
        PARTITION_END_ENV_VAR: str(window.end.year - 1),
    }
