"""Kazakhstan's oblasts on the map, latest year of the BNS employment panel:
the LQ of an activity (mining and quarrying, section B, by default), the stars
of seed 003's mining-metallurgical cluster, and each oblast's leading driver
industry. Each map is a static PNG beside the report and an interactive map in
it (the cities enlarged in insets on the PNG, marked by points on the interactive one),
drawn with ``reports/maps.py`` from the shipped boundaries; the attribution of
the boundaries and of BNS is on every map. The sentences are kept here in
kk/ru/en beside the numbers they carry, as in ``kz_input_output``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dagster_project.reports import maps
from dagster_project.reports.captions import Captions
from dagster_project.reports.map_geometry import boundaries_from_warehouse, region_names
from dagster_project.reports.sections.base import Section, esc, figure_html, no_rows
from dagster_project.reports.warehouse_tables import WarehouseTables

LOCATION_QUOTIENTS = "marts.fct_location_quotients"
CLUSTERS = "marts.fct_regional_clusters"
DRIVERS = "marts.fct_driver_industries"
BOUNDARIES = "raw.kz_boundaries"
SECTIONS = "marts.dim_industry"
READS = (LOCATION_QUOTIENTS, CLUSTERS, DRIVERS, BOUNDARIES, SECTIONS)

MAP_ACTIVITY = "B"  # the activity of the LQ map: mining and quarrying, Kazakhstan's largest export base
MINING_METALLURGY = "s003_t2-T02"  # seed 003, Table 2: the mining-metallurgical cluster

TEXT = {
    "title": {"kk": "Облыстар картада (ҰСБ, жұмыспен қамту)", "ru": "Области на карте (БНС, занятость)",
              "en": "Kazakhstan's oblasts on the map (BNS employment)"},
    "intro": {
        "kk": "{year} жыл, ҰСБ-ның облыстар мен ЭҚЖЖ бөлімдері бойынша жұмыспен қамтылғандары. Үш қала "
              "(Астана, Алматы, Шымкент) ішкі терезелерде үлкейтілген.",
        "ru": "{year} год, занятые по областям и секциям ОКЭД (БНС). Три города (Астана, Алматы, Шымкент) "
              "показаны увеличенными во врезках.",
        "en": "{year}, employed persons by oblast and ОКЭД section (BNS). The three cities (Astana, Almaty, "
              "Shymkent) are enlarged in insets.",
    },
    "lq": {"kk": "Орналасу коэффициенті (LQ): {activity}, {year}",
           "ru": "Коэффициент локализации (LQ): {activity}, {year}",
           "en": "Location quotient (LQ): {activity}, {year}"},
    "stars": {"kk": "Тау-кен металлургиялық кластерінің жұлдыздары (003 мақала), {year}",
              "ru": "Звёзды горно-металлургического кластера (статья 003), {year}",
              "en": "Stars of the mining-metallurgical cluster (seed 003), {year}"},
    "driver": {"kk": "Жетекші драйвер сала (Хилл–Бреннан, ең жоғары LQ), {year}",
               "ru": "Ведущая отрасль-драйвер (Хилл–Бреннан, наибольший LQ), {year}",
               "en": "Leading driver industry (Hill–Brennan, highest LQ), {year}"},
    "blur": {
        "kk": "Бөлім деңгейінде өңдеу өнеркәсібінің бірнеше үлгісі C бөлімінде тоғысады.",
        "ru": "На уровне секций несколько шаблонов обрабатывающей промышленности сходятся в секции C.",
        "en": "At section level several manufacturing templates meet in section C: the stars of the "
              "mining-metallurgical cluster rest on sections B and C.",
    },
}


def _text(key: str, language: str, **values) -> str:
    return TEXT[key][language].format(**values)


def _latest_year(tables: WarehouseTables) -> int | None:
    frame = tables.frame(
        "select max(year) as year from marts.fct_location_quotients "
        "where economy_code = 'KZ' and measure = 'employment'", [LOCATION_QUOTIENTS])
    year = frame["year"].iloc[0]
    return None if pd.isna(year) else int(year)


def _series(tables: WarehouseTables, sql: str, reads: list[str], year: int) -> pd.Series:
    frame = tables.frame(sql.format(year=int(year)), reads)
    return frame.set_index("region_code")["value"]


def build(tables: WarehouseTables, captions: Captions, out_dir: Path) -> Section:
    language = captions.language
    section = Section("kz_maps", _text("title", language))
    year = _latest_year(tables)
    if year is None:
        return no_rows(section, captions, [LOCATION_QUOTIENTS])
    section.intro = _text("intro", language, year=year)
    boundaries = boundaries_from_warehouse(tables.connection)
    names = region_names(language)  # read once for the six maps
    label = tables.frame(
        f"select label_{language} as label from marts.dim_industry "
        f"where economy_code = 'KZ' and industry_code = '{MAP_ACTIVITY}' limit 1", [SECTIONS])
    activity = label["label"].iloc[0] if len(label) else MAP_ACTIVITY

    lq = _series(tables, "select region_code, lq as value from marts.fct_location_quotients "
                 f"where economy_code = 'KZ' and measure = 'employment' and year = {{year}} "
                 f"and industry_code = '{MAP_ACTIVITY}' and region_code <> 'TOTAL'", [LOCATION_QUOTIENTS], year)
    stars = _series(tables, "select region_code, max(stars) as value from marts.fct_regional_clusters "
                    f"where economy_code = 'KZ' and year = {{year}} and cluster_id = '{MINING_METALLURGY}' "
                    "group by region_code", [CLUSTERS], year).astype(int)
    drivers = _series(tables, "select region_code, arg_max(industry_code, lq) as value "
                      "from marts.fct_driver_industries where economy_code = 'KZ' and unit_basis = 'region' "
                      "and year = {year} and is_driver_candidate group by region_code", [DRIVERS], year)

    figures = [
        ("lq", _text("lq", language, activity=activity, year=year),
         maps.render_choropleth(lq, boundaries, year=year, language=language,
                                title=_text("lq", language, activity=activity, year=year), legend_title="LQ",
                                names=names),
         maps.choropleth_html(lq, boundaries, year=year, language=language,
                              title=_text("lq", language, activity=activity, year=year), legend_title="LQ",
                              names=names)),
        ("stars", _text("stars", language, year=year),
         maps.render_categorical(stars, boundaries, year=year, language=language,
                                 title=_text("stars", language, year=year),
                                 categories=maps.star_categories(language), names=names),
         maps.choropleth_html(stars, boundaries, year=year, language=language,
                              title=_text("stars", language, year=year),
                              categories=maps.star_categories(language), names=names)),
        ("driver", _text("driver", language, year=year),
         maps.render_categorical(drivers, boundaries, year=year, language=language,
                                 title=_text("driver", language, year=year), names=names),
         maps.choropleth_html(drivers, boundaries, year=year, language=language,
                              title=_text("driver", language, year=year),
                              categories=sorted(drivers.dropna().unique()), names=names)),
    ]
    for key, title, rendered, interactive in figures:
        png = maps.save_png(rendered, out_dir / f"map_kz_{key}_{year}.png")
        section.pngs.append(png)
        section.parts.append(f"<h3>{esc(title)}</h3>")
        section.parts.append(figure_html(interactive, f"map-kz-{key}", language))
    section.parts.append(f"<p>{esc(_text('blur', language))}</p>")
    section.parts.append(f"<p><small>{esc(maps.ATTRIBUTION)}</small></p>")
    return section
