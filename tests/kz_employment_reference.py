"""An independent reading of BNS's employment-by-activity-and-region workbook
(sheet TEA_regions) with pandas, for tests of the regional marts of Kazakhstan:
labels mapped by hand-written dictionaries (not the project's resolver), year
blocks found by their 'NNNN year' header, five columns (Q1..Q4, year) per unit."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from dagster_project import settings

WORKBOOK = (
    settings.PROJECT_ROOT / "data/raw/kazakhstan_bns/employed_population_by_activity_and_region_2010_2024.xlsx"
)

ACTIVITIES = {
    "total number of persons employed in the economy": "TOTAL",
    "agriculture, forestry and fishing": "A",
    "industry": "B-E",
    "mining and quarrying": "B",
    "manufacturing": "C",
    "electricity, gas, steam and air conditioning supply": "D",
    "water supply; sewerage, waste management and remediation activities": "E",
    "construction": "F",
    "wholesale and retail trade; repair of motor vehicles and motorcycles": "G",
    "transportation and storage": "H",
    "accommodation and food service activities": "I",
    "information and communication": "J",
    "financial and insurance activities": "K",
    "real estate activities": "L",
    "proffesional, scientific and technical activities": "M",
    "administrative and support service activities": "N",
    "public administration and defence; compulsory social security": "O",
    "education": "P",
    "human health and social work activities": "Q",
    "arts, entertainment and recreation": "R",
    "other service activities": "S",
    "activities of households employing domestic workers and producing goods and services for own consumption": "T",
    "activities of extraterritorial organizations and dodies": "U",
}

REGIONS = {
    "republic of kazakhstan": "TOTAL",
    "abai": "100000000",
    "akmolinskaya": "110000000",
    "aktubinskaya": "150000000",
    "almatinskaya": "190000000",
    "atyrauskaya": "230000000",
    "west kazakhstan": "270000000",
    "zhambylskaya": "310000000",
    "jetisu": "330000000",
    "karagandinskaya": "350000000",
    "kostanaiskaya": "390000000",
    "kyzylordinskaya": "430000000",
    "mangistauskaya": "470000000",
    "pavlodarskaya": "550000000",
    "north kazakhstan": "590000000",
    "turkestanskaya": "610000000",
    "ulytau": "620000000",
    "east kazakhstan": "630000000",
    "astana city": "710000000",
    "nur-sultan city": "710000000",
    "almaty city": "750000000",
    "shimkent city": "790000000",
}
PERIODS = ("Q1", "Q2", "Q3", "Q4", "year")
# Turkestan oblast and Shymkent city exist from 19 June 2018; BNS shows them apart from 2010.
BACK_CAST = {"610000000": 2018, "790000000": 2018}


def _key(text) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().lower()


def read_reference(path: Path = WORKBOOK) -> pd.DataFrame:
    """Every published cell of TEA_regions: region_code, activity_code, year,
    period, value (NaN for a gap), gap_marker, back_cast, _source_cell."""
    sheet = pd.read_excel(path, sheet_name="TEA_regions", header=None)
    rows = []
    blocks = [i for i in range(len(sheet)) if re.fullmatch(r"\d{4} year", _key(sheet.iat[i, 1]))]
    for position, start in enumerate(blocks):
        year = int(_key(sheet.iat[start, 1])[:4])
        stop = blocks[position + 1] if position + 1 < len(blocks) else len(sheet)
        for column in range(1, sheet.shape[1], 5):
            if pd.isna(sheet.iat[start + 1, column]):
                continue
            region = REGIONS[_key(sheet.iat[start + 1, column])]
            for row in range(start + 3, stop):
                label = sheet.iat[row, 0]
                if pd.isna(label):
                    continue
                activity = ACTIVITIES[_key(label)]
                for offset, period in enumerate(PERIODS):
                    raw = sheet.iat[row, column + offset]
                    if pd.isna(raw):
                        continue
                    gap = isinstance(raw, str)
                    rows.append(
                        {
                            "region_code": region,
                            "activity_code": activity,
                            "year": year,
                            "period": period,
                            "value": float("nan") if gap else float(raw),
                            "gap_marker": raw.strip() if gap else None,
                            "back_cast": year < BACK_CAST.get(region, 0),
                            "_source_cell": f"{_column_letter(column + offset + 1)}{row + 1}",
                        }
                    )
    return pd.DataFrame(rows)


def _column_letter(number: int) -> str:
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
