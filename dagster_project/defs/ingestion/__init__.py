"""Raw files -> ``raw`` schema: one asset per manifest entry, with the Great
Expectations suites of the published seed tables as its asset checks, and the
trilingual labels of each dataset that declares them."""

import dagster as dg

from dagster_project import settings
from dagster_project.defs.ingestion.assets import build_raw_table_assets
from dagster_project.defs.ingestion.labels_asset import build_labels_asset
from dagster_project.ingestion.manifest import load_all_manifests
from dagster_project.quality.seed_table_suites import SUITES

_generic = [e for e in load_all_manifests(settings.dataset_dirs()) if e.loader == "generic"]
_labelled = sorted({e.dataset for e in _generic if e.extra.get("labels")})

# quality.check_results is written by the validated raw assets themselves (each
# replaces its own table's rows), so it is declared here, downstream of them, for
# the lineage the dbt models that read it need.
check_results = dg.AssetSpec(
    ["quality", "check_results"],
    deps=[dg.AssetKey(["raw", e.raw_table]) for e in _generic if e.raw_table in SUITES],
    group_name="quality",
    description="Every validation outcome of the published seed tables (observed, expected, "
    "deviation, tolerance, verdict, suggested correction), written when each table is loaded.",
    kinds={"duckdb"},
)

defs = dg.Definitions(
    assets=[
        *build_raw_table_assets(_generic),
        *(build_labels_asset(d, [e for e in _generic if e.dataset == d]) for d in _labelled),
        check_results,
    ]
)
