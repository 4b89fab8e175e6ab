"""Raw files -> ``raw`` schema: one asset per manifest entry, with the Great
Expectations suites of the published seed tables as its asset checks, and the
trilingual labels of each dataset that declares them."""

import dagster as dg

from dagster_project import settings
from dagster_project.defs.ingestion.assets import build_raw_table_assets
from dagster_project.defs.ingestion.labels_asset import build_labels_asset
from dagster_project.ingestion.manifest import load_all_manifests

_generic = [e for e in load_all_manifests(settings.dataset_dirs()) if e.loader == "generic"]
_labelled = sorted({e.dataset for e in _generic if e.extra.get("labels")})

defs = dg.Definitions(
    assets=[
        *build_raw_table_assets(_generic),
        *(build_labels_asset(d, [e for e in _generic if e.dataset == d]) for d in _labelled),
    ]
)
