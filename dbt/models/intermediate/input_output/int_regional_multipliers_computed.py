"""Regional Type I multipliers from FLQ-regionalised coefficients
(int_io_regional_technical_coefficients_computed): for every region and panel year whose
regional coefficient matrix is complete, L_r = (I - A_r)^-1 and the output,
value-added, compensation and employment effects per unit of the region's
final demand, with the national figure beside each. Value added,
compensation and employment per unit of output are the national ones (the
panels carry no regional input structure). A region/panel with any undefined
FLQ (an industry the panel does not cover) gets no multipliers rather than
made-up ones: dim_io_table and the report say which.

The computation only: analysts read marts.fct_regional_multipliers, a typed select of this
table with an enforced contract."""

import pandas as pd

from dagster_project.methods import input_output as io

KEYS = [
    "economy_code",
    "table_id",
    "table_year",
    "classification",
    "panel_year",
    "region_code",
    "flq_measure",
]
COLUMNS = {
    **{key: "int64" if key.endswith("year") else "object" for key in KEYS},
    "industry_code": "object",
    "measure": "object",
    "model_type": "object",
    "direct_coefficient": "float64",
    "total_effect": "float64",
    "multiplier": "float64",
    "national_total_effect": "float64",
    "national_multiplier": "float64",
}


def model(dbt, session):
    dbt.config(materialized="table")
    regional = dbt.ref("int_io_regional_technical_coefficients_computed").df()
    industries = dbt.ref("int_io_industries_described").df()
    accounts = dbt.ref("int_io_industry_accounts").df()
    national = dbt.ref("int_multipliers_computed").df()
    tables = dbt.ref("int_io_tables_described").df().set_index("table_id")
    national = national[national["model_type"] == io.TYPE_I].set_index(
        ["table_id", "industry_code", "measure"]
    )
    frames = []
    for key, part in regional.groupby(KEYS, sort=True):
        record = dict(zip(KEYS, key))
        table_id = record["table_id"]
        if part["regional_coefficient"].isna().any():
            continue
        members = industries[
            (industries["table_id"] == table_id) & industries["in_model"]
        ].sort_values("position")
        labels = members["industry_code"].tolist()
        if len(part) != len(labels) ** 2:
            continue
        A_r = io.long_to_square(
            part,
            labels,
            row_column="from_industry_code",
            column_column="to_industry_code",
            value_column="regional_coefficient",
        )
        label = (
            f"{table_id} regionalised for {record['region_code']} "
            f"({record['classification']} {record['panel_year']})"
        )
        L_r = io.leontief_inverse(A_r, table=label, labels=labels)
        vectors = accounts[accounts["table_id"] == table_id].set_index("industry_code").loc[labels]
        info = tables.loc[table_id]
        frame, _ = io.multiplier_table(
            L_r,
            vectors["output"].to_numpy(dtype=float),
            labels,
            value_added=vectors["value_added"].to_numpy(dtype=float)
            if info["has_value_added"]
            else None,
            compensation=vectors["compensation"].to_numpy(dtype=float)
            if info["has_compensation"]
            else None,
            employment=vectors["employment"].to_numpy(dtype=float)
            if info["has_employment"]
            else None,
        )
        reference = national.loc[
            [(table_id, c, m) for c, m in zip(frame["industry_code"], frame["measure"])]
        ]
        frame["national_total_effect"] = reference["total_effect"].to_numpy()
        frame["national_multiplier"] = reference["multiplier"].to_numpy()
        for name, value in reversed(record.items()):
            frame.insert(0, name, value)
        frames.append(frame)
    if not frames:
        # No region has a complete regional table (e.g. no panel loaded): an empty, typed table.
        return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in COLUMNS.items()})
    return pd.concat(frames, ignore_index=True)[list(COLUMNS)]
