-- US BEA 2021 supply ('make') table, 71 industries: one row per printed cell, typed, nothing else.
{{ io_cell_staging('io_us_2021_supply_71', row_label='Name', label_columns=['Name']) }}
