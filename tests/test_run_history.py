"""The refresh's run history: Dagster's SQLite event log with pooled
connections, read by an ordinary Dagster instance (the UI's) as usual."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.instance.ref import InstanceRef

from dagster_project import run_history


@dg.asset(check_specs=[dg.AssetCheckSpec("employment_is_positive", asset="oblast_employment")])
def oblast_employment():
    yield dg.MaterializeResult(metadata={"rows": 17})
    yield dg.AssetCheckResult(check_name="employment_is_positive", passed=False,
                              metadata={"failing_rows": 2})


def _ordinary_instance(home: Path) -> dg.DagsterInstance:
    """What the Dagster UI opens: the home's default storage."""
    return dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(home)))


def test_a_run_stored_through_pooled_connections_reads_back_as_dagster_stores_it(tmp_path: Path) -> None:
    with run_history.instance(tmp_path) as instance:
        assert isinstance(instance.event_log_storage, run_history.PooledSqliteEventLogStorage)
        result = dg.materialize([oblast_employment], instance=instance)
        assert result.success
        written = [e.dagster_event.event_type_value for e in instance.all_logs(result.run_id)
                   if e.dagster_event]
        # WAL without an fsync per commit (synchronous=NORMAL is 1).
        with instance.event_log_storage.run_connection(result.run_id) as connection:
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"

    with _ordinary_instance(tmp_path) as reader:
        assert type(reader.event_log_storage).__name__ == "SqliteEventLogStorage"
        read = [e.dagster_event.event_type_value for e in reader.all_logs(result.run_id) if e.dagster_event]
        assert read == written
        assert "ASSET_MATERIALIZATION" in read and "ASSET_CHECK_EVALUATION" in read
        # The cross-run index (asset pages, check history in the UI) has them too.
        latest = reader.get_latest_materialization_event(dg.AssetKey("oblast_employment"))
        assert latest.asset_materialization.metadata["rows"].value == 17
        check = reader.event_log_storage.get_latest_asset_check_execution_by_key(
            [dg.AssetCheckKey(dg.AssetKey("oblast_employment"), "employment_is_positive")]
        )
        evaluation = next(iter(check.values())).event.dagster_event.event_specific_data
        assert evaluation.passed is False and evaluation.metadata["failing_rows"].value == 2
        assert reader.get_run_by_id(result.run_id).is_success


def test_a_watching_ui_learns_of_new_events_while_the_connection_stays_open(tmp_path: Path) -> None:
    """The UI follows a running run by watching its .db file: the pooled storage
    checkpoints it at most once a second, so new events reach a watcher while the
    writer's connection is still open."""
    run_id = "a1b2c3d4-0000-4000-8000-000000000001"
    seen: list[str] = []
    arrived = threading.Event()

    def on_event(entry, cursor):
        seen.append(entry.user_message)
        if entry.user_message == "second":
            arrived.set()

    with run_history.instance(tmp_path) as writer, _ordinary_instance(tmp_path) as ui:
        storage = writer.event_log_storage

        def store(message: str) -> None:
            storage.store_event(dg.EventLogEntry(
                error_info=None, level="INFO", user_message=message, run_id=run_id,
                timestamp=time.time(),
            ))

        store("first")
        ui.event_log_storage.watch(run_id, None, on_event)
        time.sleep(run_history.CHECKPOINT_EVERY_S + 0.1)
        store("second")
        assert arrived.wait(timeout=10), f"the watcher saw only {seen}"
        ui.event_log_storage.end_watch(run_id, on_event)
        assert storage._engines, "the writer's connection is still open"


def test_a_dagster_yaml_that_chooses_its_storage_keeps_it(tmp_path: Path) -> None:
    (tmp_path / "dagster.yaml").write_text(
        f"storage:\n  sqlite:\n    base_dir: {tmp_path / 'elsewhere'}\n", encoding="utf-8"
    )
    with run_history.instance(tmp_path) as instance:
        assert not isinstance(instance.event_log_storage, run_history.PooledSqliteEventLogStorage)


@pytest.mark.parametrize("yaml_text", ["", "telemetry:\n  enabled: false\n"])
def test_a_dagster_yaml_without_storage_settings_gets_the_pooled_event_log(tmp_path: Path, yaml_text) -> None:
    (tmp_path / "dagster.yaml").write_text(yaml_text, encoding="utf-8")
    with run_history.instance(tmp_path) as instance:
        assert isinstance(instance.event_log_storage, run_history.PooledSqliteEventLogStorage)
        assert instance.root_directory == str(tmp_path)
