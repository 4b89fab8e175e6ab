-- growth of Kazakhstan's comparable units (int_comparable_unit_location_quotients_summed),
-- by the same SQL as the official units' mart (macro regional_growth, formulas in
-- int_regional_growth_computed): every series from 2010 covers the same territory.
-- Published as fct_comparable_unit_growth.
{{ regional_growth(ref('int_comparable_unit_location_quotients_summed')) }}
