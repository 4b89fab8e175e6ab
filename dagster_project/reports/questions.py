"""Ask the warehouse: the questions an analyst asks, each one SQL query, and
a page (``docs/ask_the_warehouse.md``) with their real output. Kazakhstan's
own statistics come first (BNS employment by oblast and ОКЭД section); the
other economies follow as references, each under its own name.

    python -m dagster_project.reports.questions [--language kk|ru|en] [--warehouse FILE] [--out FILE]

The language setting picks the label columns of the queries (``label_kk``,
``name_ru``, ...) and the words of the page. The queries are fixed text; the
only thing put into them is the language code, checked against kk/ru/en."""

from __future__ import annotations

import argparse
import math
import re
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from dagster_project import settings
from dagster_project.reports.captions import Captions
from dagster_project.reports.dbt_vars import dbt_var
from dagster_project.reports.language import LANGUAGES, report_language
from dagster_project.reports.sections.base import fixed


@dataclass(frozen=True)
class Question:
    key: str  # the question's entry in captions.yml (questions group)
    sql: str  # {lang} is the only placeholder


QUESTIONS = (
    # Comparable units (Abai + East Kazakhstan, Zhetisu + Almaty oblast, Ulytau +
    # Karaganda, Turkestan + Shymkent) cover one territory from 2010 to the
    # latest year, so "since 2010" compares like with like.
    Question("kz_mining_specialisation", """
with units as (
    select units.comparable_unit_code,
           string_agg(coalesce(regions.name_{lang}, regions.name_en), ' + '
                      order by regions.region_code) as territory
    from marts.dim_region_comparable_unit as units
    join marts.dim_region as regions
        on regions.economy_code = units.economy_code
        and regions.comparable_unit_code = units.comparable_unit_code
        and regions.last_year is null
    where units.economy_code = 'KZ'
    group by all
),
lq as (
    select * from marts.fct_comparable_unit_location_quotients
    where economy_code = 'KZ' and measure = 'employment' and industry_code = 'B'
)
select units.territory,
       round(first.lq, 2) as lq_2010,
       round(last.lq, 2) as lq_latest,
       last.year as latest_year,
       last.lq_class,
       first.value as employment_2010,
       last.value as employment_latest,
       last.unit
from lq as last
join lq as first
    on first.region_code = last.region_code and first.year = 2010
join units on units.comparable_unit_code = last.region_code
where last.year = (select max(year) from lq)
    and greatest(first.lq, last.lq) >= 1
order by last.lq desc
"""),
    Question("kz_east_kazakhstan_drivers", """
select drivers.unit_basis,
       drivers.region_code,
       coalesce(industries.label_{lang}, industries.label_en) as industry,
       round(drivers.lq, 2) as lq,
       round(drivers.employment_share, 3) as employment_share,
       round(drivers.growth_rate, 2) as growth_since_base_year,
       drivers.base_year,
       drivers.year,
       round(drivers.posterior_competitive, 2) as posterior_competitive
from marts.fct_driver_industries as drivers
join marts.dim_industry as industries using (economy_code, classification, industry_code)
where drivers.economy_code = 'KZ'
    and drivers.region_code in ('630000000', 'cu_10_63')
    and drivers.is_driver_candidate
order by drivers.unit_basis desc, drivers.lq desc
"""),
    Question("kz_mining_metallurgy_stars", """
select clusters.name_{lang} as template,
       clusters.template_source,
       clusters.table_id,
       coalesce(regions.name_{lang}, regions.name_en) as region,
       scored.panel_industry_codes as sections,
       round(scored.share_of_region, 3) as share_of_region,
       round(scored.cluster_lq, 2) as cluster_lq,
       scored.size_star,
       scored.specialisation_star,
       scored.focus_star,
       scored.stars
from marts.fct_regional_clusters as scored
join marts.dim_cluster as clusters using (cluster_id)
join marts.dim_region as regions
    on regions.economy_code = scored.economy_code and regions.region_code = scored.region_code
where scored.economy_code = 'KZ'
    and scored.measure = 'employment'
    and scored.year = (select max(year) from marts.fct_regional_clusters where economy_code = 'KZ')
    and clusters.economy_code = 'KZ'
    and list_contains(string_split(clusters.theme_codes, ','), 'metallurgy')
    and scored.stars > 0
order by clusters.template_source desc, clusters.cluster_id, scored.stars desc, scored.cluster_lq desc
"""),
    Question("kz_mining_value_added", """
select coalesce(regions.name_{lang}, regions.name_en) as region,
       round(va.lq_gva, 2) as lq_value_added,
       round(va.lq_employment, 2) as lq_employment,
       round(va.productivity_ratio, 2) as productivity_ratio,
       round(va.gva_derived) as value_added_derived,
       va.gva_unit,
       va.period,
       va.year
from marts.fct_value_added_location_quotients as va
join marts.dim_region as regions
    on regions.economy_code = va.economy_code and regions.region_code = va.region_code
where va.economy_code = 'KZ'
    and va.industry_code = 'B'
    and greatest(va.lq_gva, va.lq_employment) >= 1
order by va.lq_gva desc
"""),
    Question("failed_figures", """
select label_{lang} as indicator, value_column, published_value, suggested_value,
       array_to_string(failed_checks, ', ') as failed_checks
from marts.fct_published_indicators
where validation_status = 'failed'
order by table_id, entity_code, value_column
"""),
    Question("metal_ore_multiplier", """
select label_{lang} as industry, value_column as multiplier, published_value
from marts.fct_published_indicators
where table_id = 's003_t3' and entity_code = 'metal_ore_mining'
order by list_position(
    ['output_multiplier', 'value_added_multiplier', 'household_income_multiplier'], value_column)
"""),
    Question("mining_metallurgy_template", """
select clusters.name_{lang} as template,
       labels.label_{lang} as industry,
       round(templates.loading, 2) as loading,
       templates.role
from marts.fct_cluster_templates as templates
join marts.dim_cluster as clusters using (cluster_id)
left join (
    select distinct entity_code, label_{lang}
    from marts.fct_published_indicators
    where table_id = 's003_t2'
) as labels on labels.entity_code = templates.industry_code
where templates.economy_code = 'KZ'
    and clusters.theme_codes = 'mining,metallurgy'
    and templates.role <> 'not_member'
order by templates.abs_loading desc
"""),
    Question("specialised_regions", """
select coalesce(regions.name_{lang}, regions.name_en) as region,
       round(lq.lq, 2) as lq,
       lq.lq_class,
       lq.value as employment,
       lq.unit
from marts.fct_location_quotients as lq
join marts.dim_region as regions using (economy_code, region_code)
where lq.economy_code = 'DE'
    and lq.classification = 'WZ2008_SECTION'
    and lq.measure = 'employment'
    and lq.year = 2015
    and lq.industry_code = 'C'
    and lq.lq >= 1
order by lq.lq desc
"""),
    Question("key_sectors", """
select industries.industry_label as industry,
       round(linkages.backward_linkage, 3) as backward_linkage,
       round(linkages.forward_linkage, 3) as forward_linkage
from marts.fct_linkages as linkages
join marts.dim_io_industry as industries using (table_id, industry_code)
where linkages.table_id = 'us_2021_15' and linkages.is_key_sector
order by linkages.backward_linkage desc
"""),
)


