"""Benchmark of the annual refresh: how much of its wall time is work.

    python bench/bench_refresh.py            # one full refresh into a temporary warehouse

It runs `klaster refresh` exactly as `make run` does (a subprocess, the
project's own raw files, a temporary warehouse and Dagster home) and reads back
from the run's event log and from each dbt invocation's dbt.log:

- wall: the refresh command from start to exit (Python start-up, Dagster
  loading, every step, the summary);
- work: what the refresh exists to do —
  * dbt execution: per dbt invocation, the span from the first node's execute
    start to the last node's end (models and tests, run 2 threads wide), i.e.
    without dbt's start-up, parse and the Dagster step around it;
  * loading: the raw-file steps (checksums, readers, validation, writes);
  * report and publish: their steps;
- overhead: wall - work, and the ratio wall / work (the goal of issue 16 is
  <= 1.3).

Alongside it gives each step's duration, the dbt start-up cost per invocation
(step duration - execution span), and the number of dbt invocations.
The obvious alternative, one `dbt build` of the whole project from the shell
on the same loaded raw tables, is timed in the same run (--no-alternative to
skip): the floor a refresh with a single dbt invocation could reach.
Results: bench/results/refresh.json. The machine may be shared: read the
numbers as indicative; no test asserts them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dagster_project import settings  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "refresh.json"


def _seconds(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def dbt_execution_span(dbt_log: Path) -> dict:
    """Span of node execution in one dbt invocation and its node counts, from
    the invocation's dbt.log (JSON lines): from the first node's start line to
    the last node's result line."""
    starts, ends, kinds = [], [], {"model": 0, "test": 0, "other": 0}
    for line in dbt_log.read_text(encoding="utf-8").splitlines():
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line some library printed into the log
        name = event["info"]["name"]
        node = (event.get("data") or {}).get("node_info") or {}
        if not node.get("unique_id"):
            continue
        if name == "LogStartLine":
            starts.append(_seconds(event["info"]["ts"]))
        elif name.startswith("Log") and name.endswith("Result"):
            ends.append(_seconds(event["info"]["ts"]))
            kind = node["unique_id"].split(".", 1)[0]
            kinds[kind if kind in kinds else "other"] += 1
    span = (max(ends) - min(starts)) if starts and ends else 0.0
    return {"execution_span_s": round(span, 2), "nodes": kinds}


def step_durations(dagster_home: Path) -> tuple[str, dict[str, float], dict]:
    """Duration of every step of the (only) run in this Dagster home, and
    where the run's time outside its steps went."""
    os.environ["DAGSTER_HOME"] = str(dagster_home)
    import dagster as dg

    with dg.DagsterInstance.get() as instance:
        run = instance.get_run_records()[0].dagster_run
        entries = instance.all_logs(run.run_id)
        started: dict[str, float] = {}
        durations: dict[str, float] = {}
        kinds: dict[str, int] = {}
        for entry in entries:
            event = entry.dagster_event
            if event is None:
                continue
            kinds[event.event_type_value] = kinds.get(event.event_type_value, 0) + 1
            if event.step_key is None:
                continue
            if event.event_type_value == "STEP_START":
                started[event.step_key] = entry.timestamp
            elif event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE"):
                durations[event.step_key] = round(entry.timestamp - started[event.step_key], 2)
        run_events = {
            "run_started_at": entries[0].timestamp,
            "run_ended_at": entries[-1].timestamp,
            # Before the first step Dagster records one "planned" event per asset
            # (per partition for partitioned assets) and per check.
            "planning_before_first_step_s": round(min(started.values()) - entries[0].timestamp, 2),
            "events": len(entries),
            "events_by_type": dict(sorted(kinds.items(), key=lambda kv: -kv[1])),
        }
        return run.run_id, durations, run_events


def classify(step: str) -> str:
    if "dbt" in step:
        return "dbt"
    if "publish" in step:
        return "publish"
    if "report" in step:
        return "report"
    return "loading"


