-- Netherlands 2000 symmetric table: one row per printed cell, typed, nothing else.
{{ io_cell_staging('io_nl_2000_siot', row_label='prod_na', label_columns=['prod_na']) }}
