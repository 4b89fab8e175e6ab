"""A reference implementation of the dbt I-O staging for tests (and nothing
else): the long cells of one raw text file, as the staging models
(``dbt/models/staging/io/stg_io__*.sql``) joined with the file layout
(``data/raw/io/io_table_layout.csv``) in ``int_io_source_cells_labelled``
produce them, so the methods can be tested on the shipped files without a
warehouse."""

from __future__ import annotations

import pandas as pd

from dagster_project.methods.supply_use import EMPTY, NOT_PUBLISHED, PUBLISHED, SUPPRESSED

GAP_STATUS = {"---": SUPPRESSED, "n.p.": NOT_PUBLISHED}


def cells_from_text_table(frame: pd.DataFrame, layout: pd.DataFrame) -> pd.DataFrame:
    """Long cells of one raw file: ``frame`` as the loader reads it (every
    column text, plus ``_source_row``), ``layout`` the rows of
    ``io_table_layout.csv`` for that file. Mirrors the dbt staging + layout
    join, so tests can work without a warehouse."""
    rows = layout[layout["axis"] == "row"].assign(position=lambda d: d["position"].astype(int))
    cols = layout[layout["axis"] == "column"].assign(position=lambda d: d["position"].astype(int))
    wide = frame.set_index(frame["_source_row"].astype(int))[cols["source_label"].tolist()]
    wide = wide.loc[wide.index.intersection(rows["position"])]
    long = (
        wide.rename_axis("row_position")
        .reset_index()
        .melt(id_vars="row_position", var_name="source_label", value_name="cell_text")
    )
    long = long.merge(
        rows.rename(columns={"position": "row_position", "role": "row_role", "code": "row_code"})[
            ["row_position", "row_role", "row_code"]
        ],
        on="row_position",
    ).merge(
        cols.rename(
            columns={"position": "column_position", "role": "column_role", "code": "column_code"}
        )[["source_label", "column_position", "column_role", "column_code"]],
        on="source_label",
    )
    text = long["cell_text"].fillna("").astype(str).str.strip()
    value = pd.to_numeric(text.where(~text.isin(list(GAP_STATUS)) & (text != "")), errors="coerce")
    unreadable = value.isna() & ~text.isin(list(GAP_STATUS)) & (text != "")
    if unreadable.any():
        first = long[unreadable].iloc[0]
        raise ValueError(
            f"line {first['row_position']}, column {first['source_label']!r}: not a number {first['cell_text']!r}"
        )
    status = text.map(GAP_STATUS).fillna(PUBLISHED)
    status = status.where(text != "", EMPTY)
    return long.assign(value=value.astype(float), value_status=status)[
        [
            "row_position",
            "row_role",
            "row_code",
            "column_position",
            "column_role",
            "column_code",
            "value",
            "value_status",
        ]
    ]
