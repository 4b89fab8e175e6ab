-- A failure means a Leontief inverse has a negative entry: the table is not productive
-- (some industry needs, directly and indirectly, more than one unit of inputs per unit of
-- output) or the inversion went wrong. Entries that are exactly 0 in theory may come out of
-- LAPACK as about -1e-17; only values below -1e-12 count as negative.
select
    table_id,
    from_industry_code,
    to_industry_code,
    leontief_coefficient,
from {{ ref('fct_leontief_inverse') }}
where leontief_coefficient < -1e-12
