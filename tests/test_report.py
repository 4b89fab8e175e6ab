"""The cluster report, rendered from a warehouse built in tmp by a real
refresh: the refresh itself writes it (English by default), and it renders in
kk, ru and en with the expected sections, the validation table holding exactly
the failed check instances of ``quality.check_results`` (among them the 002
table's external-trade error), a PNG per chart; a warehouse missing a mart the
report reads is refused, naming the mart. Expectations come from the warehouse
and the captions file, never from the report code."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from dagster_project import settings
from dagster_project.defs.reports import cluster_report
from dagster_project.defs.transform.project import klaster_dbt_project
from dagster_project.reports.build import REPORT_FILE, TABLES_READ, build_report, report_directory
from dagster_project.reports.captions import Captions, CaptionsError, load_texts
from dagster_project.reports.check_descriptions import describe_dbt_test
from dagster_project.reports.language import LANGUAGE_ENV_VAR, LANGUAGES, report_language
from dagster_project.reports.questions import QUESTIONS, answer, render_markdown
from dagster_project.reports.sections.base import number
from dagster_project.reports.warehouse_tables import MissingTablesError
from dagster_project.resources import WarehouseResource

# Section -> (its title caption, the tables without which it cannot be drawn).
SECTIONS = {
    "validation": ("validation_title", ["quality.check_results"]),
    "cluster_bubbles": ("bubbles_title", ["marts.fct_regional_growth",
                                          "marts.fct_location_quotients"]),
    "multipliers": ("multipliers_title", ["marts.fct_published_indicators"]),
    "template_loadings": ("loadings_title", ["marts.fct_published_indicators"]),
}
MAP_KEYS = ("lq", "stars", "driver")
ROW = re.compile(
    r'<tr class="failed-check" data-table="([^"]*)" data-check="([^"]*)" '
    r'data-indicator="([^"]*)" data-year="([^"]*)" data-column="([^"]*)">(.*?)</tr>'
)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def published(refreshed: dict) -> Path:
    result = refreshed["result"]
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return refreshed["published"]


@pytest.fixture(scope="module")
def reports(published: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    """language -> (folder, page): the refresh's own language (the setting,
    English by default) as its report asset wrote it, the other two rendered
    here from the published warehouse, read-only."""
    out = tmp_path_factory.mktemp("reports")
    refreshed_in = report_language()
    folders = {refreshed_in: report_directory(published, refreshed_in)}
    with duckdb.connect(str(published), read_only=True) as connection:
        for language in (lang for lang in LANGUAGES if lang != refreshed_in):
            folders[language] = build_report(connection, out / language, language,
                                             str(published)).html_path.parent
    return {language: (folder, (folder / REPORT_FILE).read_text(encoding="utf-8"))
            for language, folder in folders.items()}


def _query(published: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with duckdb.connect(str(published), read_only=True) as connection:
        return connection.execute(sql, list(params)).fetchall()


def _section(page: str, key: str) -> tuple[str, str]:
    match = re.search(rf'<section id="{key}" data-status="(\w+)">(.*?)</section>', page,
                      re.DOTALL)
    assert match, f"section {key} missing"
    return match.group(1), match.group(2)


def test_the_refresh_writes_the_report_beside_the_published_warehouse(published: Path) -> None:
    language = report_language()  # the refresh ran with the same environment
    folder = report_directory(published, language)
    page = (folder / REPORT_FILE).read_text(encoding="utf-8")
    assert Captions.load(language)("report_title") in page
    pngs = sorted(folder.glob("*.png"))
    assert pngs and all(p.read_bytes()[:8] == PNG_MAGIC for p in pngs)


@pytest.mark.parametrize("language", LANGUAGES)
def test_report_renders_every_section_in_the_language(reports: dict, published: Path,
                                                      language: str) -> None:
    _, page = reports[language]
    captions = Captions.load(language)
    assert f'<html lang="{language}">' in page
    assert html.escape(captions("report_title")) in page
    assert html.escape(captions("honesty_note")) in page
    present = {f"{s}.{t}" for s, t in _query(
        published, "select table_schema, table_name from information_schema.tables")}
    for key, (title, needs) in SECTIONS.items():
        status, _ = _section(page, key)
        assert html.escape(captions(title)) in page
        assert [t for t in needs if t not in present] == [], key  # a refresh builds them all
        assert status == "built", key


def test_report_is_self_contained(reports: dict) -> None:
    _, page = reports["en"]
    # Nothing is fetched: no external script, stylesheet, image or frame.
    assert not re.search(r"""<(?:script|link|img|iframe)[^>]*(?:src|href)=["']?https?:""", page)
    assert "<script src=" not in page and "<link " not in page
    assert "Plotly.newPlot" in page and len(page) > 3_000_000  # plotly.js is inlined


