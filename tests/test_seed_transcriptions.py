"""The seed tables in data/raw/seeds/ agree with their manifest and with the seed texts.

Every published number is re-read from the copy of the seed text (data/raw/seeds/source/)
by locating it with a regular expression next to its printed label, and compared with
the CSV cell: the expected values come from the seed documents, not from this file.
Only files under data/raw/seeds/ and the hand-corrected fixture are read.
"""

from __future__ import annotations

import csv
import hashlib
import re
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "data" / "raw" / "seeds"
FIXTURE = (
    REPO / "tests" / "fixtures" / "seeds" / "s002_t1_south_kazakhstan_indicators_corrected.csv"
)

# A printed number: optional minus, digits, optional decimal comma part.
NUMBER = r"-?\d+(?:,\d+)?"
NUMBER_CELL = re.compile(rf"^{NUMBER}$")


@cache
def manifest() -> dict:
    with open(SEEDS / "manifest.yml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def entry(raw_table: str) -> dict:
    matches = [f for f in manifest()["files"] if f["raw_table"] == raw_table]
    assert len(matches) == 1, f"{raw_table}: expected one manifest entry, found {len(matches)}"
    return matches[0]


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    # QUOTE_NONE: the files are written without quoting (asserted below), so every
    # character of a cell is data, exactly as the loader stores it.
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter=";", quoting=csv.QUOTE_NONE)
        header, *body = list(reader)
    rows = []
    for line_no, cells in enumerate(body, start=2):
        assert len(cells) == len(header), (
            f"{path.name} line {line_no}: {len(cells)} cells, header has {len(header)}"
        )
        rows.append(dict(zip(header, cells)))
    return header, rows


def table(raw_table: str) -> list[dict[str, str]]:
    return read_rows(SEEDS / entry(raw_table)["file"])[1]


def seed_block(raw_table: str) -> str:
    """The lines of the seed text the manifest says the table occupies (1-based, inclusive)."""
    e = entry(raw_table)
    first, last = e["seed_lines"]
    lines = (SEEDS / "source" / e["seed_file"]).read_text(encoding="utf-8").split("\n")
    return "\n".join(lines[first - 1 : last])


def label_pattern(label: str) -> str:
    """Regex for a printed label as the PDF extraction left it.

    The extraction inserted spaces inside words (Russian text is split into syllables),
    broke lines at hyphens and at «. », and dropped some spaces; the transcription repaired
    exactly those. So between any two visible characters of the label the seed text may
    hold whitespace, hyphens or dots, and the label's own spaces, hyphens and dots are optional.
    """
    chars = [ch for ch in label if not ch.isspace() and ch not in "-."]
    return r"[\s\-.]*".join(re.escape(ch) for ch in chars)


def find_label(block: str, label: str, start: int = 0) -> re.Match:
    match = re.compile(label_pattern(label)).search(block, start)
    assert match is not None, f"label {label!r} not found in the seed text"
    return match


def numeric_cells(raw_table: str) -> int:
    e = entry(raw_table)
    return sum(1 for row in table(raw_table) for col in e["numeric_columns"] if row[col] != "")


ALL_TABLES = [f["raw_table"] for f in manifest()["files"]]


# (1) checksums --------------------------------------------------------------------------


@pytest.mark.parametrize("raw_table", ALL_TABLES)
def test_table_sha256_matches_file(raw_table):
    e = entry(raw_table)
    digest = hashlib.sha256((SEEDS / e["file"]).read_bytes()).hexdigest()
    assert digest == e["sha256"], f"{e['file']}: sha256 {digest} != manifest {e['sha256']}"


@pytest.mark.parametrize("doc", manifest()["documents"], ids=lambda d: d["file"])
def test_document_sha256_matches_file(doc):
    digest = hashlib.sha256((SEEDS / doc["file"]).read_bytes()).hexdigest()
    assert digest == doc["sha256"], f"{doc['file']}: sha256 {digest} != manifest {doc['sha256']}"


def test_every_table_cites_a_listed_document():
    documents = {d["file"] for d in manifest()["documents"]}
    for e in manifest()["files"]:
        assert e["source"]["document"] in documents, e["raw_table"]
        assert f"source/{e['seed_file']}" == e["source"]["document"], e["raw_table"]
        assert e["generated"] is False, e["raw_table"]


# (2) headers and format -----------------------------------------------------------------


@pytest.mark.parametrize("raw_table", ALL_TABLES)
def test_csv_header_equals_manifest_header(raw_table):
    e = entry(raw_table)
    header, _ = read_rows(SEEDS / e["file"])
    assert header == e["header"]
    assert e["encoding"] == "utf-8" and e["delimiter"] == ";" and e["decimal"] == ","
    assert set(e["key"]) <= set(header) and set(e["numeric_columns"]) <= set(header)


