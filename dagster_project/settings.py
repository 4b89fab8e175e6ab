"""Where things live. One environment variable, ``KLASTER_WAREHOUSE``, names the
published warehouse file; everything else is derived from it so that Dagster,
the dbt profile and the analysts' tools can never disagree about the path."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt"

# Where releases are dropped. Overridable so a refresh can be rehearsed on a
# copy (the tests corrupt files in such a copy); read once at import.
RAW_DIR_ENV_VAR = "KLASTER_RAW_DIR"
RAW_DIR = Path(os.environ.get(RAW_DIR_ENV_VAR) or PROJECT_ROOT / "data" / "raw").resolve()

WAREHOUSE_ENV_VAR = "KLASTER_WAREHOUSE"
DEFAULT_WAREHOUSE = PROJECT_ROOT / "data" / "warehouse" / "klaster.duckdb"

# The refresh writes into this file beside the published one and only a
# validated build is copied over the published file (see defs/publish).
BUILD_SUFFIX = ".build"


def published_warehouse_path() -> Path:
    """The warehouse analysts read: ``$KLASTER_WAREHOUSE`` or the default."""
    configured = os.environ.get(WAREHOUSE_ENV_VAR)
    return Path(configured).resolve() if configured else DEFAULT_WAREHOUSE


def build_warehouse_path(published: Path | None = None) -> Path:
    """The working file a refresh writes into (``<published>.build``)."""
    published = published or published_warehouse_path()
    return published.with_name(published.name + BUILD_SUFFIX)


def dataset_dirs() -> list[Path]:
    """Every raw dataset folder that carries a manifest."""
    return sorted(p.parent for p in RAW_DIR.glob("*/manifest.yml"))