@pytest.mark.parametrize("language", LANGUAGES)
def test_validation_table_lists_exactly_the_failed_checks(reports: dict, published: Path,
                                                          language: str) -> None:
    _, page = reports[language]
    failed = _query(published, "select table_id, check_name, indicator, year, value_column, observed, "
                               "expected, suggested_value from quality.check_results "
                               "where not passed")
    found = ROW.findall(page)
    rows = {(t, c, i, y, col): body for t, c, i, y, col, body in found}
    assert len(rows) == len(found)  # one row per failed instance
    assert set(rows) == {(t, c, i or "", y or "", col or "") for t, c, i, y, col, *_ in failed}
    assert failed, "the published tables carry known errors: some check must fail"
    for table_id, check, indicator, year, column, observed, expected, suggested in failed:
        body = rows[(table_id, check, indicator or "", year or "", column or "")]
        assert number(observed, language) in body and number(expected, language) in body
        if suggested is not None:
            assert number(suggested, language) in body
        if table_id.startswith("s00"):  # a seed table: the row is named by its label
            (label,) = _query(published, f"select distinct label_{language} from "
                                         "marts.fct_published_indicators where table_id = ? and "
                                         "entity_code = ?", (table_id, indicator))[0]
            assert html.escape(label) in body
        else:  # a BNS release: named as its check names it
            assert html.escape(indicator or "") in body


def test_validation_table_shows_the_002_external_trade_error(reports: dict) -> None:
    """002 Table 1 prints exports 2006 = 1282.3 while turnover - imports gives 1082.3."""
    for language in LANGUAGES:
        _, page = reports[language]
        rows = {(c, i, col): body for _, c, i, _, col, body in ROW.findall(page)}
        body = rows[("external_trade_identity", "external_trade_turnover", "y2006")]
        assert number(1756.6, language) in body and number(1956.6, language) in body
        assert number(1082.3, language) in body


def test_every_chart_names_its_economy_and_the_source_of_kazakhstans_figures(
        reports: dict, published: Path) -> None:
    """Kazakhstan's charts are either seed 003's printed tables or computed from
    the BNS releases in the warehouse, and their heading says which (the seed, or
    the year of the official table / the years of the official panel)."""
    io_years = {str(y) for (y,) in _query(
        published, "select distinct year from marts.dim_io_table where economy_code = 'KZ'")}
    first, last = _query(published, "select min(year), max(year) from marts.fct_location_quotients "
                                    "where economy_code = 'KZ'")[0]
    sources = {"003", f"{first}–{last}", *io_years}
    for language in LANGUAGES:
        _, page = reports[language]
        captions = Captions.load(language)
        economies = load_texts()["economies"]
        names = {code: texts[language] for code, texts in economies.items()}
        for key in ("cluster_bubbles", "multipliers", "template_loadings"):
            _, body = _section(page, key)
            headings = [html.unescape(h) for h in
                        re.findall(r"<(?:h3|summary)>(.*?)</(?:h3|summary)>", body)]
            for heading in headings:
                if heading == captions("multipliers_computed_heading") or heading == captions(
                        "loadings_computed_heading"):
                    continue
                named = [code for code, name in names.items() if heading.startswith(name)]
                assert len(named) == 1, heading
                if named == ["KZ"]:
                    assert any(source in heading for source in sources), heading


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_png_per_chart(reports: dict, published: Path, language: str) -> None:
    folder, _ = reports[language]
    pngs = list(folder.glob("*.png"))
    assert all(p.read_bytes()[:8] == PNG_MAGIC for p in pngs)
    names = {p.name for p in pngs}
    io_tables = {t for (t,) in _query(
        published, "select distinct table_id from marts.fct_multipliers where measure = 'output'")}
    template_tables = {t for (t,) in _query(
        published, "select distinct table_id from marts.fct_cluster_templates "
                   "where template_source = 'computed'")}
    panels = _query(published, "select count(distinct economy_code) from marts.fct_regional_growth "
                               "where measure = 'employment'")[0][0]
    assert {f"multipliers_{t}.png" for t in io_tables} <= names
    assert {f"loadings_{t}.png" for t in template_tables} <= names
    assert {"multipliers_kz_s003_t3_published.png", "loadings_kz_s003_t2_published.png"} <= names
    assert len([n for n in names if n.startswith("bubbles_")]) >= panels > 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_kazakhstan_maps_come_right_after_the_validation(reports: dict, published: Path, language: str) -> None:
    folder, page = reports[language]
    (year,) = _query(published, "select max(year) from marts.fct_location_quotients "
                                "where economy_code = 'KZ' and measure = 'employment'")[0]
    status, body = _section(page, "kz_maps")
    assert status == "built"
    assert page.index('<section id="kz_maps"') < page.index('<section id="cluster_bubbles"')
    for key in MAP_KEYS:
        png = folder / f"map_kz_{key}_{year}.png"
        assert png.read_bytes()[:8] == PNG_MAGIC, png
        assert f'id="map-kz-{key}"' in body
    assert "geokz" in body and "Bureau of National Statistics" in body  # attribution on the section