@pytest.mark.parametrize("raw_table", ALL_TABLES)
def test_file_is_unquoted_utf8_with_unix_newlines(raw_table):
    raw = (SEEDS / entry(raw_table)["file"]).read_bytes()
    text = raw.decode("utf-8")
    assert '"' not in text, "a straight quote would make CSV quoting rules matter"
    assert "\r" not in text


@pytest.mark.parametrize("raw_table", ALL_TABLES)
def test_numeric_cells_are_numbers_or_gap_markers(raw_table):
    e = entry(raw_table)
    blank_allowed = e["blank_cells"] != "none"
    for row in table(raw_table):
        for col in e["numeric_columns"]:
            cell = row[col]
            ok = (
                bool(NUMBER_CELL.match(cell))
                or cell in e["gap_markers"]
                or (cell == "" and blank_allowed)
            )
            assert ok, f"{e['file']} row_no {row['row_no']} column {col}: {cell!r}"


@pytest.mark.parametrize("raw_table", ALL_TABLES)
def test_row_numbers_run_from_one(raw_table):
    assert [row["row_no"] for row in table(raw_table)] == [
        str(i) for i in range(1, len(table(raw_table)) + 1)
    ]


# (3) numbers re-read from the seed texts ------------------------------------------------


def test_s001_t1_numbers_match_seed_text():
    e = entry("seed_s001_t1")
    block = seed_block("seed_s001_t1")
    rows = table("seed_s001_t1")
    factor_columns = list(e["columns_printed"])
    starts = [find_label(block, e["columns_printed"][col]) for col in factor_columns]
    ends = [m.start() for m in starts[1:]] + [block.index("Ескерту")]
    compared = 0
    for col, start, end in zip(factor_columns, starts, ends):
        segment = block[start.end() : end]
        # «13, 8» is one number broken by the extraction (manifest notes): allow one space after the comma.
        printed = [
            re.sub(r"\s", "", t) for t in re.findall(r"\d+,\s?\d+|\d+|(?<!\S)-(?!\S)", segment)
        ]
        assert len(printed) == len(rows), f"{col}: {len(printed)} printed values, {len(rows)} rows"
        for row, token in zip(rows, printed):
            assert row[col] == token, (
                f"{col} column {row['row_no']}: CSV {row[col]!r} vs printed {token!r}"
            )
            compared += 1
    assert compared == numeric_cells("seed_s001_t1") == 40


def test_s001_t1_correlation_of_factors_1_and_2_is_the_printed_r():
    # The article prints r=0.89 for the first two factors (l.331); the transcription must reproduce it.
    block = (SEEDS / "source" / entry("seed_s001_t1")["seed_file"]).read_text(encoding="utf-8")
    printed_r = float(re.search(r"r=(\d\.\d+)", block).group(1))
    rows = table("seed_s001_t1")
    x = [float(r["f1_firm_competitiveness"].replace(",", ".")) for r in rows]
    y = [float(r["f2_innovation_index"].replace(",", ".")) for r in rows]
    mx, my = sum(x) / len(x), sum(y) / len(y)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    assert round(sxy / (sxx * syy) ** 0.5, 2) == printed_r


def _values_after_labels(raw_table: str, value_columns: list[str]) -> int:
    block = seed_block(raw_table)
    compared = 0
    values = r"".join(rf"\s+({NUMBER})" for _ in value_columns)
    for row in table(raw_table):
        label = find_label(block, row["label_printed"])
        match = re.compile(values).match(block, label.end())
        assert match, (
            f"{raw_table} row {row['row_no']}: no {len(value_columns)} numbers after the label"
        )
        for col, token in zip(value_columns, match.groups()):
            assert row[col] == token, (
                f"{raw_table} row {row['row_no']} {col}: CSV {row[col]!r} vs printed {token!r}"
            )
            compared += 1
    return compared


def test_s002_t1_numbers_match_seed_text():
    compared = _values_after_labels("seed_s002_t1", ["y2005", "y2006", "y2007", "pct_2007_of_2006"])
    assert compared == numeric_cells("seed_s002_t1") == 48


