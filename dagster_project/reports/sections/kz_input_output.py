"""Kazakhstan's own input-output table (BNS 2023) beside seed 003: which
variant answers which question, Table 2 reproduced (components matched by
Tucker's congruence) and Table 3 beside the national and the FLQ-regionalised
multipliers. The section's sentences are kept here in kk/ru/en because they
carry numbers of their own; labels of industries come from the marts."""

from __future__ import annotations

from dagster_project.reports.captions import Captions
from dagster_project.reports.sections.base import Section, esc, fixed, number
from dagster_project.reports.warehouse_tables import WarehouseTables

TABLES = "marts.dim_io_table"
COMPARISON = "marts.fct_template_comparison"
COMPARISON_INDUSTRIES = "marts.fct_template_comparison_industries"
T3 = "marts.fct_s003_t3_multiplier_comparison"
READS = (TABLES, COMPARISON, COMPARISON_INDUSTRIES, T3)

TEXT = {
    "title": {
        "kk": "Қазақстанның «шығын-шығарылым» кестесі (ҰСБ, 2023) және 003 мақала",
        "ru": "Таблица «затраты-выпуск» Казахстана (БНС, 2023) и статья 003",
        "en": "Kazakhstan's input-output table (BNS, 2023) beside seed 003",
    },
    "intro": {
        "kk": "Барлық әдістер ҰСБ-ның 2023 жылғы ресми кестелеріне қолданылды. © ҚР Стратегиялық жоспарлау және "
              "реформалар агенттігінің Ұлттық статистика бюросы.",
        "ru": "Все методы применены к официальным таблицам БНС за 2023 год. © Бюро национальной статистики "
              "Агентства по стратегическому планированию и реформам Республики Казахстан.",
        "en": "Every method run on the official BNS tables of 2023. © Bureau of National Statistics of the "
              "Agency for Strategic Planning and Reforms of the Republic of Kazakhstan.",
    },
    "variants": {"kk": "Кесте нұсқалары", "ru": "Варианты таблицы", "en": "Table variants"},
    "t2": {
        "kk": "2-кесте қайта есептелді: компоненттердің Таккер сәйкестігі (φ)",
        "ru": "Таблица 2 пересчитана: конгруэнтность Такера (φ) компонент",
        "en": "Table 2 recomputed: Tucker's congruence (φ) of the components",
    },
    "t2_variance": {
        "kk": "7 компонент түсіндірген дисперсия: жарияланған {published}, қайта есептелген {recomputed} "
              "(максималды корреляциялар матрицасының теріс меншікті мәндері болғандықтан 1-ден асуы мүмкін).",
        "ru": "Дисперсия, объяснённая 7 компонентами: опубликовано {published}, пересчитано {recomputed} "
              "(может превышать 1: у матрицы максимальных корреляций есть отрицательные собственные значения).",
        "en": "Variance explained by 7 components: published {published}, recomputed {recomputed} (can exceed 1: "
              "the matrix of maximum correlations has negative eigenvalues).",
    },
    "mining_yes": {
        "kk": "Тау-кен металлургиялық кластері қайта пайда болды.",
        "ru": "Горно-металлургический кластер воспроизводится.",
        "en": "The mining-metallurgical cluster re-emerges.",
    },
    "mining_no": {
        "kk": "Тау-кен металлургиялық кластері толық қайталанбады: сәйкес компонентте тек {members}.",
        "ru": "Горно-металлургический кластер воспроизводится не полностью: в сопоставленной компоненте только "
              "{members}.",
        "en": "The mining-metallurgical cluster does not fully re-emerge: its match holds only {members}.",
    },
    "t3": {
        "kk": "3-кесте: Шығыс Қазақстан мультипликаторлары (жарияланған) және 2023 жылғы ұлттық/аймақтық",
        "ru": "Таблица 3: мультипликаторы Восточного Казахстана (опубликованные) и национальные/региональные 2023",
        "en": "Table 3: East Kazakhstan multipliers as published beside the 2023 national and regional ones",
    },
    "t3_rule": {
        "kk": "II түр: үй шаруашылықтары жол — еңбекақы/шығарылым, баған — үй шаруашылықтарының тұтынуы/жалпы "
              "еңбекақы. Айырмашылықтар: жыл (2023 және мақала жылы), аумақ (ел және облыс, 2022 жылғы шекаралар), "
              "аймақтандыру (FLQ, δ = 0,3), анықтама (ішкі ағындар).",
        "ru": "Тип II: строка домохозяйств — оплата труда/выпуск, столбец — потребление домохозяйств/вся оплата "
              "труда. Расхождения: год (2023 и год статьи), территория (страна и область, границы 2022 г.), "
              "регионализация (FLQ, δ = 0,3), определение (внутренние потоки).",
        "en": "Type II: household row = compensation / output, household column = household consumption / total "
              "compensation. Gaps: year (2023 against the article's), territory (country against oblast; borders "
              "changed in 2022), regionalisation (FLQ, δ = 0.3), definition (domestic flows).",
    },
}
HEAD = {
    "kk": ("Компонент", "Сәйкес", "φ", "Бағалау", "Жарияланған мүшелер", "Қайта есептелген мүшелер"),
    "ru": ("Компонента", "Сопоставлена", "φ", "Оценка", "Члены (опубликовано)", "Члены (пересчёт)"),
    "en": ("Component", "Match", "φ", "Reading", "Members, published", "Members, recomputed"),
}
T3_HEAD = {
    "kk": ("Сала", "Шығарылым: жарияланған / ел / облыс", "Қосылған құн", "Үй шаруашылықтарының табысы (II)"),
    "ru": ("Отрасль", "Выпуск: опубл. / страна / область", "Добавленная стоимость", "Доходы домохозяйств (II)"),
    "en": ("Industry", "Output: published / national / regional", "Value added", "Household income (II)"),
}


