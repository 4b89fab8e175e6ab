"""The suites of the seed tables: what each published table must satisfy.

Row codes are the stable ASCII codes of the transcriptions in
``data/raw/seeds``; which "% of previous year" figures are ratios of levels
and which are volume indices is read from the manifest (``price_basis``),
where the decision is written down with its reason.
"""

from __future__ import annotations

from dagster_project.ingestion.manifest import ManifestEntry
from dagster_project.quality import checks
from dagster_project.quality.checks import CheckFunction, Grid, HalfUnits, Instance
from dagster_project.quality.suites import CheckDefinition, PublishedTableSuite

VOLUME_INDEX = "volume_index"


def all_of(*functions: CheckFunction) -> CheckFunction:
    def check(grid: Grid, half_units: HalfUnits) -> list[Instance]:
        return [i for f in functions for i in f(grid, half_units)]

    return check


def ratio_of_levels_indicators(entry: ManifestEntry) -> list[str]:
    """Indicators whose "% of previous year" the manifest declares a ratio of the
    printed levels (``pct_is_ratio_of_levels: true``)."""
    return sorted(c for c, v in entry.extra.get("pct_is_ratio_of_levels", {}).items() if v is True)


def volume_index_indicators(entry: ManifestEntry) -> list[str]:
    """Indicators whose index the manifest declares a volume index in comparable prices."""
    return sorted(c for c, v in entry.extra.get("price_basis", {}).items() if v == VOLUME_INDEX)


S002_LEVELS = ["y2005", "y2006", "y2007"]

S002_T1 = PublishedTableSuite(
    raw_table="seed_s002_t1",
    table_id="s002_t1",
    row_code="indicator_code",
    checks=(
        CheckDefinition(
            "levels_positive",
            "Every level (2005-2007) is a positive number: output, trade, investment, "
            "income and debts of the oblast cannot be zero or negative.",
            lambda entry: checks.value_range("levels_positive", None, S002_LEVELS, 0.0, 1e12),
        ),
        CheckDefinition(
            "external_trade_identity",
            "External trade turnover = exports + imports in every year, within the rounding "
            "of the printed figures.",
            lambda entry: checks.sum_identity(
                "external_trade_identity", "external_trade_turnover", ["exports", "imports"],
                S002_LEVELS,
            ),
        ),
        CheckDefinition(
            "index_matches_levels",
            "For indicators whose '2007 in % of 2006' is a ratio of levels (current prices, "
            "US dollars, tonnes, tenge per person), the index equals 100 x 2007 / 2006 within "
            "one unit of its last printed digit (authors truncate as often as they round).",
            lambda entry: checks.percent_of_previous(
                "index_matches_levels", ratio_of_levels_indicators(entry),
                "y2007", "y2006", "pct_2007_of_2006",
            ),
        ),
        CheckDefinition(
            "volume_index_implied_prices",
            "For indicators whose index is a physical-volume index in comparable prices, the "
            "ratio of current-price levels differs by the price change: the implied price "
            "index must lie between 90 % and 140 % (not equal to the volume index).",
            lambda entry: checks.implied_price_index(
                "volume_index_implied_prices", volume_index_indicators(entry),
                "y2007", "y2006", "pct_2007_of_2006", 90.0, 140.0,
            ),
        ),
        CheckDefinition(
            "index_range",
            "'2007 in % of 2006' lies between 30 % and 300 %.",
            lambda entry: checks.value_range("index_range", None, ["pct_2007_of_2006"], 30.0, 300.0),
        ),
        CheckDefinition(
            "year_on_year_plausibility",
            "No level changes by more than a factor of 5 from one year to the next (a tenfold "
            "jump is almost always a dropped or extra digit).",
            lambda entry: checks.year_on_year_plausibility(
                "year_on_year_plausibility", None, S002_LEVELS, 5.0,
            ),
        ),
    ),
)

S001_T1 = PublishedTableSuite(
    raw_table="seed_s001_t1",
    table_id="s001_t1",
    row_code="country_code",
    checks=(
        CheckDefinition(
            "values_in_range",
            "Firm competitiveness on the WEF 1-7 scale, innovation index 0-100, FDI "
            "non-negative, R&D spending 0-10 % of GDP.",
            lambda entry: all_of(
                checks.value_range("values_in_range", None, ["f1_firm_competitiveness"], 1.0, 7.0),
                checks.value_range("values_in_range", None, ["f2_innovation_index"], 0.0, 100.0),
                checks.value_range("values_in_range", None, ["f3_fdi"], 0.0, 1e6),
                checks.value_range("values_in_range", None, ["f4_rd_pct_gdp"], 0.0, 10.0),
            ),
        ),
        CheckDefinition(
            "factor_correlation",
            "The article states r = 0.89 between factor 1 (firm competitiveness) and factor 2 "
            "(innovation index); recomputed from the printed table it must round to 0.89.",
            lambda entry: checks.published_correlation(
                "factor_correlation", "f1_firm_competitiveness", "f2_innovation_index", 0.89, 2
            ),
        ),
    ),
)

S003_T1 = PublishedTableSuite(
    raw_table="seed_s003_t1",
    table_id="s003_t1",
    row_code="country_code",
    checks=(
        CheckDefinition(
            "cluster_counts_in_range",
            "Number of clusters per country is between 0 and 10 000.",
            lambda entry: checks.value_range(
                "cluster_counts_in_range", None, ["cluster_count"], 0.0, 10_000.0
            ),
        ),
    ),
)

S003_COMPONENTS = [f"pc{k}" for k in range(1, 8)]

S003_T2 = PublishedTableSuite(
    raw_table="seed_s003_t2",
    table_id="s003_t2",
    row_code="industry_code",
    checks=(
        CheckDefinition(
            "loadings_in_range",
            "Rotated component loadings are correlations: each lies in [-1, 1].",
            lambda entry: checks.value_range("loadings_in_range", None, S003_COMPONENTS, -1.0, 1.0),
        ),
        CheckDefinition(
            "communality_at_most_one",
            "An industry's squared loadings sum to its communality, the share of its variance "
            "the 7 components explain: at most 1 (within the rounding of the loadings).",
            lambda entry: checks.row_sum_of_squares_at_most(
                "communality_at_most_one", S003_COMPONENTS, 1.0
            ),
        ),
    ),
)

S003_T3 = PublishedTableSuite(
    raw_table="seed_s003_t3",
    table_id="s003_t3",
    row_code="industry_code",
    checks=(
        CheckDefinition(
            "multipliers_consistent_with_method",
            "Output multipliers (column sums of the Leontief inverse) and Type II household "
            "income multipliers are at least 1; value-added multipliers lie in (0, 1] because "
            "each unit of final demand cannot create more than one unit of value added.",
            lambda entry: all_of(
                checks.value_range(
                    "multipliers_consistent_with_method", None,
                    ["output_multiplier", "household_income_multiplier"], 1.0, 100.0,
                ),
                checks.value_range(
                    "multipliers_consistent_with_method", None, ["value_added_multiplier"],
                    1e-9, 1.0,
                ),
            ),
        ),
    ),
)

SUITES: dict[str, PublishedTableSuite] = {
    suite.raw_table: suite for suite in (S001_T1, S002_T1, S003_T1, S003_T2, S003_T3)
}


def suite_for(raw_table: str) -> PublishedTableSuite | None:
    return SUITES.get(raw_table)
