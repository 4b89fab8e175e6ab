"""``klaster``: the commands the README promises.

    klaster refresh [--years 2008:2014]
                       run the refresh job (every asset and check; the yearly facts for
                       the given years, default all), then report
    klaster report     say where the warehouse is and which published figures failed
    klaster rollback   make the previous published version current again
    klaster sql        open the published warehouse read-only in the DuckDB shell
    klaster add-release FILE [FILE ...] [--no-write]
                       inspect a new BNS release, find its layout, write its manifest
                       entry (copying the file into data/raw/kazakhstan_bns/) and dry-run
                       it: facts, quarantined cells, failing checks; the published
                       warehouse is not touched. --no-write (--dry-run-only) only inspects.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path

import duckdb

from dagster_project import publish, run_history, settings
from dagster_project.partitions import RANGE_END_TAG, RANGE_START_TAG, year_range_tags

FAILED_CHECKS_SQL = """
select table_id, check_name, indicator, value_column, observed, expected, deviation,
       suggested_cell, suggested_value
from quality.check_results
where not passed
order by table_id, check_name, indicator, value_column
"""


def _fmt(value) -> str:
    if value is None:
        return ""
    return f"{value:.6g}" if isinstance(value, float) else str(value)


def report() -> int:
    """Print the published warehouse's path and its failed validations."""
    published = settings.published_warehouse_path()
    if not published.exists():
        print(f"No published warehouse at {published}: run `make run` first.")
        return 1
    with duckdb.connect(str(published), read_only=True) as connection:
        failed = connection.execute(FAILED_CHECKS_SQL).fetchall()
        totals = connection.execute(
            "select count(*), count(*) filter (where not passed) from quality.check_results"
        ).fetchone()
    print(f"\nWarehouse: {published}")
    print(f"Validation of the published seed tables and BNS releases: {totals[0]} check instances, "
          f"{totals[1]} failed (kept as published, flagged in quality.check_results):")
    header = ("table", "check", "indicator", "column", "published", "expected", "deviation",
              "suggested")
    rows = [
        (t, c, i or "", col or "", _fmt(o), _fmt(e), _fmt(d),
         f"{sc} = {_fmt(sv)}" if sc else "")
        for t, c, i, col, o, e, d, sc, sv in failed
    ]
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows)]
    for line in (header, *rows):
        print("  " + "  ".join(str(x).ljust(w) for x, w in zip(line, widths)))
    return 0


def _years(text: str | None) -> tuple[int | None, int | None]:
    """``2008:2014`` or ``2015`` -> (first, last); None -> every year."""
    if not text:
        return None, None
    first, _, last = text.partition(":")
    return int(first), int(last or first)


def refresh(years: str | None = None) -> int:
    from dagster_project.definitions import defs

    started = time.monotonic()
    job = defs().resolve_job_def("refresh_warehouse")
    tags = year_range_tags(*_years(years))
    print(f"Refreshing years {tags[RANGE_START_TAG]}-{tags[RANGE_END_TAG]} of the yearly facts "
          "and everything else once.")
    # Run history lives where `make ui` looks for it, also when the command is
    # typed without the Makefile (which exports the same default).
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(settings.PROJECT_ROOT / ".dagster_home")))
    home.mkdir(parents=True, exist_ok=True)
    with run_history.instance(home) as instance:
        result = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            tags=tags,
            # Progress at INFO: one line per step and check, not every internal event.
            run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
        )
    elapsed = time.monotonic() - started
    failed_steps = [e.step_key for e in result.all_events if e.is_step_failure]
    check_failures = [
        e.event_specific_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION" and not e.event_specific_data.passed
    ]
    print(f"\nRefresh {'succeeded' if result.success else 'FAILED'} in {elapsed:.0f} s "
          f"(run {result.run_id}).")
    if failed_steps:
        print(f"Failed steps (the published warehouse was left unchanged): {failed_steps}")
    print(f"Asset checks that failed: {len(check_failures)}")
    for evaluation in check_failures:
        print(f"  {evaluation.asset_key.to_user_string()} :: {evaluation.check_name} "
              f"[{evaluation.severity.value}]")
    status = report()
    return 0 if result.success and status == 0 else 1


def rollback() -> int:
    restored = publish.rollback(settings.published_warehouse_path())
    print(f"Published warehouse restored from {restored}")
    return 0


def sql() -> int:
    """Replace this process by the DuckDB shell (same release as the library),
    read-only, so a running refresh is never disturbed."""
    published = settings.published_warehouse_path()
    if not published.exists():
        print(f"No published warehouse at {published}: run `make run` first.")
        return 1
    shell = Path(sys.executable).parent / "duckdb"
    os.execv(shell, [str(shell), "-readonly", str(published)])
    return 0  # not reached: execv replaces the process


def add_release(files: list[str], write: bool, raw_table: str | None) -> int:
    # Imported here: the readers and Great Expectations are not needed by the other commands.
    from dagster_project.ingestion.bns.add_release import add_release as run

    if not files:
        print("add-release: name at least one FILE")
        return 2
    if raw_table and len(files) > 1:
        print("add-release: --raw-table names one release; give one FILE")
        return 2
    return run([Path(f) for f in files], write=write, raw_table=raw_table)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="klaster", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = {"refresh": refresh, "report": report, "rollback": rollback, "sql": sql,
                "add-release": add_release}
    parser.add_argument("command", choices=list(commands))
    parser.add_argument("files", nargs="*", metavar="FILE", help="add-release: the release file(s)")
    parser.add_argument("--years", help="refresh: FIRST:LAST or YEAR of the yearly facts")
    parser.add_argument("--no-write", "--dry-run-only", dest="no_write", action="store_true",
                        help="add-release: inspect and dry-run without writing the manifest or copying")
    parser.add_argument("--raw-table", help="add-release: name of the new raw table (default bns_<file stem>)")
    # Intermixed: options may stand between the command and the files.
    args = parser.parse_intermixed_args(argv)
    if args.files and args.command != "add-release":
        parser.error(f"{args.command} takes no FILE arguments")
    if args.command == "refresh":
        return refresh(args.years)
    if args.command == "add-release":
        return add_release(args.files, not args.no_write, args.raw_table)
    return commands[args.command]()


def run() -> None:
    """The console script: ``main`` then exit. The objects of a run (dagster,
    dbt and Great Expectations loaded, 3,500 events) are frozen out of the
    garbage collector first: the interpreter's last collections over them took
    2.4 s of every command's exit, to free memory the process is about to give
    back anyway. Objects are still finalised as usual by reference counting,
    and every file and connection of the refresh is closed before this."""
    status = main()
    gc.freeze()
    sys.exit(status)


if __name__ == "__main__":
    run()
