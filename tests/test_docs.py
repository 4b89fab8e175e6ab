"""`make docs` documents the published warehouse without locking analysts out:
dbt reads its catalog through a read-only attachment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb

from dagster_project import settings


def test_docs_catalog_is_read_while_an_analyst_holds_the_warehouse(refreshed: dict, tmp_path: Path) -> None:
    assert refreshed["result"].returncode == 0
    dbt = Path(sys.executable).parent / "dbt"
    # An analyst's session in this process holds the published file open.
    with duckdb.connect(str(refreshed["published"]), read_only=True) as analyst:
        result = subprocess.run(
            [str(dbt), "docs", "generate", "--profiles-dir", ".", "--target", "docs", "--static",
             "--target-path", str(tmp_path / "target")],
            cwd=settings.DBT_PROJECT_DIR,
            env={**os.environ, **refreshed["env"]},
            capture_output=True,
            text=True,
            check=False,
        )
        lq_rows = analyst.execute("select count(*) from marts.fct_location_quotients").fetchone()[0]
    assert result.returncode == 0, result.stdout[-3000:]
    catalog = json.loads((tmp_path / "target" / "catalog.json").read_text(encoding="utf-8"))
    lq = catalog["nodes"]["model.klaster.fct_location_quotients"]
    assert lq["metadata"]["schema"] == "marts"
    assert {"lq", "lq_class", "region_code"} <= set(lq["columns"])
    assert lq_rows > 0
    assert (tmp_path / "target" / "static_index.html").exists()