def one_dbt_build(env: dict[str, str], target: Path) -> float:
    """The alternative: one `dbt build` of the whole project on the loaded raw tables."""
    dbt = Path(sys.executable).parent / "dbt"
    started = time.monotonic()
    subprocess.run(
        [str(dbt), "build", "--no-write-json", "--profiles-dir", ".", "--target", "build", "--quiet",
         "--target-path", str(target)],
        cwd=settings.DBT_PROJECT_DIR, env=env, check=True,
    )
    return round(time.monotonic() - started, 2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-alternative", action="store_true", help="skip the single dbt build")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="klaster-bench-refresh-"))
    try:
        published = root / "warehouse" / "klaster.duckdb"
        published.parent.mkdir(parents=True)
        home = root / "dagster_home"
        home.mkdir()
        env = {**os.environ, settings.WAREHOUSE_ENV_VAR: str(published), "DAGSTER_HOME": str(home)}
        # As `make run` does (`make manifest` first): dbt's parse cache is keyed on
        # the profile, which names the warehouse, so parse under this warehouse.
        subprocess.run([str(Path(sys.executable).parent / "dbt"), "parse", "--profiles-dir", ".",
                        "--target", "build", "--quiet"], cwd=settings.DBT_PROJECT_DIR, env=env, check=True)
        print("refresh: running klaster refresh into", published, flush=True)
        started, started_at = time.monotonic(), time.time()
        completed = subprocess.run([sys.executable, "-m", "dagster_project.cli", "refresh"],
                                   cwd=ROOT, env=env, capture_output=True, text=True)
        wall = round(time.monotonic() - started, 2)
        if completed.returncode != 0:
            print(completed.stdout[-4000:], completed.stderr[-4000:])
            print("refresh failed: no numbers written")
            return 1
        run_id, steps, run_events = step_durations(home)
        # Python start-up and loading the Definitions (dbt manifest, assets, checks).
        run_events["before_the_run_s"] = round(run_events.pop("run_started_at") - started_at, 2)
        # The summary the command prints, closing the run history, interpreter exit.
        run_events["after_the_run_s"] = round(started_at + wall - run_events.pop("run_ended_at"), 2)
        invocations = {}
        for folder in sorted(settings.DBT_PROJECT_DIR.glob(f"target/*-{run_id[:7]}-*")):
            log = folder / "dbt.log"
            if log.exists():
                invocations[folder.name] = dbt_execution_span(log)
        by_kind: dict[str, float] = {}
        for step, seconds in steps.items():
            by_kind[classify(step)] = round(by_kind.get(classify(step), 0.0) + seconds, 2)
        dbt_work = round(sum(i["execution_span_s"] for i in invocations.values()), 2)
        work = round(dbt_work + by_kind.get("loading", 0) + by_kind.get("report", 0)
                     + by_kind.get("publish", 0), 2)
        result = {
            "what": "one full refresh (klaster refresh) of the shipped raw data into a temporary warehouse",
            "machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                        "load_average_at_end": os.getloadavg()},
            "wall_s": wall,
            "work_s": work,
            "ratio_wall_to_work": round(wall / work, 3) if work else None,
            # The same without Python's start-up and the Definitions (before_the_run_s),
            # the part that varies most between runs here (cold imports).
            "ratio_after_start_up": round((wall - run_events["before_the_run_s"]) / work, 3) if work else None,
            "work_breakdown_s": {"dbt_execution": dbt_work, "loading": by_kind.get("loading", 0),
                                 "report": by_kind.get("report", 0), "publish": by_kind.get("publish", 0)},
            "dbt_steps_total_s": by_kind.get("dbt", 0),
            "dbt_invocations": len(invocations),
            "dbt_startup_and_parse_s": round(by_kind.get("dbt", 0) - dbt_work, 2),
            "dbt_per_invocation": invocations,
            "outside_the_steps": run_events,
            "steps_s": dict(sorted(steps.items(), key=lambda kv: -kv[1])),
        }
        if not args.no_alternative:
            print("alternative: one dbt build of the whole project on the same raw tables", flush=True)
            result["alternative_single_dbt_build_s"] = one_dbt_build(env, root / "dbt_target")
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(json.dumps({k: result[k] for k in ("wall_s", "work_s", "ratio_wall_to_work", "ratio_after_start_up",
                                                   "work_breakdown_s", "dbt_invocations",
                                                   "dbt_startup_and_parse_s")}, indent=2))
        print(json.dumps({k: v for k, v in run_events.items() if k != "events_by_type"}))
        print(f"written: {RESULTS}")
        return 0
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