_ENGLISH_FALLBACK = re.compile(r"coalesce\((\w+\.name_en), \1\)")


def query_text(question: Question, language: str) -> str:
    """The query as an analyst would type it in that language (in English the
    fallback to English names is a no-op and is left out)."""
    sql = question.sql.strip().format(lang=report_language(language))
    return _ENGLISH_FALLBACK.sub(r"\1", sql)


def _cell(value: object) -> object:
    """Numbers as stored (no rounding beyond the query's), gaps as empty cells."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.10g}"
    return value


def answer(connection: duckdb.DuckDBPyConnection, question: Question, language: str,
           ) -> pd.DataFrame:
    return connection.execute(query_text(question, language)).df()


def render_markdown(connection: duckdb.DuckDBPyConnection, language: str, warehouse: str,
                    command: str) -> str:
    captions = Captions.load(report_language(language))
    built_at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
    lines = [
        f"# {captions.question('title')}", "",
        captions.question("intro"), "",
        f"_{captions.question('generated').format(command=command, warehouse=warehouse, built_at=built_at)}_",
        "",
    ]
    # Thresholds in the notes are the ones the marts were built with (dbt vars).
    thresholds = {
        "cutoff": fixed(dbt_var("template_loading_cutoff"), captions.language, 2),
        "specialised": fixed(dbt_var("lq_specialised_threshold"), captions.language, 2),
        "star": fixed(dbt_var("lq_star_threshold"), captions.language, 1),
    }
    for number, question in enumerate(QUESTIONS, start=1):
        frame = answer(connection, question, language)
        table = frame.astype(object).map(_cell) if not frame.empty else frame
        lines += [
            f"## {number}. {captions.question(question.key)}", "",
            captions.question(f"{question.key}_note").format(**thresholds), "",
            "```sql", query_text(question, language), "```", "",
            table.to_markdown(index=False, disable_numparse=True) if not frame.empty
            else "(0 rows)", "",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dagster_project.reports.questions",
                                     description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--language", choices=LANGUAGES, default=None,
                        help="default: $KLASTER_LANGUAGE, else en")
    parser.add_argument("--warehouse", type=Path, default=None,
                        help="default: the published warehouse ($KLASTER_WAREHOUSE)")
    parser.add_argument("--out", type=Path, default=None, help="default: standard output")
    args = parser.parse_args(argv)
    language = report_language(args.language)
    warehouse = (args.warehouse or settings.published_warehouse_path()).resolve()
    if not warehouse.exists():
        print(f"No warehouse at {warehouse}: run `make run` first.", file=sys.stderr)
        return 1
    command = f"python -m dagster_project.reports.questions --language {language}"
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        page = render_markdown(connection, language, warehouse.name, command)
    if args.out:
        args.out.write_text(page, encoding="utf-8")
    else:
        sys.stdout.write(page)
    return 0


if __name__ == "__main__":
    sys.exit(main())
