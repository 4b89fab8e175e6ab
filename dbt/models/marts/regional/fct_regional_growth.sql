-- Compound annual growth of every region-industry cell over its panel's span, as
-- computed by int_regional_growth_computed (formulas there).
select * from {{ ref('int_regional_growth_computed') }}
