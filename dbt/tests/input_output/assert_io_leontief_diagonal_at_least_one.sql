-- A failure means a diagonal entry of a Leontief inverse is below 1: a unit of final demand
-- for an industry must raise its own output by at least that unit, so L_ii < 1 means the
-- coefficients or the inversion are wrong.
select
    table_id,
    from_industry_code as industry_code,
    leontief_coefficient,
from {{ ref('fct_leontief_inverse') }}
where from_industry_code = to_industry_code
    and leontief_coefficient < 1 - 1e-12
