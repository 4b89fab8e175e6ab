"""The cluster report as the last analytical asset of a refresh.

It reads the build warehouse (the refresh's working file) after the marts are
built and before the publish step, and writes
``<folder of the published warehouse>/reports/<language>/``. It depends on the
marts it reads that exist in the dbt manifest when Dagster loads, so a mart
another part of the project has not written yet is simply not a dependency
(and its section of the report says "not built yet")."""

import json

import dagster as dg

from dagster_project.defs.transform.project import klaster_dbt_project
from dagster_project.reports.build import TABLES_READ, build_report, report_directory
from dagster_project.reports.language import LANGUAGE_ENV_VAR, report_language
from dagster_project.resources import WarehouseResource

CLUSTER_REPORT = dg.AssetKey(["reports", "cluster_report"])
CHECK_RESULTS = dg.AssetKey(["quality", "check_results"])


def _mart_models_in_manifest() -> set[str]:
    manifest = json.loads(klaster_dbt_project.manifest_path.read_text(encoding="utf-8"))
    return {
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and len(node["fqn"]) > 2 and node["fqn"][1] == "marts"
    }


def report_dependencies() -> list[dg.AssetKey]:
    marts = _mart_models_in_manifest()
    keys = [CHECK_RESULTS]
    for table in TABLES_READ:
        schema, name = table.split(".", 1)
        if schema == "marts" and name in marts:
            keys.append(dg.AssetKey(["marts", name]))
    return keys


class ReportConfig(dg.Config):
    language: str = ""  # kk, ru or en; empty: the KLASTER_LANGUAGE setting, else en


@dg.asset(
    key=CLUSTER_REPORT,
    deps=report_dependencies(),
    group_name="reports",
    kinds={"html", "plotly"},
    description=(
        "The cluster report an analyst opens in a browser, no server needed: which published "
        "figures failed validation and by how much; cluster bubble charts (location quotient "
        "against employment growth, bubble = employment) for every region of the regional panels; "
        "multipliers as bar charts (East Kazakhstan as published, other economies computed); "
        "the cluster-template loadings as heatmaps. Every chart names its economy: Kazakhstan "
        "appears only through its published figures. Written with one PNG per chart to "
        f"data/warehouse/reports/<language>/; language from {LANGUAGE_ENV_VAR} (kk, ru, en)."
    ),
)
def cluster_report(context: dg.AssetExecutionContext, config: ReportConfig,
                   warehouse: WarehouseResource) -> dg.MaterializeResult:
    language = report_language(config.language or None)
    out_dir = report_directory(warehouse.published, language)
    with warehouse.connect() as connection:
        result = build_report(connection, out_dir, language, str(warehouse.published))
    for section in result.sections:
        context.log.info(f"{section.key}: {section.status}, {len(section.pngs)} PNG")
    if result.tables_missing:
        context.log.warning(f"not built yet: {', '.join(result.tables_missing)}")
    return dg.MaterializeResult(
        metadata={
            "report": dg.MetadataValue.path(str(result.html_path)),
            "language": language,
            "sections": dg.MetadataValue.json(
                {s.key: {"status": s.status, "pngs": len(s.pngs)} for s in result.sections}),
            "pngs": dg.MetadataValue.json([p.name for p in result.pngs]),
            "tables_not_built_yet": dg.MetadataValue.json(result.tables_missing),
            "tables_read": dg.MetadataValue.json(result.tables_read),
        }
    )


defs = dg.Definitions(assets=[cluster_report])
