"""Benchmark of Kazakhstan's 68-product input-output chain, real data (BNS 2023).

    .venv/bin/python bench/bench_kz_input_output.py

In one run, on the same numbers:

- warehouse: into a temporary warehouse, the raw files the chain needs are
  loaded (the generic CSV datasets, then the two BNS workbooks through their
  release reader), and dbt runs the input-output chain for the Kazakhstan
  tables (staging of the BNS cells -> labelled cells -> symmetric tables and
  balance checks -> coefficients, Leontief inverse, multipliers, linkages,
  import leakage, cost-ratio comparison, seed 003 Table 2 comparison). Each step is timed; dbt runs every
  table of the register (the other economies' ones too: the models are per
  register, not per table), so the dbt time is an upper bound for KZ alone.
- numpy: the 68 x 68 domestic and total-flow tables read from the workbook
  (pandas.read_excel) -> A, L, output / value-added / compensation multipliers
  Type I and II (closed matrix inverted explicitly), Rasmussen and Ghosh
  linkages, import leakage; best of 5.

The marts are checked against the numpy results (max abs difference of L and
of the multipliers) so the two routes are known to compute the same thing.
Results: bench/results/kz_input_output.json. The machine is shared by several
agents: read the timings as orders of magnitude.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.test_kz_input_output import Sheet  # noqa: E402  (the tests' independent reader)

RESULTS = ROOT / "bench" / "results" / "kz_input_output.json"
IO_FILE = ROOT / "data" / "raw" / "kazakhstan_bns" / "input_output_tables_2023.xlsx"
DATASETS = ("io", "kazakhstan_frame", "seeds", "cluster_labels", "io_reference", "io_crosswalks")
RELEASES = ("bns_input_output_2023", "bns_supply_use_2023")
# The 68-product chain and the marts built on it alone (the Table 3 comparison also needs the
# regional employment panel, which is not part of this chain).
SELECT = "+fct_multipliers +fct_linkages +fct_import_leakage +fct_io_cost_ratio_comparison +fct_template_comparison"
TABLES = ("kz_2023_pxp_68_domestic", "kz_2023_pxp_68_total")


def _timed(label: str, timings: dict, command: list[str], env: dict) -> None:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT / "dbt" if command[0].endswith("dbt") else ROOT, env=env,
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{label} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    timings[label] = round(time.perf_counter() - start, 3)


def warehouse_route(workdir: Path) -> tuple[dict, Path]:
    published = workdir / "warehouse" / "klaster.duckdb"
    published.parent.mkdir(parents=True)
    env = {**os.environ, "KLASTER_WAREHOUSE": str(published), "DAGSTER_HOME": str(workdir)}
    python = sys.executable
    dbt = str(Path(python).parent / "dbt")
    timings: dict[str, float] = {}
    load = [python, "-m", "dagster_project.ingestion.cli", "load"]
    for dataset in DATASETS:
        load += ["--dataset", dataset]
    _timed("load_csv_datasets_s", timings, load, env)
    loader = (
        "import duckdb\n"
        "from dagster_project import settings\n"
        "from dagster_project.ingestion.bns.layouts import ReaderContext, read_release, release_entries\n"
        "from dagster_project.ingestion.bns.writer import write_result\n"
        f"wanted = {RELEASES!r}\n"
        "ctx = ReaderContext.from_settings()\n"
        "with duckdb.connect(str(settings.build_warehouse_path())) as con:\n"
        "    for e in release_entries():\n"
        "        if e.raw_table in wanted:\n"
        "            write_result(con, read_release(e, ctx))\n"
    )
    _timed("read_bns_workbooks_s", timings, [python, "-c", loader], env)
    dbt_args = ["--profiles-dir", ".", "--target", "build", "--target-path", str(workdir / "target"),
                "--log-path", str(workdir / "logs"), "--quiet"]
    _timed("dbt_parse_s", timings, [dbt, "parse", *dbt_args], env)
    _timed("dbt_run_io_chain_s", timings, [dbt, "run", *dbt_args, "--select", SELECT], env)
    return timings, Path(str(published) + ".build")


def numpy_tables() -> dict:
    sheets = pd.read_excel(IO_FILE, sheet_name=["6.", "7.", "8."], header=None)
    basic, imported, domestic = (Sheet(sheets[s]) for s in ("6.", "7.", "8."))
    p = domestic.codes()[:68]
    common = {
        "products": p,
        "x": basic.row("Output at basic prices", p),
        "va": basic.row("Gross value added", p),
        "comp": basic.row("Compensation of employees", p),
        "imported_inputs": imported.row("Total", p),
    }
    return {
        TABLES[0]: {**common, "Z": domestic.block(p, p),
                    "hh": domestic.column("Household final consumption expenditure", p)},
        TABLES[1]: {**common, "Z": basic.block(p, p),
                    "hh": basic.column("Household final consumption expenditure", p)},
    }


def numpy_chain(t: dict) -> dict:
    x, n = t["x"], len(t["x"])
    A = t["Z"] / x
    L = np.linalg.solve(np.eye(n) - A, np.eye(n))
    v, h = t["va"] / x, t["comp"] / x
    closed = np.zeros((n + 1, n + 1))
    closed[:n, :n], closed[n, :n], closed[:n, n] = A, h, t["hh"] / t["comp"].sum()
    closed_L = np.linalg.solve(np.eye(n + 1) - closed, np.eye(n + 1))
    G = L * x[None, :] / x[:, None]
    return {
        "L": L,
        "output_type_1": L.sum(axis=0),
        "value_added_type_1": v @ L,
        "compensation_type_2": closed_L[n, :n] / h,
        "backward": n * L.sum(axis=0) / L.sum(),
        "forward": n * G.sum(axis=1) / G.sum(),
        "import_leakage": (t["imported_inputs"] / x) @ L,
    }


def best_of(function, repeats: int = 5) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def compare(build: Path, tables: dict, results: dict) -> dict:
    out = {}
    with duckdb.connect(str(build), read_only=True) as con:
        for table_id, t in tables.items():
            p = t["products"]
            L = (
                con.execute("select from_industry_code, to_industry_code, leontief_coefficient "
                            "from marts.fct_leontief_inverse where table_id = ?", [table_id]).df()
                .pivot(index="from_industry_code", columns="to_industry_code", values="leontief_coefficient")
                .reindex(index=p, columns=p).to_numpy()
            )
            m = con.execute("select industry_code, measure, model_type, multiplier, total_effect "
                            "from marts.fct_multipliers where table_id = ?", [table_id]).df()

            def pick(measure, model_type, column, m=m, p=p):
                part = m[(m.measure == measure) & (m.model_type == model_type)]
                return part.set_index("industry_code")[column].reindex(p).to_numpy()

            r = results[table_id]
            out[table_id] = {
                "max_abs_diff_L": float(np.abs(L - r["L"]).max()),
                "max_abs_diff_output_type_1": float(np.abs(pick("output", "type_1", "multiplier")
                                                          - r["output_type_1"]).max()),
                "max_abs_diff_value_added_type_1": float(np.abs(pick("value_added", "type_1", "total_effect")
                                                               - r["value_added_type_1"]).max()),
                "max_abs_diff_compensation_type_2": float(np.abs(pick("compensation", "type_2", "multiplier")
                                                                - r["compensation_type_2"]).max()),
            }
    return out


def main() -> int:
    load_before = os.getloadavg()
    start = time.perf_counter()
    tables = numpy_tables()
    read_workbook_s = time.perf_counter() - start
    numpy_timings, numpy_results = {}, {}
    for table_id, t in tables.items():
        seconds, numpy_results[table_id] = best_of(lambda t=t: numpy_chain(t))
        numpy_timings[table_id] = round(seconds, 6)
    with tempfile.TemporaryDirectory(prefix="klaster_bench_kz_") as tmp:
        warehouse_timings, build = warehouse_route(Path(tmp))
        agreement = compare(build, tables, numpy_results)
    report = {
        "what": "Kazakhstan 2023, 68 products: A, L, multipliers (output, value added, compensation; Type I "
                "and II), Rasmussen/Ghosh linkages, import leakage",
        "data": "BNS input-output tables 2023 (data/raw/kazakhstan_bns/input_output_tables_2023.xlsx), real data",
        "machine": {"python": platform.python_version(), "numpy": np.__version__, "cpu_count": os.cpu_count(),
                    "platform": platform.platform()},
        "load_average_before": [round(v, 2) for v in load_before],
        "warehouse_seconds": warehouse_timings,
        "warehouse_total_seconds": round(sum(warehouse_timings.values()), 3),
        "warehouse_note": "dbt runs the chain for every registered table (9), the KZ tables among them",
        "numpy_read_workbook_seconds": round(read_workbook_s, 3),
        "numpy_chain_seconds_best_of_5": numpy_timings,
        "agreement_marts_vs_numpy": agreement,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
