-- BNS symmetric input-output tables 2023 (68 products x 68 products), one row per published cell.
{{ bns_io_cell_staging('bns_input_output_2023') }}
