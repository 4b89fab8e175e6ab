"""Benchmark of the location quotients (computed by the dbt model
int_location_quotients_computed, published as fct_location_quotients) on GENERATED panels (not statistics):
N regions × 1000 industries × 5 years, from 1 M to 15 M rows.

One command: ``python bench/bench_location_quotients.py`` (``make bench``).
For every size, in the same run and on the same input table, it times

* ``duckdb_copy`` — ``create table ... as select * from`` the input: the floor
  any model that writes its input's rows must pay;
* ``lq_model`` — the SQL of the dbt model ``int_location_quotients_computed`` exactly
  as dbt compiles it (a first, non-incremental build), run as ``create table``;
* ``lq_model_in_memory`` — the same SQL into a temporary (in-memory) table:
  no compression or checkpoint, the like-for-like of ``pandas_compute``;
* ``pandas_compute`` — the same totals, LQ and class with pandas
  groupby-transform on a DataFrame already in memory (loading excluded);
* ``pandas_table_to_table`` — what a pandas (dbt Python) model would do: read
  the input from DuckDB, the same groupby-transform, write the result back;

each in its own process (so its peak resident memory is its own), repeated,
median reported. Results: ``bench/results/location_quotients.{json,md}``.
The generated warehouses live in a temporary directory and are deleted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np

PROJECT = Path(__file__).resolve().parent.parent
RESULTS = PROJECT / "bench" / "results"
DBT_DIR = PROJECT / "dbt"
INDUSTRIES = 1000
YEARS = 5
# regions per size: rows = regions × 1000 industries × 5 years
SIZES = {"1M": 200, "3M": 600, "6M": 1200, "15M": 3000}
REPEATS = 3
METHODS = (
    "duckdb_copy",
    "lq_model",
    "lq_model_in_memory",
    "pandas_compute",
    "pandas_table_to_table",
)
# The model that computes the quotients (the mart fct_location_quotients is a
# thin select of it under its contract).
LQ_MODEL = "int_location_quotients_computed"
INPUT = "intermediate.int_regional_cells_classified"
PUBLISHED = "intermediate.int_regional_published_totals_pivoted"
SPECIALISED, STAR = 1.25, 2.0  # the dbt vars' defaults


# ---------------------------------------------------------------- set-up


def generate_panel(database: Path, regions: int) -> int:
    """A warehouse whose model inputs hold a generated panel: the cells table
    with the shape of int_regional_cells_classified, and no published totals.
    Values are a deterministic hash of (region, industry, year), 1..100 000."""
    with duckdb.connect(str(database)) as con:
        con.execute("create schema if not exists intermediate")
        con.execute(
            f"""
            create or replace table {INPUT} as
            select
                'GENERATED' as economy_code,
                'GENERATED_INDUSTRY' as classification,
                cast(2020 + y as integer) as year,
                'GEN-R' || lpad(cast(r as varchar), 5, '0') as region_code,
                'GEN-I' || lpad(cast(i as varchar), 4, '0') as industry_code,
                'employment' as measure,
                'persons' as unit,
                cast(hash(r, i, y) % 100000 + 1 as double) as value,
                cast(null as varchar) as gap_marker,
                true as in_partition,
                'generated' as _source_sha256,
            from range({regions}) as rr(r), range({INDUSTRIES}) as ii(i), range({YEARS}) as yy(y)
            """
        )
        con.execute(
            f"""
            create or replace table {PUBLISHED} (
                economy_code varchar, classification varchar, year integer, measure varchar,
                total_kind varchar, region_code varchar, industry_code varchar,
                published_value double, gap_marker varchar, unit varchar,
                _source_file varchar, _source_row bigint
            )
            """
        )
        con.execute("checkpoint")
        return con.execute(f"select count(*) from {INPUT}").fetchone()[0]


def compile_model_sql(workdir: Path) -> str:
    """The model's SQL as dbt compiles it for a first build (the target table
    does not exist, so is_incremental() is false), with the warehouse name
    removed so it runs against any database file."""
    published = workdir / "compile" / "klaster.duckdb"
    published.parent.mkdir(parents=True)
    env = dict(os.environ, KLASTER_WAREHOUSE=str(published))
    dbt = Path(sys.executable).parent / "dbt"
    target = workdir / "dbt_target"
    subprocess.run(
        [
            str(dbt),
            "compile",
            "--select",
            LQ_MODEL,
            "--profiles-dir",
            ".",
            "--target-path",
            str(target),
            "--log-path",
            str(workdir / "dbt_logs"),
            "--quiet",
        ],
        cwd=DBT_DIR,
        env=env,
        check=True,
        capture_output=True,
    )
    compiled = next(target.rglob(f"{LQ_MODEL}.sql")).read_text(encoding="utf-8")
    return re.sub(r'"klaster"\.', "", compiled)


# ---------------------------------------------------------------- workers (child processes)


def _pandas_lq(df):
    keys = ["economy_code", "classification", "year", "measure"]
    counted = df["value"].where(df["in_partition"])
    df = df.assign(_counted=counted)
    df["region_total"] = df.groupby(keys + ["region_code"], sort=False)["_counted"].transform("sum")
    df["industry_total"] = df.groupby(keys + ["industry_code"], sort=False)["value"].transform("sum")
    df["economy_total"] = df.groupby(keys, sort=False)["_counted"].transform("sum")
    df = df.drop(columns="_counted")
    df["lq"] = (df["value"] / df["region_total"]) / (df["industry_total"] / df["economy_total"])
    lq = df["lq"].to_numpy()
    df["lq_class"] = np.where(lq >= STAR, "star", np.where(lq >= SPECIALISED, "specialised", "not_specialised"))
    return df


def worker(method: str, database: str, sql_file: str | None) -> dict:
    con = duckdb.connect(database)
    con.execute("drop table if exists bench_output")
    con.execute("checkpoint")
    if method == "duckdb_copy":
        start, cpu_start = time.perf_counter(), time.process_time()
        con.execute(f"create table bench_output as select * from {INPUT}")
        con.execute("checkpoint")
    elif method == "lq_model":
        sql = Path(sql_file).read_text(encoding="utf-8")
        start, cpu_start = time.perf_counter(), time.process_time()
        con.execute(f"create table bench_output as {sql}")
        con.execute("checkpoint")
    elif method == "lq_model_in_memory":
        sql = Path(sql_file).read_text(encoding="utf-8")
        start, cpu_start = time.perf_counter(), time.process_time()
        con.execute(f"create temp table bench_output as {sql}")
    elif method == "pandas_compute":
        df = con.sql(f"select * from {INPUT}").arrow().read_all().to_pandas()
        start, cpu_start = time.perf_counter(), time.process_time()
        _pandas_lq(df)
    elif method == "pandas_table_to_table":
        start, cpu_start = time.perf_counter(), time.process_time()
        df = con.sql(f"select * from {INPUT}").arrow().read_all().to_pandas()
        result = _pandas_lq(df)
        con.register("pandas_result", result)
        con.execute("create table bench_output as select * from pandas_result")
        con.execute("checkpoint")
    else:
        raise ValueError(method)
    seconds = time.perf_counter() - start
    # CPU seconds of all this process's threads: less sensitive than wall time
    # to other work on a shared machine
    cpu_seconds = time.process_time() - cpu_start
    rows = con.execute("select count(*) from bench_output").fetchone()[0] if method != "pandas_compute" else None
    con.execute("drop table if exists bench_output")
    con.close()
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "rows_out": rows}


def run_worker(method: str, database: Path, sql_file: Path) -> dict:
    """Run one timing in a fresh process; its peak RSS comes from wait4."""
    process = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--worker",
            method,
            "--database",
            str(database),
            "--sql",
            str(sql_file),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"worker {method} failed with exit code {process.returncode}")
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_rss_mib"] = usage.ru_maxrss / 1024  # Linux reports KiB
    return result


# ---------------------------------------------------------------- report


def scaling_exponent(rows: list[int], seconds: list[float]) -> float:
    """Slope of log(time) on log(rows): 1 = linear."""
    return float(np.polyfit(np.log(rows), np.log(seconds), 1)[0])


def write_report(results: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "location_quotients.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    lines = [
        "# fct_location_quotients benchmark (GENERATED panels, not statistics)",
        "",
        (
            f"Run {results['run_at']} on {results['machine']['cpus']} CPU(s), "
            f"{results['machine']['python']} / duckdb {results['machine']['duckdb']} / "
            f"pandas {results['machine']['pandas']}; median of {REPEATS} runs, each in its own process; "
            f"load average {results['machine']['load_average_at_start'][0]:.1f} at start, "
            f"{results['machine']['load_average_at_end'][0]:.1f} at end (other work shared the machine)."
        ),
        (
            "Panel: regions × 1000 industries × 5 years, one measure; input = a table shaped like "
            "`int_regional_cells_classified`; output = a table with the model's 19 columns."
        ),
        "",
        "| rows | method | wall s (median) | CPU s (median) | peak RSS MiB | × copy floor | pandas ÷ this |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for size in results["sizes"]:
        m = size["methods"]
        copy = m["duckdb_copy"]["median_seconds"]
        for method in METHODS:
            r = m[method]
            ratio_copy = r["median_seconds"] / copy
            speedup = ""
            if method in ("lq_model", "lq_model_in_memory"):
                speedup = (
                    f"{m['pandas_compute']['median_seconds'] / r['median_seconds']:.2f} (compute) / "
                    f"{m['pandas_table_to_table']['median_seconds'] / r['median_seconds']:.2f} (table→table)"
                )
            lines.append(
                f"| {size['rows']:,} | {method} | {r['median_seconds']:.2f} | "
                f"{r['median_cpu_seconds']:.2f} | {r['peak_rss_mib']:.0f} | {ratio_copy:.2f} | {speedup} |"
            )
    lines += ["", "## Scaling from 1 M to 15 M rows", ""]
    lines += [
        "| method | wall 1 M (s) | wall 15 M (s) | wall ratio | wall slope "
        "| CPU 1 M (s) | CPU 15 M (s) | CPU ratio | CPU slope |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for method, s in results["scaling"].items():
        lines.append(
            f"| {method} | {s['seconds_first']:.2f} | {s['seconds_last']:.2f} | "
            f"{s['ratio']:.1f} | {s['exponent']:.2f} | {s['cpu_seconds_first']:.2f} | "
            f"{s['cpu_seconds_last']:.2f} | {s['cpu_ratio']:.1f} | {s['cpu_exponent']:.2f} |"
        )
    lines += [
        "",
        (
            "Rows grow 15×. Slope = exponent of a power law fitted to the four sizes (1 = linear). "
            "Fixed costs (checkpoint, fsync, thread start) weigh more at 1 M rows, and on a shared "
            "machine wall time also depends on what else ran; CPU time is the steadier measure."
        ),
    ]
    goal = results["goal"]
    lines += [
        "",
        f"## Goal ({goal['at_rows']:,} rows): ratios of medians, wall clock and CPU",
        "",
        "| comparison | goal | wall | CPU | met (wall) |",
        "|---|---|---:|---:|---|",
    ]
    for name, label, bound, below in (
        ("model_over_copy", "LQ model ÷ copy floor", 4.0, True),
        ("pandas_table_to_table_over_model", "pandas table→table ÷ LQ model", 2.5, False),
        ("pandas_compute_over_model", "pandas compute only ÷ LQ model", 2.5, False),
        (
            "pandas_compute_over_model_in_memory",
            "pandas compute only ÷ LQ model in memory",
            2.5,
            False,
        ),
    ):
        wall, cpu = goal[name], goal[f"{name}_cpu"]
        met = wall <= bound if below else wall >= bound
        sign = "≤" if below else "≥"
        lines.append(f"| {label} | {sign} {bound:g} | {wall:.2f} | {cpu:.2f} | {'yes' if met else 'NO'} |")
    lines += [
        "",
        (
            "pandas compute only excludes loading the table and writing the result; the model's "
            "time includes reading its input and writing and checkpointing its output table. "
            "CPU = CPU seconds of all threads of the timing process (DuckDB uses both cores, "
            "pandas one), less disturbed than wall time by other work on the machine."
        ),
    ]
    (RESULTS / "location_quotients.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    import pandas as pd

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", choices=METHODS)
    parser.add_argument("--database")
    parser.add_argument("--sql")
    parser.add_argument("--sizes", nargs="*", default=list(SIZES), choices=list(SIZES))
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.database, args.sql)))
        return 0

    results: dict = {
        "benchmark": "fct_location_quotients",
        "data": "GENERATED panel (deterministic hash values), not statistics",
        "run_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "duckdb": duckdb.__version__,
            "pandas": pd.__version__,
            "platform": platform.platform(),
            # other processes share the machine: the load average says how busy it was
            "load_average_at_start": os.getloadavg(),
        },
        "repeats": REPEATS,
        "sizes": [],
    }
    with tempfile.TemporaryDirectory(prefix="bench_lq_") as tmp:
        workdir = Path(tmp)
        sql_file = workdir / "fct_location_quotients.compiled.sql"
        sql_file.write_text(compile_model_sql(workdir), encoding="utf-8")
        for label in args.sizes:
            database = workdir / f"generated_{label}.duckdb"
            started = time.perf_counter()
            rows = generate_panel(database, SIZES[label])
            print(
                f"{label}: generated {rows:,} rows in {time.perf_counter() - started:.1f} s",
                flush=True,
            )
            runs: dict[str, list[dict]] = {m: [] for m in METHODS}
            for _ in range(REPEATS):
                # interleaved, so a slower moment of the machine hits every method
                for method in METHODS:
                    runs[method].append(run_worker(method, database, sql_file))
            methods = {}
            for method, outcome in runs.items():
                seconds = [o["seconds"] for o in outcome]
                methods[method] = {
                    "median_seconds": statistics.median(seconds),
                    "all_seconds": seconds,
                    "median_cpu_seconds": statistics.median(o["cpu_seconds"] for o in outcome),
                    "peak_rss_mib": max(o["peak_rss_mib"] for o in outcome),
                    "rows_out": outcome[0]["rows_out"],
                }
                print(
                    f"  {method:24s} {statistics.median(seconds):7.2f} s  {methods[method]['peak_rss_mib']:7.0f} MiB",
                    flush=True,
                )
            results["sizes"].append({"label": label, "regions": SIZES[label], "rows": rows, "methods": methods})
            database.unlink()
    results["machine"]["load_average_at_end"] = os.getloadavg()
    sizes = results["sizes"]
    rows = [s["rows"] for s in sizes]
    results["scaling"] = {}
    for method in METHODS:
        wall = [s["methods"][method]["median_seconds"] for s in sizes]
        cpu = [s["methods"][method]["median_cpu_seconds"] for s in sizes]
        results["scaling"][method] = {
            "seconds_first": wall[0],
            "seconds_last": wall[-1],
            "ratio": wall[-1] / wall[0],
            "exponent": scaling_exponent(rows, wall) if len(sizes) > 1 else float("nan"),
            "cpu_seconds_first": cpu[0],
            "cpu_seconds_last": cpu[-1],
            "cpu_ratio": cpu[-1] / cpu[0],
            "cpu_exponent": scaling_exponent(rows, cpu) if len(sizes) > 1 else float("nan"),
        }
    results["goal"] = {"at_rows": sizes[-1]["rows"]}
    for suffix, field in (("", "median_seconds"), ("_cpu", "median_cpu_seconds")):
        last = {m: sizes[-1]["methods"][m][field] for m in METHODS}
        results["goal"].update(
            {
                f"model_over_copy{suffix}": last["lq_model"] / last["duckdb_copy"],
                f"pandas_compute_over_model{suffix}": last["pandas_compute"] / last["lq_model"],
                f"pandas_table_to_table_over_model{suffix}": last["pandas_table_to_table"] / last["lq_model"],
                f"pandas_compute_over_model_in_memory{suffix}": last["pandas_compute"] / last["lq_model_in_memory"],
            }
        )
    write_report(results)
    print((RESULTS / "location_quotients.md").read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
