"""The registry of BNS layouts: layout name (the manifest's ``layout:``) ->
the module that reads it.

Each layout module exposes
  ``COLUMNS``: the schema of its fact table (``release.OBSERVATION_COLUMNS`` or
  ``release.IO_CELL_COLUMNS``),
  ``read(entry, workbook, context) -> LayoutResult``: the pure reader, and
  ``CHECKS``: the ``quality.release_checks.ReleaseCheck`` its definitions imply.
Modules are imported when a release of their layout is read, so a layout that
no manifest uses costs nothing at start-up.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cached_property
from types import ModuleType

from dagster_project import settings
from dagster_project.ingestion.bns.regions import RegionResolver
from dagster_project.ingestion.bns.release import LayoutResult
from dagster_project.ingestion.errors import RawFileError
from dagster_project.ingestion.frames import FrameCatalog
from dagster_project.ingestion.manifest import ManifestEntry, load_all_manifests
from dagster_project.ingestion.workbook import open_workbook

LOADER = "bns_workbook"

LAYOUTS: dict[str, str] = {
    # years in blocks, quarters and year; regions across and activities down, or
    # regions down (both employment files)
    "bns_dynamic_table": "dagster_project.ingestion.bns.dynamic_table",
    # symmetric input-output workbook: supply, use (purchasers', basic), margins,
    # net taxes, imported and domestic use, direct and total cost ratios
    "bns_input_output_workbook": "dagster_project.ingestion.bns.io_workbook",
    # supply and use tables, products x industries, same sheet structure
    "bns_supply_use_workbook": "dagster_project.ingestion.bns.io_workbook",
    # GDP by activity, three classification periods, quarterly-cumulative columns
    "bns_gdp_by_activity": "dagster_project.ingestion.bns.gdp_by_activity",
    # one series by region (GRP, population): regions down, years / periods across
    "bns_regional_series": "dagster_project.ingestion.bns.regional_series",
    # labour productivity by region x activity and its indices
    "bns_labour_productivity": "dagster_project.ingestion.bns.labour_productivity",
}

# The frame tables every BNS reader resolves against (declared as asset deps).
FRAME_TABLES = ("kz_frame_kato_regions", "kz_frame_total_labels", "kz_frame_oked_sections")


def layout_module(entry: ManifestEntry) -> ModuleType:
    layout = entry.extra.get("layout")
    if layout not in LAYOUTS:
        raise RawFileError(
            entry.relative_path, f"layout {layout!r} is not one of {sorted(LAYOUTS)} (loader {LOADER})"
        )
    return importlib.import_module(LAYOUTS[layout])


@dataclass
class ReaderContext:
    """What readers resolve labels against, built once per refresh."""

    catalog: FrameCatalog

    @classmethod
    def from_settings(cls) -> ReaderContext:
        return cls(FrameCatalog.from_dataset_dirs(settings.dataset_dirs()))

    @cached_property
    def regions(self) -> RegionResolver:
        return RegionResolver.from_catalog(self.catalog)


def release_entries(dataset_dirs=None) -> list[ManifestEntry]:
    """Every manifest entry read by this loader."""
    entries = load_all_manifests(dataset_dirs if dataset_dirs is not None else settings.dataset_dirs())
    return [e for e in entries if e.loader == LOADER]


def read_release(entry: ManifestEntry, context: ReaderContext) -> LayoutResult:
    """Verify the file (checksum, real format) and read it in its layout."""
    module = layout_module(entry)
    workbook = open_workbook(entry.path, entry.relative_path, entry.sha256)
    return module.read(entry, workbook, context)
