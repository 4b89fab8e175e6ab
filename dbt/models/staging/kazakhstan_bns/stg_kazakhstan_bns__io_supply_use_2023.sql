-- BNS supply and use tables 2023 (125 products x 72 industries), one row per published cell.
{{ bns_io_cell_staging('bns_supply_use_2023') }}