def _warehouse_without(path: Path, absent: set[str]) -> Path:
    """A warehouse holding every table the report reads except ``absent``
    (empty tables: the report must refuse before it reads a row)."""
    with duckdb.connect(str(path)) as connection:
        for table in TABLES_READ:
            if table not in absent:
                schema = table.split(".", 1)[0]
                connection.execute(f"create schema if not exists {schema}")
                connection.execute(f"create table {table} (placeholder integer)")
    return path


def test_a_warehouse_missing_marts_is_refused_naming_them(tmp_path: Path) -> None:
    """No report with silently empty sections: the error names every missing
    table and the warehouse, and nothing is written."""
    absent = {"marts.fct_regional_growth", "marts.fct_cluster_templates"}
    small = _warehouse_without(tmp_path / "partial.duckdb", absent)
    out = tmp_path / "report" / "en"
    with duckdb.connect(str(small), read_only=True) as connection:
        with pytest.raises(MissingTablesError) as refused:
            build_report(connection, out, "en", str(small))
    message = str(refused.value)
    assert all(table in message for table in absent) and str(small) in message
    assert "marts.fct_published_indicators" not in message  # present tables are not named
    assert not (tmp_path / "report").exists()


def test_the_report_asset_fails_with_the_missing_table(tmp_path: Path) -> None:
    """Materialised on a build warehouse that lacks a mart, the report asset
    fails (so the publish step, downstream of it, never runs) with the error
    naming the mart."""
    published = tmp_path / "klaster.duckdb"
    _warehouse_without(settings.build_warehouse_path(published), {"marts.fct_multipliers"})
    with pytest.raises(dg.Failure) as failed:
        dg.materialize([cluster_report],
                       resources={"warehouse": WarehouseResource(published_path=str(published))})
    assert "marts.fct_multipliers" in failed.value.description
    assert "marts.fct_published_indicators" not in failed.value.description
    assert not report_directory(published, report_language()).exists()


def test_language_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(LANGUAGE_ENV_VAR, raising=False)
    assert report_language() == "en"
    monkeypatch.setenv(LANGUAGE_ENV_VAR, "KK")
    assert report_language() == "kk"
    assert report_language("ru") == "ru"
    with pytest.raises(ValueError, match=f"{LANGUAGE_ENV_VAR}='de'.*kk, ru, en"):
        report_language("de")


def test_a_caption_missing_a_language_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "captions.yml"
    broken.write_text("captions:\n  report_title: {kk: 'а', en: 'b'}\n", encoding="utf-8")
    with pytest.raises(CaptionsError, match=r"captions\.yml: captions\.report_title lacks .*'ru'"):
        load_texts(broken)


def test_numbers_follow_the_language_and_gaps_stay_empty() -> None:
    assert number(1082.3, "en") == "1082.3"
    assert number(1082.3, "ru") == "1082,3" == number(1082.3, "kk")
    assert number(None, "en") == "" and number(float("nan"), "kk") == ""


