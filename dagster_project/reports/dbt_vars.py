"""The project-wide method parameters the report draws as reference lines, read
from the one place they are set (``vars`` of ``dbt/dbt_project.yml``), so a
chart never shows a threshold other than the one the marts were built with."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from dagster_project import settings


@lru_cache(maxsize=4)
def dbt_vars(project_file: Path = settings.DBT_PROJECT_DIR / "dbt_project.yml") -> dict:
    document = yaml.safe_load(project_file.read_text(encoding="utf-8")) or {}
    return dict(document.get("vars") or {})


def dbt_var(name: str) -> float:
    values = dbt_vars()
    if name not in values:
        raise KeyError(f"dbt var {name!r} is not set in {settings.DBT_PROJECT_DIR / 'dbt_project.yml'}")
    return float(values[name])
