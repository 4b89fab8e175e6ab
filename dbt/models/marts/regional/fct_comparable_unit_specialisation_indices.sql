-- specialisation_indices of Kazakhstan's comparable units (fct_comparable_unit_location_quotients),
-- by the same SQL as the official units' mart (macro specialisation_indices, formulas in
-- fct_specialisation_indices): every series from 2010 covers the same territory.
{{ specialisation_indices(ref('fct_comparable_unit_location_quotients')) }}