def test_s002_t1_text_repeats_the_2007_trade_figures():
    # l.10-11 of seed 002 quote the 2007 trade turnover, exports and imports and their % of 2006.
    text = (SEEDS / "source" / entry("seed_s002_t1")["seed_file"]).read_text(encoding="utf-8")
    sentence = re.search(
        rf"({NUMBER}) миллион АҚШ долларын құрады\nБұл көрсеткіш 2006 жылмен салыстырғанда ({NUMBER})%",
        text,
    )
    parts = re.search(
        rf"сәйкесінше ({NUMBER}) және ({NUMBER}) миллион.*?сәйкесінше ({NUMBER})% және ({NUMBER})%",
        text,
    )
    rows = {r["indicator_code"]: r for r in table("seed_s002_t1")}
    assert (
        rows["external_trade_turnover"]["y2007"],
        rows["external_trade_turnover"]["pct_2007_of_2006"],
    ) == sentence.groups()
    assert (
        rows["exports"]["y2007"],
        rows["imports"]["y2007"],
        rows["exports"]["pct_2007_of_2006"],
        rows["imports"]["pct_2007_of_2006"],
    ) == parts.groups()


def test_s003_t1_numbers_match_seed_text():
    compared = _values_after_labels("seed_s003_t1", ["cluster_count"])
    assert compared == numeric_cells("seed_s003_t1") == 9


def test_s003_t2_numbers_match_seed_text():
    block = seed_block("seed_s003_t2")
    columns = [f"pc{i}" for i in range(1, 8)]
    values = r"".join(rf"\s+({NUMBER})" for _ in columns)
    compared = 0
    for row in table("seed_s003_t2"):
        # Rows are located by their printed number at the start of a line, then their label.
        pattern = re.compile(
            rf"(?m)^{row['row_no']}\s+{label_pattern(row['label_printed'])}{values}"
        )
        match = pattern.search(block)
        assert match, f"row {row['row_no']} {row['label_printed']!r} not found with 7 loadings"
        for col, token in zip(columns, match.groups()):
            assert row[col] == token, (
                f"row {row['row_no']} {col}: CSV {row[col]!r} vs printed {token!r}"
            )
            compared += 1
    assert compared == numeric_cells("seed_s003_t2") == 140


def test_s003_t2_explains_the_printed_share_of_variance():
    # The text says the 7 components explain 88 % of the variance (l.711-712): the sum of
    # squared loadings of a PCA on a correlation matrix of 20 variables, divided by 20.
    text = (SEEDS / "source" / entry("seed_s003_t2")["seed_file"]).read_text(encoding="utf-8")
    printed_share = int(re.search(r"объяс няющих (\d+)% дис пер сии", text).group(1))
    rows = table("seed_s003_t2")
    total = sum(float(r[f"pc{i}"].replace(",", ".")) ** 2 for r in rows for i in range(1, 8))
    assert round(100 * total / len(rows)) == printed_share


def test_s003_t3_numbers_match_seed_text():
    compared = _values_after_labels(
        "seed_s003_t3",
        ["output_multiplier", "value_added_multiplier", "household_income_multiplier"],
    )
    assert compared == numeric_cells("seed_s003_t3") == 12


def test_s004_t1_periods_and_descriptions_match_seed_text():
    block = seed_block("seed_s004_t1")
    compared = 0
    for row in table("seed_s004_t1"):
        # The first plan number is glued to the column heading («сипаттамасы1»), so only a
        # preceding digit rules a match out («11» must not match plan «1»).
        match = re.search(rf"(?<!\d){re.escape(row['label_printed'])}\s+(\d{{4}})-(\d{{4}})", block)
        assert match, f"plan {row['label_printed']!r} not found with a period"
        assert (row["year_from"], row["year_to"]) == match.groups()
        compared += 2
        if row["description_printed"]:
            # The extraction turned «. » into line breaks; the transcription restored them.
            description_as_extracted = row["description_printed"].replace(". ", "\n")
            assert description_as_extracted in block[match.end() :], row["plan_code"]
    assert compared == numeric_cells("seed_s004_t1") == 24


def test_s004_t2_numbers_match_seed_text():
    e = entry("seed_s004_t2")
    block = seed_block("seed_s004_t2")
    rows = table("seed_s004_t2")
    starts = []
    for row in rows:
        starts.append(find_label(block, row["label_printed"], starts[-1].end() if starts else 0))
    footnote = next(iter(e["footnotes_printed"]))
    ends = [m.start() for m in starts[1:]] + [
        block.index(footnote + e["footnotes_printed"][footnote].split(" (")[0])
    ]
    compared = 0
    for row, start, end in zip(rows, starts, ends):
        printed = re.findall(rf"в {NUMBER} р\.|{NUMBER}\*?", block[start.end() : end])
        expected = [
            row[y] + row["y2004_footnote"] if y == "y2004" else row[y]
            for y in ("y1995", "y2000", "y2004")
        ]
        for pct, times in (
            ("pct_2004_of_1995", "times_2004_of_1995"),
            ("pct_2004_of_2000", "times_2004_of_2000"),
        ):
            if row[pct]:
                expected.append(row[pct])
            elif row[times]:
                expected.append(f"в {row[times]} р.")
        assert printed == expected, f"row {row['row_no']} {row['indicator_code']}"
        compared += sum(1 for col in e["numeric_columns"] if row[col])
    assert compared == numeric_cells("seed_s004_t2") == 66


