-- growth of Kazakhstan's comparable units (fct_comparable_unit_location_quotients),
-- by the same SQL as the official units' mart (macro regional_growth, formulas in
-- fct_regional_growth): every series from 2010 covers the same territory.
{{ regional_growth(ref('fct_comparable_unit_location_quotients')) }}
