"""The cluster report as the last analytical asset of a refresh.

It reads the build warehouse (the refresh's working file) after the marts are
built and before the publish step, and writes
``<folder of the published warehouse>/reports/<language>/``. It depends on
every mart it reads; a warehouse lacking a table it reads fails the asset with
an error naming the tables (and so the publish step does not run)."""

import dagster as dg

from dagster_project.reports.build import TABLES_READ, build_report, report_directory
from dagster_project.reports.language import LANGUAGE_ENV_VAR, report_language
from dagster_project.reports.warehouse_tables import MissingTablesError
from dagster_project.resources import WarehouseResource

CLUSTER_REPORT = dg.AssetKey(["reports", "cluster_report"])
CHECK_RESULTS = dg.AssetKey(["quality", "check_results"])


def report_dependencies() -> list[dg.AssetKey]:
    """quality/check_results and the marts the report reads (the dbt assets are
    keyed [layer, model])."""
    marts = [table.split(".", 1)[1] for table in TABLES_READ if table.startswith("marts.")]
    return [CHECK_RESULTS, *(dg.AssetKey(["marts", name]) for name in marts)]


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
        try:
            result = build_report(connection, out_dir, language, str(warehouse.published))
        except MissingTablesError as exc:
            raise dg.Failure(description=f"{exc} (read from the refresh's build file {warehouse.build})") from exc
    for section in result.sections:
        context.log.info(f"{section.key}: {section.status}, {len(section.pngs)} PNG")
    return dg.MaterializeResult(
        metadata={
            "report": dg.MetadataValue.path(str(result.html_path)),
            "language": language,
            "sections": dg.MetadataValue.json(
                {s.key: {"status": s.status, "pngs": len(s.pngs)} for s in result.sections}),
            "pngs": dg.MetadataValue.json([p.name for p in result.pngs]),
            "tables_read": dg.MetadataValue.json(result.tables_read),
        }
    )


defs = dg.Definitions(assets=[cluster_report])
