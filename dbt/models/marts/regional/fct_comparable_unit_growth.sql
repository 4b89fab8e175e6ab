-- Growth of Kazakhstan's comparable units, as computed by
-- int_comparable_unit_growth_computed (the SQL of the official units' growth).
select * from {{ ref('int_comparable_unit_growth_computed') }}
