-- A failure means a regional multiplier exceeds the national one: with regional
-- coefficients never above the national ones, the regional Leontief inverse cannot exceed
-- the national one, so the regionalisation or the inversion is wrong.
select *
from {{ ref('fct_regional_multipliers') }}
where total_effect > national_total_effect + 1e-12
