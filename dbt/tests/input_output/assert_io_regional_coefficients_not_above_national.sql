-- A failure means a regionalised coefficient exceeds the national one or a defined FLQ
-- factor lies outside [0, 1]: min(FLQ, 1) was not applied, so a region would buy more from
-- its own industry than the national technology needs.
select *
from {{ ref('fct_regional_technical_coefficients') }}
where regional_coefficient > national_coefficient + 1e-15
    or coefficient_factor < 0
    or coefficient_factor > 1
