-- US BEA 2021 use table, 15 industries: one row per printed cell, typed, nothing else.
{{ io_cell_staging('io_us_2021_use_15', row_label='Name', label_columns=['Name']) }}
