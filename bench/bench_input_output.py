"""Benchmark of the input-output methods on GENERATED dense tables.

    python bench/bench_input_output.py                 # n = 500 and 2000
    python bench/bench_input_output.py --include-4000  # adds n = 4000 (several minutes on 2 cores)

For each n, in the same run and on the same generated input (random dense
flows, seeded; no real data), it times "coefficients + Leontief inverse + all
multipliers" (output, value added, compensation, employment; Type I and Type
II with households endogenous; Rasmussen backward and Ghosh forward linkages)
four ways:

- klaster: dagster_project.methods.input_output.analyse_table (one LU
  inversion; Type II by the partitioned formula; Ghosh from L and x);
- numpy, same algebra: numpy.linalg.solve(I - A, I) once, then the same O(n^2)
  algebra written out inline: the baseline the 1.2x goal is measured against;
- numpy, textbook: numpy.linalg.solve for L, for the closed (n+1) model and for
  the Ghosh inverse (three solves), as the formulas read;
- pymrio: calc_A, calc_L, calc_S/calc_M, calc_G(L, x), and calc_L of the
  closed matrix for Type II (pymrio has no household closure of its own).

It checks that all four give the same numbers (max abs difference per
quantity), measures the peak of traced allocations of each (tracemalloc sees
numpy and pandas buffers), and times the warehouse route the dbt models take
(long table in DuckDB -> SQL coefficients -> dense matrix by index scatter ->
L -> long table back into DuckDB). Results go to bench/results/input_output.json
and .md. Timings are the best of --repeats interleaved runs; the machine is shared,
so read them as orders of magnitude, not as a contract (no test asserts them).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pymrio
from threadpoolctl import threadpool_info

from dagster_project.methods import input_output as io

ROOT = Path(__file__).resolve().parents[1]

RESULTS = ROOT / "bench" / "results"
SEED = 20240611


# --------------------------------------------------------------------------- #
# generated input
# --------------------------------------------------------------------------- #
def generated_table(n: int) -> dict[str, np.ndarray]:
    """A dense, productive table: column sums of A drawn in (0.3, 0.8)."""
    rng = np.random.default_rng(SEED + n)
    Z = rng.uniform(0.0, 100.0, size=(n, n))
    x = Z.sum(axis=0) / rng.uniform(0.3, 0.8, size=n)
    value_added = x - Z.sum(axis=0)
    compensation = value_added * rng.uniform(0.3, 0.7, size=n)
    employment = x * rng.uniform(0.005, 0.03, size=n)
    consumption = 0.7 * compensation.sum() * rng.dirichlet(np.ones(n))
    return {
        "Z": Z,
        "x": x,
        "value_added": value_added,
        "compensation": compensation,
        "employment": employment,
        "household_consumption": consumption,
    }


# --------------------------------------------------------------------------- #
# the four implementations; each returns the same dictionary of results
# --------------------------------------------------------------------------- #
def run_klaster(t: dict) -> dict:
    labels = [f"i{k}" for k in range(len(t["x"]))]
    r = io.analyse_table(
        t["Z"],
        t["x"],
        labels,
        value_added=t["value_added"],
        compensation=t["compensation"],
        employment=t["employment"],
        household_consumption=t["household_consumption"],
    )
    m = r.multipliers.set_index(["measure", "model_type"])["total_effect"].sort_index()
    return {
        "A": r.A,
        "L": r.L,
        "output_1": m.loc[("output", "type_1")].to_numpy(),
        "output_2": m.loc[("output", "type_2")].to_numpy(),
        "value_added_1": m.loc[("value_added", "type_1")].to_numpy(),
        "value_added_2": m.loc[("value_added", "type_2")].to_numpy(),
        "compensation_1": m.loc[("compensation", "type_1")].to_numpy(),
        "compensation_2": m.loc[("compensation", "type_2")].to_numpy(),
        "employment_1": m.loc[("employment", "type_1")].to_numpy(),
        "employment_2": m.loc[("employment", "type_2")].to_numpy(),
        "backward": r.linkages.backward,
        "forward": r.linkages.forward,
    }


def _coefficient_rows(t: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    x = t["x"]
    return (
        t["value_added"] / x,
        t["compensation"] / x,
        t["employment"] / x,
        t["household_consumption"] / t["compensation"].sum(),
    )


def run_numpy_same_algebra(t: dict) -> dict:
    Z, x = t["Z"], t["x"]
    n = len(x)
    A = Z / x
    L = np.linalg.solve(np.eye(n) - A, np.eye(n))
    v, c, e, h = _coefficient_rows(t)
    L_h = L @ h
    c_L = c @ L
    s = 1.0 - c_L @ h

    def type_2(w):
        return w @ L + (w @ L_h) * c_L / s

    colsum = L.sum(axis=0)
    forward = (L @ x) / x
    return {
        "A": A,
        "L": L,
        "output_1": colsum,
        "output_2": type_2(np.ones(n)),
        "value_added_1": v @ L,
        "value_added_2": type_2(v),
        "compensation_1": c_L,
        "compensation_2": c_L / s,
        "employment_1": e @ L,
        "employment_2": type_2(e),
        "backward": n * colsum / colsum.sum(),
        "forward": n * forward / forward.sum(),
    }


def run_numpy_textbook(t: dict) -> dict:
    Z, x = t["Z"], t["x"]
    n = len(x)
    A = Z / x
    L = np.linalg.solve(np.eye(n) - A, np.eye(n))
    v, c, e, h = _coefficient_rows(t)
    closed = np.zeros((n + 1, n + 1))
    closed[:n, :n] = A
    closed[:n, n] = h
    closed[n, :n] = c
    Lc = np.linalg.solve(np.eye(n + 1) - closed, np.eye(n + 1))
    L11 = Lc[:n, :n]
    B = Z / x[:, None]
    G = np.linalg.solve(np.eye(n) - B, np.eye(n))
    colsum, rowsum_g = L.sum(axis=0), G.sum(axis=1)
    return {
        "A": A,
        "L": L,
        "output_1": colsum,
        "output_2": L11.sum(axis=0),
        "value_added_1": v @ L,
        "value_added_2": v @ L11,
        "compensation_1": c @ L,
        "compensation_2": Lc[n, :n],
        "employment_1": e @ L,
        "employment_2": e @ L11,
        "backward": n * colsum / colsum.sum(),
        "forward": n * rowsum_g / rowsum_g.sum(),
    }


def run_pymrio(t: dict) -> dict:
    n = len(t["x"])
    labels = [f"i{k}" for k in range(n)]
    Z = pd.DataFrame(t["Z"], index=labels, columns=labels)
    x = pd.DataFrame({"indout": t["x"]}, index=labels)
    A = pymrio.calc_A(Z, x)
    L = pymrio.calc_L(A)
    F = pd.DataFrame(
        [t["value_added"], t["compensation"], t["employment"]],
        index=["value_added", "compensation", "employment"],
        columns=labels,
    )
    M = pymrio.calc_M(pymrio.calc_S(F, x), L)
    G = pymrio.calc_G(None, L=L, x=x)
    _, c, _, h = _coefficient_rows(t)
    closed = np.zeros((n + 1, n + 1))
    closed[:n, :n] = A.to_numpy()
    closed[:n, n] = h
    closed[n, :n] = c
    Lc = pymrio.calc_L(closed)
    L11 = Lc[:n, :n]
    S = pymrio.calc_S(F, x).to_numpy()
    colsum = L.sum(axis=0).to_numpy()
    rowsum_g = G.sum(axis=1).to_numpy()
    return {
        "A": A.to_numpy(),
        "L": L.to_numpy(),
        "output_1": colsum,
        "output_2": L11.sum(axis=0),
        "value_added_1": M.loc["value_added"].to_numpy(),
        "value_added_2": S[0] @ L11,
        "compensation_1": M.loc["compensation"].to_numpy(),
        "compensation_2": Lc[n, :n],
        "employment_1": M.loc["employment"].to_numpy(),
        "employment_2": S[2] @ L11,
        "backward": n * colsum / colsum.sum(),
        "forward": n * rowsum_g / rowsum_g.sum(),
    }


IMPLEMENTATIONS: dict[str, Callable[[dict], dict]] = {
    "klaster": run_klaster,
    "numpy_same_algebra": run_numpy_same_algebra,
    "numpy_textbook": run_numpy_textbook,
    "pymrio": run_pymrio,
}


# --------------------------------------------------------------------------- #
# measurement
# --------------------------------------------------------------------------- #
def timed_round_robin(t: dict, repeats: int) -> tuple[dict[str, list[float]], dict[str, dict]]:
    """Time every implementation ``repeats`` times, interleaved (a, b, c, d, a, b, ...)
    so that load from other processes on a shared machine hits them alike."""
    times: dict[str, list[float]] = {name: [] for name in IMPLEMENTATIONS}
    results: dict[str, dict] = {}
    for _ in range(repeats):
        for name, fn in IMPLEMENTATIONS.items():
            start = time.perf_counter()
            results[name] = fn(t)
            times[name].append(time.perf_counter() - start)
    return times, results


def traced_peak_mb(fn: Callable[[dict], dict], t: dict) -> float:
    tracemalloc.start()
    try:
        fn(t)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20


def max_differences(reference: dict, other: dict) -> dict[str, float]:
    return {
        k: float(np.max(np.abs(np.asarray(reference[k]) - np.asarray(other[k])))) for k in reference
    }


def warehouse_route(t: dict) -> dict[str, float]:
    """What fct_technical_coefficients (SQL) and fct_leontief_inverse (Python)
    do, on an in-memory DuckDB: long flows with industry codes -> coefficients
    by a join -> DuckDB joins codes to integer positions -> numpy scatter into a
    dense matrix -> L -> positions back to DuckDB, joined to codes -> table."""
    n = len(t["x"])
    codes = np.array([f"i{k:05d}" for k in range(n)], dtype=object)
    con = duckdb.connect()
    flows = pd.DataFrame(
        {
            "from_code": np.repeat(codes, n),
            "to_code": np.tile(codes, n),
            "flow_value": t["Z"].reshape(-1),
        }
    )
    industries = pd.DataFrame(
        {"code": codes, "model_position": np.arange(1, n + 1, dtype=np.int32), "output": t["x"]}
    )
    for name, frame in (("flows", flows), ("industries", industries)):
        con.register(f"{name}_df", frame)
        con.execute(f"create table {name} as select * from {name}_df")
        con.unregister(f"{name}_df")
    del flows
    timings = {}
    start = time.perf_counter()
    con.execute(
        "create table coefficients as select f.from_code, f.to_code, f.flow_value / o.output as a "
        "from flows f join industries o on f.to_code = o.code"
    )
    timings["sql_coefficients_s"] = time.perf_counter() - start
    start = time.perf_counter()
    sellers, buyers = con.table("industries").set_alias("s"), con.table("industries").set_alias("b")
    cells = (
        con.table("coefficients")
        .set_alias("c")
        .join(sellers, "c.from_code = s.code")
        .join(buyers, "c.to_code = b.code")
        .project("s.model_position as i, b.model_position as j, c.a")
        .fetchnumpy()
    )
    timings["fetch_positions_s"] = time.perf_counter() - start
    start = time.perf_counter()
    A = io.dense_matrices(
        np.zeros(len(cells["a"]), dtype=np.int8), cells["i"], cells["j"], cells["a"], {0: n}
    )[0]
    timings["scatter_to_dense_s"] = time.perf_counter() - start
    start = time.perf_counter()
    L = io.leontief_inverse(A)
    timings["inverse_s"] = time.perf_counter() - start
    start = time.perf_counter()
    i, j = io.long_positions(n)
    long = con.from_df(
        pd.DataFrame({"i": i, "j": j, "leontief_coefficient": L.reshape(-1)})
    ).set_alias("l")
    (
        long.join(sellers, "l.i = s.model_position")
        .join(buyers, "l.j = b.model_position")
        .project("s.code as from_code, b.code as to_code, l.leontief_coefficient")
        .create("leontief")
    )
    timings["positions_to_codes_and_insert_s"] = time.perf_counter() - start
    timings["total_s"] = sum(timings.values())
    timings["rows"] = int(con.sql("select count(*) from leontief").fetchone()[0])
    check = con.sql(
        "select leontief_coefficient from leontief where from_code = 'i00000' and to_code = 'i00001'"
    )
    assert abs(check.fetchone()[0] - L[0, 1]) < 1e-15
    np.testing.assert_allclose(L, io.leontief_inverse(t["Z"] / t["x"]), rtol=1e-12)
    con.close()
    return timings


def blas_info() -> list[dict]:
    return [
        {
            k: d.get(k)
            for k in (
                "user_api",
                "internal_api",
                "num_threads",
                "version",
                "threading_layer",
                "architecture",
                "filepath",
            )
        }
        for d in threadpool_info()
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000])
    parser.add_argument(
        "--include-4000", action="store_true", help="add n = 4000 (several minutes)"
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--warehouse-sizes", type=int, nargs="*", default=[500, 2000])
    args = parser.parse_args(argv)
    sizes = sorted(set(args.sizes + ([4000] if args.include_4000 else [])))
    warehouse_sizes = set(args.warehouse_sizes) | ({4000} if args.include_4000 else set())

    report: dict = {
        "what": "coefficients + Leontief inverse + all multipliers (Type I and II) + linkages",
        "data": f"generated: random dense tables (numpy default_rng seed {SEED}+n); not real data",
        "machine": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "pymrio": pymrio.__version__,
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
        },
        "blas_threadpools": blas_info(),
        "repeats": args.repeats,
        "load_average_before": [round(v, 2) for v in os.getloadavg()],
        "sizes": [],
    }
    for n in sizes:
        t = generated_table(n)
        entry: dict = {"n": n, "implementations": {}}
        all_times, results = timed_round_robin(t, args.repeats)
        for name, times in all_times.items():
            entry["implementations"][name] = {
                "best_s": min(times),
                "median_s": statistics.median(times),
                "times_s": times,
            }
            print(f"n={n:5d} {name:20s} best {min(times):8.3f} s", flush=True)
        for name, fn in IMPLEMENTATIONS.items():
            entry["implementations"][name]["traced_peak_mb"] = traced_peak_mb(fn, t)
        for name in IMPLEMENTATIONS:
            if name != "klaster":
                diffs = max_differences(results["klaster"], results[name])
                entry["implementations"][name]["max_abs_diff_vs_klaster"] = diffs
                scale = float(np.abs(results["klaster"]["L"]).max())
                if max(diffs.values()) > 1e-8 * scale:
                    raise SystemExit(f"n={n}: {name} differs from klaster: {diffs}")
        best = {k: v["best_s"] for k, v in entry["implementations"].items()}
        entry["klaster_over_numpy_same_algebra"] = best["klaster"] / best["numpy_same_algebra"]
        entry["klaster_over_numpy_textbook"] = best["klaster"] / best["numpy_textbook"]
        entry["klaster_over_pymrio"] = best["klaster"] / best["pymrio"]
        entry["input_matrix_mb"] = t["Z"].nbytes / 2**20
        if n in warehouse_sizes:
            entry["warehouse_route"] = warehouse_route(t)
            print(
                f"n={n:5d} warehouse route      total {entry['warehouse_route']['total_s']:8.3f} s",
                flush=True,
            )
        report["sizes"].append(entry)
        del t, results
    report["process_max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report["load_average_after"] = [round(v, 2) for v in os.getloadavg()]

    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "input_output.json").write_text(
        json.dumps(report, indent=2) + "\n", encoding="utf-8"
    )
    (RESULTS / "input_output.md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))
    return 0


def markdown(report: dict) -> str:
    lines = [
        "# Input-output benchmark",
        "",
        (
            f"{report['what']}; {report['data']}. Best of {report['repeats']} interleaved runs; "
            f"peak = tracemalloc peak of one run (numpy/pandas buffers). "
            f"Load average before/after the run: {report['load_average_before']} / {report['load_average_after']} "
            f"on {report['machine']['cpu_count']} cores (the machine is shared)."
        ),
        "",
        "BLAS: "
        + "; ".join(
            f"{d['internal_api']} {d['version']} ({d['num_threads']} threads, {d['threading_layer']}, "
            f"{Path(d['filepath']).name})"
            for d in report["blas_threadpools"]
        ),
        "",
        "| n | klaster s | numpy same algebra s | numpy textbook s | pymrio s | klaster / numpy same | klaster / numpy textbook | klaster / pymrio | peak MB klaster / numpy same / textbook / pymrio | max abs diff vs klaster (numpy same / textbook / pymrio) |",  # noqa: E501 (a markdown table row)
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for e in report["sizes"]:
        imp = e["implementations"]
        diffs = " / ".join(
            f"{max(imp[k]['max_abs_diff_vs_klaster'].values()):.1e}"
            for k in ("numpy_same_algebra", "numpy_textbook", "pymrio")
        )
        peaks = " / ".join(f"{imp[k]['traced_peak_mb']:.0f}" for k in IMPLEMENTATIONS)
        lines.append(
            f"| {e['n']} | {imp['klaster']['best_s']:.3f} | {imp['numpy_same_algebra']['best_s']:.3f} | "
            f"{imp['numpy_textbook']['best_s']:.3f} | {imp['pymrio']['best_s']:.3f} | "
            f"{e['klaster_over_numpy_same_algebra']:.2f} | {e['klaster_over_numpy_textbook']:.2f} | "
            f"{e['klaster_over_pymrio']:.2f} | {peaks} | {diffs} |"
        )
    routes = [e for e in report["sizes"] if "warehouse_route" in e]
    if routes:
        lines += [
            "",
            "Warehouse route (as fct_technical_coefficients + fct_leontief_inverse do it, in-memory DuckDB):",
            "",
            "| n | rows of L | SQL coefficients s | fetch as positions s | scatter to dense s | inverse s | positions to codes + insert s | total s |",  # noqa: E501 (a markdown table row)
            "|---|---|---|---|---|---|---|---|",
        ]
        for e in routes:
            w = e["warehouse_route"]
            lines.append(
                f"| {e['n']} | {w['rows']} | {w['sql_coefficients_s']:.3f} | {w['fetch_positions_s']:.3f} | "
                f"{w['scatter_to_dense_s']:.3f} | {w['inverse_s']:.3f} | {w['positions_to_codes_and_insert_s']:.3f} | "
                f"{w['total_s']:.3f} |"
            )
    lines += ["", f"Process max RSS: {report['process_max_rss_mb']:.0f} MB.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
