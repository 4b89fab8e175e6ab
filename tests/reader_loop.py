"""An analyst's process for the concurrency test: query the published marts
read-only in a loop until told to stop, and record every answer and error.

    python tests/reader_loop.py <published.duckdb> <stop-file> <result.json>
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb

QUERIES = {
    "indicator_rows": "select count(*) from marts.fct_published_indicators",
    "indicator_sum": "select round(sum(published_value), 6) from marts.fct_published_indicators",
    "failed_checks": "select count(*) from quality.check_results where not passed",
    "mart_tables": "select count(*) from information_schema.tables where table_schema = 'marts'",
    # the yearly-partitioned regional fact, every year of it
    "lq_rows_by_year": "select list(n order by year) from (select year, count(*) as n"
    " from marts.fct_location_quotients group by year)",
    "lq_sum": "select round(sum(lq), 6) from marts.fct_location_quotients",
}


def main(published: str, stop_file: str, result_file: str) -> None:
    answers: dict[str, list] = {name: [] for name in QUERIES}
    errors: list[str] = []
    queries = 0
    deadline = time.monotonic() + 1800  # a stuck refresh must not keep readers forever
    while not Path(stop_file).exists() and time.monotonic() < deadline:
        try:
            with duckdb.connect(published, read_only=True) as connection:
                for name, sql in QUERIES.items():
                    value = connection.execute(sql).fetchone()[0]
                    if value not in answers[name]:
                        answers[name].append(value)
                    queries += 1
        except Exception as exc:  # every failure is what the test counts
            errors.append(f"{type(exc).__name__}: {exc}")
        # An analyst queries often, not in a busy loop: the readers share two
        # cores with the refresh they are watching (a round costs ~60 ms of CPU;
        # at 50 ms apart four readers took more than a core from the refresh).
        time.sleep(0.25)
    Path(result_file).write_text(json.dumps({"queries": queries, "errors": errors, "answers": answers}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
