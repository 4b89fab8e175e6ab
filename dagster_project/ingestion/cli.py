"""Load raw datasets (generic CSVs and BNS workbooks) without Dagster, for
developing dbt models by hand and for tests that build a few marts:

    python -m dagster_project.ingestion.cli load [--dataset NAME ...]

writes into the build warehouse derived from ``$KLASTER_WAREHOUSE``.
"""

from __future__ import annotations

import argparse
import sys

import duckdb

from dagster_project import settings
from dagster_project.ingestion.bns import layouts as bns_layouts
from dagster_project.ingestion.bns.writer import write_result
from dagster_project.ingestion.errors import RawFileError
from dagster_project.ingestion.manifest import load_all_manifests
from dagster_project.ingestion.raw_writer import replace_raw_table
from dagster_project.ingestion.text_table import read_text_table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="klaster-ingest", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    load = sub.add_parser("load", help="load the generic and BNS-workbook entries of raw datasets")
    load.add_argument("--dataset", action="append", help="dataset folder name (default: all)")
    args = parser.parse_args(argv)

    dirs = [d for d in settings.dataset_dirs() if not args.dataset or d.name in args.dataset]
    entries = [e for e in load_all_manifests(dirs) if e.loader in ("generic", bns_layouts.LOADER)]
    target = settings.build_warehouse_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    context = bns_layouts.ReaderContext.from_settings()
    with duckdb.connect(str(target)) as connection:
        for entry in entries:
            try:
                if entry.loader == bns_layouts.LOADER:
                    rows = write_result(connection, bns_layouts.read_release(entry, context))
                else:
                    rows = replace_raw_table(connection, entry, read_text_table(entry))
            except RawFileError as exc:
                print(f"refused: {exc}", file=sys.stderr)
                return 1
            print(f"raw.{entry.raw_table}: {rows} rows from {entry.relative_path}")
    print(f"warehouse (build): {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
