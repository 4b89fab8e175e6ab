-- US BEA 2021 use table, 71 industries: one row per printed cell, typed, nothing else.
-- The file's first header cell is empty; the loader (pandas -> DuckDB) names that column C0.
{{ io_cell_staging('io_us_2021_use_71', row_label='C0', label_columns=['C0']) }}
