-- shift_share of Kazakhstan's comparable units (fct_comparable_unit_location_quotients),
-- by the same SQL as the official units' mart (macro shift_share, formulas in
-- fct_shift_share): every series from 2010 covers the same territory.
{{ shift_share(ref('fct_comparable_unit_growth')) }}
