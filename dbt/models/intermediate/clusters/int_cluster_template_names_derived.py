"""Names of every template (computed and published) in kk/ru/en, composed from
the themes of its strongest members (dagster_project.methods.cluster_templates
.name_templates); the words are data in data/raw/cluster_labels/. Kazakhstan's
BNS tables take their industries' themes from the frame's BNS crosswalk
(data/raw/kazakhstan_frame/bns_io_oked_crosswalk.csv): products for the
product-by-product tables, industries for the table derived from supply and use."""

import pandas as pd

from dagster_project.methods.cluster_templates import TemplateInputError, name_templates

# Which BNS classification a Kazakhstan table's industries are in, by table kind.
KZ_CLASSIFICATION = {"symmetric": "BNS_IO_PRODUCT", "supply_use": "BNS_SUT_INDUSTRY"}


def _kazakhstan_themes(register: pd.DataFrame, crosswalk: pd.DataFrame) -> pd.DataFrame:
    """(table_id, industry_code, theme_code) of every BNS table of the register."""
    kz = register[register["economy_code"] == "KZ"][["table_id", "table_kind"]]
    kz = kz.assign(classification=kz["table_kind"].map(KZ_CLASSIFICATION))
    themes = kz.merge(crosswalk, on="classification")
    return themes.rename(columns={"code": "industry_code"})[["table_id", "industry_code", "theme_code"]]


def model(dbt, session):
    dbt.config(materialized="table")
    templates = dbt.ref("int_cluster_templates_unioned").df()
    themes = dbt.ref("stg_cluster_labels__themes").df()
    themes = themes.set_index("theme_code").rename(columns={"theme_position": "position"})
    conjunction_rows = dbt.ref("stg_cluster_labels__name_conjunctions").df()
    conjunctions = dict(conjunction_rows[["language", "conjunction"]].values)
    industry_themes = pd.concat(
        [
            dbt.ref("stg_cluster_labels__io_industry_themes").df(),
            _kazakhstan_themes(
                dbt.ref("stg_io__tables").df(),
                dbt.ref("stg_kazakhstan_frame__bns_io_oked_crosswalk").df(),
            ),
        ],
        ignore_index=True,
    )
    parts = []
    for table_id, members in templates.groupby("table_id", sort=True):
        mapping = industry_themes[industry_themes["table_id"] == table_id]
        try:
            names = name_templates(
                members.rename(columns={"template_number": "template"}),
                dict(mapping[["industry_code", "theme_code"]].values),
                themes,
                conjunctions,
            )
        except TemplateInputError as exc:
            raise TemplateInputError(
                f"naming templates of table {table_id!r} "
                "(data/raw/cluster_labels/io_industry_themes.csv or, for Kazakhstan, "
                f"data/raw/kazakhstan_frame/bns_io_oked_crosswalk.csv): {exc}"
            ) from exc
        names = names.rename(columns={"template": "template_number"})
        names.insert(0, "table_id", table_id)
        parts.append(names)
    return pd.concat(parts, ignore_index=True)
