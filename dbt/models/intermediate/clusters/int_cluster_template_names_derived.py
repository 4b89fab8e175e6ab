"""Names of every template (computed and published) in kk/ru/en, composed from
the themes of its strongest members (dagster_project.methods.cluster_templates
.name_templates); the words are data in data/raw/cluster_labels/."""

import pandas as pd

from dagster_project.methods.cluster_templates import TemplateInputError, name_templates


def model(dbt, session):
    dbt.config(materialized="table")
    templates = dbt.ref("int_cluster_templates_unioned").df()
    themes = dbt.ref("stg_cluster_labels__themes").df()
    themes = themes.set_index("theme_code").rename(columns={"theme_position": "position"})
    conjunction_rows = dbt.ref("stg_cluster_labels__name_conjunctions").df()
    conjunctions = dict(conjunction_rows[["language", "conjunction"]].values)
    industry_themes = dbt.ref("stg_cluster_labels__io_industry_themes").df()
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
                f"(data/raw/cluster_labels/io_industry_themes.csv): {exc}"
            ) from exc
        names = names.rename(columns={"template": "template_number"})
        names.insert(0, "table_id", table_id)
        parts.append(names)
    return pd.concat(parts, ignore_index=True)
