-- shift_share of Kazakhstan's comparable units (int_comparable_unit_growth_computed),
-- by the same SQL as the official units' mart (macro shift_share, formulas in
-- int_shift_share_computed): every series from 2010 covers the same territory.
-- Published as fct_comparable_unit_shift_share.
{{ shift_share(ref('int_comparable_unit_growth_computed')) }}
