-- Australia 2020-21 use table, 114 industries: one row per printed cell, typed, nothing else.
-- The file has no row-label column: rows are identified by their line (source_line)
-- and named through io_table_layout.csv downstream.
{{ io_cell_staging('io_au_2021_use_114', row_label=none, label_columns=[]) }}
