"""The annual refresh: its job, its schedule and the sensor that starts it
when a new or changed release file appears in ``data/raw``."""

import json

import dagster as dg

from dagster_project import settings
from dagster_project.partitions import year_range_tags
from dagster_project.refresh import changed_files, fingerprint_digest, raw_fingerprint, refresh_cron

refresh_warehouse = dg.define_asset_job(
    "refresh_warehouse",
    selection=dg.AssetSelection.all(),
    description="Annual refresh: load every raw file, validate the published tables, build all "
    "dbt models and tests, then publish the warehouse atomically.",
    # DuckDB takes one writer per file: steps run one after another.
    executor_def=dg.in_process_executor,
)

@dg.schedule(
    name="annual_refresh",
    job=refresh_warehouse,
    cron_schedule=refresh_cron(),
    execution_timezone="Asia/Almaty",
    description="Refresh once a year after the regional accounts appear (date: "
    "KLASTER_REFRESH_DATE, MM-DD): every year of the yearly facts in one run (a revised "
    "release can change past years).",
)
def annual_refresh(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    return dg.RunRequest(tags=year_range_tags())


@dg.sensor(
    job=refresh_warehouse,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Starts a refresh when a release file in data/raw is added, changed or removed "
    "(compared by checksum). The first evaluation records the current files as the baseline.",
)
def raw_release_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
    current = raw_fingerprint(settings.RAW_DIR)
    if context.cursor is None:
        return dg.SensorResult(skip_reason="baseline recorded", cursor=json.dumps(current))
    changed = changed_files(json.loads(context.cursor), current)
    if not changed:
        return dg.SkipReason("no release file changed")
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(
                run_key=fingerprint_digest(current),
                tags={**year_range_tags(), "klaster/changed_files": ", ".join(changed)[:1000]},
            )
        ],
        cursor=json.dumps(current),
    )


defs = dg.Definitions(jobs=[refresh_warehouse], schedules=[annual_refresh], sensors=[raw_release_sensor])
