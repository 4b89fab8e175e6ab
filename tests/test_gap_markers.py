"""One list of gap markers for the whole project (dbt_project.yml vars), read
by the Python loaders and the dbt macros alike."""

from __future__ import annotations

from dagster_project import settings
from dagster_project.ingestion.manifest import load_all_manifests
from dagster_project.ingestion.numbers import DEFAULT_GAP_MARKERS, parse_number
from dagster_project.reports.dbt_vars import dbt_vars


def test_python_reads_the_dbt_projects_list() -> None:
    assert DEFAULT_GAP_MARKERS == tuple(dbt_vars()["gap_markers"])
    assert {"-", "х", "x", "…"} <= set(DEFAULT_GAP_MARKERS)  # the BNS symbols


def test_every_manifest_declares_only_markers_of_the_list() -> None:
    for entry in load_all_manifests(settings.dataset_dirs()):
        assert set(entry.gap_markers) <= set(DEFAULT_GAP_MARKERS), entry.relative_path


def test_markers_are_gaps_not_zeros() -> None:
    for marker in DEFAULT_GAP_MARKERS:
        parsed = parse_number(f" {marker} ")
        assert parsed.value is None and parsed.gap_marker == marker


def test_the_dbt_macro_renders_the_same_list() -> None:
    macro = (settings.DBT_PROJECT_DIR / "macros" / "published_numbers.sql").read_text(encoding="utf-8")
    assert "var('gap_markers')" in macro and "'х'" not in macro  # no second, hand-kept list
