-- Regions of every economy with their codes, names and validity. Kazakhstan's
-- КАТО units are dated (South Kazakhstan until 2018; Turkistan and Shymkent
-- from 2018; Abai, Zhetisu, Ulytau from 2022) and point to the comparable unit
-- a series spanning a reform is summed over; regions of other economies are
-- their own comparable unit. Each economy has its own rows.
with

regions as (
    select * from {{ ref('int_regions_unioned') }}
),

final as (
    select
        economy_code,
        classification,
        region_code,
        region_level,
        name_en,
        name_ru,
        name_kk,
        name_local,
        alternative_codes,
        comparable_unit_code,
        valid_from,
        valid_to,
        first_year,
        last_year,
        aliases,
    from regions
)

select * from final