# (4) labels -------------------------------------------------------------------------------


@pytest.mark.parametrize("raw_table", ALL_TABLES)
def test_every_code_has_kk_ru_en_labels(raw_table):
    e = entry(raw_table)
    dimension = e["labels"][e["code_dimension"]]
    for row in table(raw_table):
        code = row[e["code_column"]]
        assert code in dimension, f"{raw_table}: code {code!r} has no labels"
    for dim_name, codes in e["labels"].items():
        for code, labels in codes.items():
            for lang in ("kk", "ru", "en"):
                assert isinstance(labels.get(lang), str) and labels[lang].strip(), (
                    f"{raw_table} {dim_name}.{code}.{lang}"
                )
    for row in table(raw_table):
        code = row[e["code_column"]]
        assert re.fullmatch(r"[a-z][a-z0-9_]*|[A-Z]{3}", code), (
            f"{raw_table}: code {code!r} is not ASCII"
        )


def test_value_columns_of_s001_and_s003_t2_are_labelled():
    assert set(entry("seed_s001_t1")["labels"]["factor"]) == set(
        entry("seed_s001_t1")["numeric_columns"]
    )
    assert set(entry("seed_s003_t2")["labels"]["component"]) == set(
        entry("seed_s003_t2")["numeric_columns"]
    )


def test_s002_t1_every_indicator_has_a_price_basis():
    e = entry("seed_s002_t1")
    codes = {row["indicator_code"] for row in table("seed_s002_t1")}
    assert (
        set(e["price_basis"])
        == codes
        == set(e["pct_is_ratio_of_levels"])
        == set(e["units"]["per_row"])
    )
    assert set(e["price_basis"].values()) <= {"current_prices", "volume_index", "physical_units"}
    assert e["indicator_count"] == len(codes)


# (5) keys ---------------------------------------------------------------------------------


@pytest.mark.parametrize("raw_table", ALL_TABLES)
def test_keys_are_unique(raw_table):
    e = entry(raw_table)
    keys = [tuple(row[k] for k in e["key"]) for row in table(raw_table)]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    assert not duplicates, f"{raw_table}: duplicate keys {duplicates}"


# Hand-corrected fixture of seed 002 Table 1 ------------------------------------------------


def _decimal(cell: str) -> Decimal:
    return Decimal(cell.replace(",", "."))


def _inconsistencies(rows: list[dict[str, str]]) -> list[str]:
    """Where a version of seed 002 Table 1 contradicts itself (used to tell the fixture from the print)."""
    e = entry("seed_s002_t1")
    by_code = {r["indicator_code"]: r for r in rows}
    problems = []
    for year in ("y2005", "y2006", "y2007"):
        total = _decimal(by_code["external_trade_turnover"][year])
        parts = _decimal(by_code["exports"][year]) + _decimal(by_code["imports"][year])
        if total != parts:
            problems.append(f"trade {year}: {total} != {parts}")
    for code, ratio in e["pct_is_ratio_of_levels"].items():
        row = by_code[code]
        level_ratio = (100 * _decimal(row["y2007"]) / _decimal(row["y2006"])).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )
        if ratio and level_ratio != _decimal(row["pct_2007_of_2006"]):
            problems.append(f"{code} pct: {row['pct_2007_of_2006']} vs levels {level_ratio}")
        growth = _decimal(row["y2006"]) / _decimal(row["y2005"])
        if not Decimal("0.5") <= growth <= Decimal(2):
            problems.append(f"{code} 2006/2005 = {growth:.2f}")
    return problems


def test_corrected_fixture_is_internally_consistent():
    header, rows = read_rows(FIXTURE)
    assert header == entry("seed_s002_t1")["header"]
    assert [r["indicator_code"] for r in rows] == [
        r["indicator_code"] for r in table("seed_s002_t1")
    ]
    assert _inconsistencies(rows) == []


def test_published_table_is_not_internally_consistent():
    problems = _inconsistencies(table("seed_s002_t1"))
    assert any(p.startswith("trade y2005") for p in problems)
    assert any(p.startswith("trade y2006") for p in problems)
    assert any(p.startswith("exports pct") for p in problems)
    assert any(p.startswith("agricultural_output 2006/2005") for p in problems)
    assert any(p.startswith("retail_trade_turnover 2006/2005") for p in problems)
