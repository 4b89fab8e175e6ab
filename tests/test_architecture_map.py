"""docs/ARCHITECTURE.md is the map a newcomer reads first: every package of
the code location and every dbt model folder must be on it, so a new concern
cannot land without its place in the map."""

from __future__ import annotations

import pkgutil
import re

import dagster_project
import dagster_project.defs
from dagster_project import settings

MAP = (settings.PROJECT_ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")


def _packages(package) -> list[str]:
    return sorted(info.name for info in pkgutil.iter_modules(package.__path__) if info.ispkg)


def test_every_defs_package_is_on_the_map() -> None:
    missing = [name for name in _packages(dagster_project.defs) if f"defs/{name}/" not in MAP]
    assert not missing, f"defs packages missing from docs/ARCHITECTURE.md: {missing}"


def test_every_top_level_package_is_on_the_map() -> None:
    missing = [
        name for name in _packages(dagster_project) if f"dagster_project/{name}/" not in MAP
    ]
    assert not missing, f"packages missing from docs/ARCHITECTURE.md: {missing}"


def test_every_dbt_model_folder_is_on_the_map() -> None:
    models = settings.DBT_PROJECT_DIR / "models"
    folders = sorted(
        str(p.relative_to(models)) for p in models.glob("*/*") if p.is_dir()
    )
    missing = [f for f in folders if f"{f}/" not in MAP]
    assert not missing, f"dbt model folders missing from docs/ARCHITECTURE.md: {missing}"


def test_the_map_names_no_package_that_does_not_exist() -> None:
    named = set(re.findall(r"defs/([a-z_]+)/", MAP))
    existing = set(_packages(dagster_project.defs))
    assert named, "the map names no defs package at all"
    assert named <= existing, f"the map names defs packages that do not exist: {sorted(named - existing)}"
