-- Location quotients of Kazakhstan's comparable units (territories unchanged across
-- the 2018 and 2022 reforms), as summed by int_comparable_unit_location_quotients_summed.
select * from {{ ref('int_comparable_unit_location_quotients_summed') }}
