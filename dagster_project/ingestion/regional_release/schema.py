"""What the regional-release loader produces: its loader name, the measures
and layouts it knows, and the columns and key of ``raw.regional_observations``.
(Its quarantined records go to the shared ``quality.rejected_rows``, defined
in :mod:`dagster_project.ingestion.warehouse_writes`.)"""

from __future__ import annotations

LOADER = "regional_release"
MEASURES = ("employment", "gva", "firms")
LAYOUTS = ("long", "wide")

OBSERVATIONS_TABLE = "raw.regional_observations"

OBSERVATION_COLUMNS = {
    "economy_code": "VARCHAR",
    "classification": "VARCHAR",
    "year": "INTEGER",
    "region_code": "VARCHAR",
    "industry_code": "VARCHAR",
    "measure": "VARCHAR",
    "value": "DOUBLE",
    "gap_marker": "VARCHAR",
    "unit": "VARCHAR",
    "source_region": "VARCHAR",
    "source_industry": "VARCHAR",
    "_source_file": "VARCHAR",
    "_source_sha256": "VARCHAR",
    "_source_row": "BIGINT",
    "_loaded_at": "TIMESTAMP",
}
OBSERVATION_KEY = [
    "economy_code",
    "classification",
    "year",
    "region_code",
    "industry_code",
    "measure",
]

# Measures that count persons or firms: a negative value is a misprint, never data
# (value added, by contrast, can be negative in a loss-making industry).
COUNT_MEASURES = frozenset({"employment", "firms"})

# One cell as read: text from a CSV or an XLSX string cell, a float from an XLSX number cell.
Cell = str | float | None