def _text(key: str, language: str, **values) -> str:
    return TEXT[key][language].format(**values)


def _table(head, rows) -> str:
    cells = "".join(f"<th>{esc(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


def build(tables: WarehouseTables, captions: Captions) -> Section:
    language = captions.language
    section = Section("kz_input_output", _text("title", language), _text("intro", language))
    variants = tables.frame(
        "select table_id, flow_basis, n_industries, answers from marts.dim_io_table "
        "where economy_code = 'KZ' order by table_id",
        [TABLES],
    )
    section.fallback_labels += len(variants) if language != "en" else 0  # answers are English data
    section.parts.append(f"<h3>{esc(_text('variants', language))}</h3>")
    section.parts.append(_table(
        ("table_id", "flow_basis", "n", "answers"),
        [(esc(r.table_id), esc(r.flow_basis), esc(r.n_industries), f"<i>{esc(r.answers)}</i>")
         for r in variants.itertuples()],
    ))
    labels = tables.frame(
        f"select industry_code, label_{language} as label from {COMPARISON_INDUSTRIES}", [COMPARISON_INDUSTRIES]
    ).set_index("industry_code")["label"].to_dict()

    def named(members: str) -> str:
        return "; ".join(esc(labels.get(code.strip(), code.strip())) for code in members.split(",") if code.strip())

    components = tables.frame(f"select * from {COMPARISON} order by published_component", [COMPARISON])
    section.parts.append(f"<h3>{esc(_text('t2', language))}</h3>")
    section.parts.append(_table(HEAD[language], [
        (esc(r.published_component), esc(r.recomputed_component), number(r.congruence, language, 3),
         esc(r.congruence_class), named(r.published_primary_members), named(r.recomputed_primary_members))
        for r in components.itertuples()
    ]))
    first = components.iloc[0]
    section.parts.append("<p>" + esc(_text(
        "t2_variance", language,
        published=number(first["published_cumulative_variance_share"], language, 3),
        recomputed=number(first["recomputed_cumulative_variance_share"], language, 3),
    )) + "</p>")
    mining = components[components["is_mining_metallurgical"]]
    if not mining.empty:
        row = mining.iloc[0]
        sentence = (_text("mining_yes", language) if row["mining_metallurgical_reemerges"]
                    else _text("mining_no", language, members=named(row["mining_metallurgical_members_recomputed"])))
        section.parts.append(f"<p>{sentence}</p>")
    t3 = tables.frame(f"select * from {T3} order by row_no", [T3])

    def triple(kind: str, r) -> str:
        values = (getattr(r, f"published_{kind}_multiplier"), getattr(r, f"national_{kind}_multiplier"),
                  getattr(r, f"regional_{kind}_multiplier"))
        # three decimals, as seed 003 prints them; a dash where the mart has no figure
        return " / ".join(fixed(v, language, 3) if v == v and v is not None else "—" for v in values)

    section.parts.append(f"<h3>{esc(_text('t3', language))}</h3>")
    section.parts.append(_table(T3_HEAD[language], [
        (esc(labels.get(r.industry_code, r.label_printed)), triple("output", r), triple("value_added", r),
         triple("household_income", r))
        for r in t3.itertuples()
    ]))
    section.parts.append(f"<p>{esc(_text('t3_rule', language))}</p>")
    if t3["regional_note"].notna().any():
        section.parts.append(f"<p><small>{esc(t3['regional_note'].iloc[0])}</small></p>")
    return section
