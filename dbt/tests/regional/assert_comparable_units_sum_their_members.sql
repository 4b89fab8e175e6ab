-- Every comparable unit's series is the sum of its members' series: value and
-- region total of each unit, section and year equal the sums over the official
-- units of fct_location_quotients whose comparable unit it is, and every
-- member present that year is counted. A failure means a comparable-unit
-- series dropped, double-counted or apportioned a member, so it would not be
-- comparable across the 2022 reform.
with

units as (
    select * from {{ ref('fct_comparable_unit_location_quotients') }}
),

members as (
    select lq.*, regions.comparable_unit_code
    from {{ ref('fct_location_quotients') }} as lq
    inner join {{ ref('dim_region') }} as regions
        on lq.economy_code = regions.economy_code
        and lq.region_code = regions.region_code
    where lq.economy_code = 'KZ'
),

summed as (
    select
        economy_code, classification, year, measure, industry_code,
        comparable_unit_code,
        sum(value) as value,
        count(value) as known_members,
        count(*) as members,
        sum(region_total) as region_total,
    from members
    group by all
)

select
    coalesce(units.region_code, summed.comparable_unit_code) as comparable_unit_code,
    coalesce(units.year, summed.year) as year,
    coalesce(units.industry_code, summed.industry_code) as industry_code,
    units.value as unit_value,
    summed.value as members_value,
    units.region_total as unit_region_total,
    summed.region_total as members_region_total,
    units.member_count,
    summed.members,
from units
full outer join summed
    on units.economy_code = summed.economy_code
    and units.classification = summed.classification
    and units.year = summed.year
    and units.measure = summed.measure
    and units.industry_code = summed.industry_code
    and units.region_code = summed.comparable_unit_code
where units.region_code is null
    or summed.comparable_unit_code is null
    or units.member_count <> summed.members
    or abs(units.region_total - summed.region_total) > 1e-9 * greatest(abs(summed.region_total), 1)
    or (summed.known_members = summed.members
        and abs(units.value - summed.value) > 1e-9 * greatest(abs(summed.value), 1))
    or (summed.known_members < summed.members and units.value is not null)
