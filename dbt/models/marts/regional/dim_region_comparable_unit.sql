-- Comparable units of Kazakhstan: the smallest territories that stay the same
-- across the 2018 and 2022 reforms. A series summed over a unit's members is
-- comparable before and after a reform without apportioning any figure.
with

units as (
    select * from {{ ref('stg_kazakhstan_frame__kato_comparable_units') }}
),

final as (
    select
        economy_code,
        comparable_unit_code,
        name_en,
        name_ru,
        member_region_codes,
        len(string_split(member_region_codes, '|')) as member_count,
    from units
)

select * from final
