"""The annual schedule's date setting and the release sensor."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import dagster as dg
import pytest

from dagster_project import refresh, settings
from dagster_project.definitions import defs


def test_refresh_date_setting() -> None:
    assert refresh.refresh_cron("04-15") == "0 6 15 4 *"
    assert refresh.refresh_cron("12-01") == "0 6 1 12 *"
    for bad in ("15-04", "4/15", "02-30", "april"):
        with pytest.raises(ValueError, match="KLASTER_REFRESH_DATE"):
            refresh.refresh_cron(bad)


def test_schedule_targets_the_refresh_job() -> None:
    schedule = defs().resolve_schedule_def("annual_refresh")
    assert schedule.job_name == "refresh_warehouse"
    assert schedule.cron_schedule == refresh.refresh_cron()


def _evaluate(raw_dir: Path, monkeypatch: pytest.MonkeyPatch, cursor: str | None):
    monkeypatch.setattr(settings, "RAW_DIR", raw_dir)
    sensor = defs().resolve_sensor_def("raw_release_sensor")
    with dg.instance_for_test() as instance:
        context = dg.build_sensor_context(instance=instance, cursor=cursor)
        return sensor.evaluate_tick(context)


def test_sensor_starts_a_refresh_only_when_a_release_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(settings.RAW_DIR / "seeds", raw / "seeds")

    baseline = _evaluate(raw, monkeypatch, None)
    assert baseline.run_requests == []
    cursor = baseline.cursor

    (raw / "seeds" / "manifest.yml").touch()  # same bytes: not a change
    unchanged = _evaluate(raw, monkeypatch, cursor)
    assert unchanged.run_requests == []

    release = raw / "seeds" / "s002_t1_south_kazakhstan_indicators.csv"
    release.write_bytes(release.read_bytes().replace(b"1282,3", b"1082,3"))
    changed = _evaluate(raw, monkeypatch, cursor)
    assert len(changed.run_requests) == 1
    assert "seeds/s002_t1_south_kazakhstan_indicators.csv" in (
        changed.run_requests[0].tags["klaster/changed_files"]
    )
    assert json.loads(changed.cursor)["seeds/s002_t1_south_kazakhstan_indicators.csv"] != (
        json.loads(cursor)["seeds/s002_t1_south_kazakhstan_indicators.csv"]
    )

    (raw / "seeds" / "new_release.csv").write_text("year;region\n")
    added = _evaluate(raw, monkeypatch, changed.cursor)
    assert added.run_requests[0].tags["klaster/changed_files"] == "seeds/new_release.csv"