def _manifest_with(test: dict) -> dict:
    model = {"name": "fct_example", "columns": {
        "region_code": {"description": "Region (dim_region)."},
        "lq_class": {"description": "star, specialised or not_specialised."}}}
    return {"nodes": {"model.klaster.fct_example": model, "test.klaster.t": {
        "name": "t", "description": "", "attached_node": "model.klaster.fct_example",
        "depends_on": {"nodes": ["model.klaster.fct_example"]}, **test}}}


@pytest.mark.parametrize(("test", "expected"), [
    ({"test_metadata": {"name": "not_null", "kwargs": {"column_name": "region_code"}},
      "column_name": "region_code"},
     ("Every row of fct_example has a value in region_code (Region (dim_region)): a gap there "
     "is an error.")),
    ({"test_metadata": {"name": "accepted_values",
                        "kwargs": {"column_name": "lq_class", "values": ["star", "specialised"]}},
      "column_name": "lq_class"},
     ("lq_class of fct_example (star, specialised or not_specialised) only takes the values "
     "'star', 'specialised'.")),
    ({"test_metadata": {"name": "relationships", "kwargs": {
        "column_name": "region_code", "to": "ref('dim_region')", "field": "region_code"}},
      "column_name": "region_code"},
     ("Every region_code of fct_example (Region (dim_region)) exists as region_code in "
     "dim_region: no row points to something undefined.")),
    ({"test_metadata": {"name": "unique_key_combination",
                        "kwargs": {"columns": ["region_code", "year"]}}},
     "One row of fct_example per (region_code, year): no duplicated key."),
    ({"attached_node": None, "raw_code": "-- A failure means an LQ is negative.\nselect 1"},
     "A failure means an LQ is negative."),
])
def test_dbt_tests_get_a_sentence_an_economist_reads(test: dict, expected: str) -> None:
    assert describe_dbt_test(_manifest_with(test), "test.klaster.t") == expected


def test_every_dbt_test_of_the_project_is_described() -> None:
    """Over the project's own manifest (parsed by conftest): every test, generic
    or singular, gets a sentence naming the model it guards."""
    manifest = json.loads(klaster_dbt_project.manifest_path.read_text(encoding="utf-8"))
    tests = [u for u, n in manifest["nodes"].items() if n["resource_type"] == "test"]
    assert tests
    for unique_id in tests:
        text = describe_dbt_test(manifest, unique_id)
        node = manifest["nodes"][unique_id]
        model = manifest["nodes"].get(node.get("attached_node") or "", {}).get("name")
        assert text.strip() and "dbt test" not in text, unique_id
        if model:
            assert model in text, (unique_id, text)


# Seed 003's mining-metallurgical cluster (docs/DOMAIN.md): the industries the
# article names as its members, by their codes in the seed tables.
MINING_METALLURGY = {"metal_ore_mining", "metallurgy_metal_processing", "other_manufacturing",
                     "machinery_manufacture_repair", "coal_lignite_peat_mining"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_ask_the_warehouse_answers_in_the_language(published: Path, language: str) -> None:
    with duckdb.connect(str(published), read_only=True) as connection:
        answers = {q.key: answer(connection, q, language) for q in QUESTIONS}
        page = render_markdown(connection, language, published.name, "make docs")
    assert all(len(frame) for frame in answers.values()), [k for k, f in answers.items()
                                                           if f.empty]
    captions = Captions.load(language)
    for question in QUESTIONS:
        assert captions.question(question.key) in page
    labels = dict(_query(published, f"select distinct entity_code, label_{language} from "
                                    "marts.fct_published_indicators where table_id = 's003_t2'"))
    template = answers["mining_metallurgy_template"]
    assert set(template.loc[template["role"] == "primary", "industry"]) == {
        labels[code] for code in MINING_METALLURGY}
    multiplier = answers["metal_ore_multiplier"].set_index("multiplier")["published_value"]
    assert multiplier["output_multiplier"] == pytest.approx(1.806)  # seed 003, Table 3
    failed = answers["failed_figures"]
    assert (failed["suggested_value"] == 1082.3).sum() == 1  # exports 2006, seed 002
