-- No Kazakhstan region may be lost through a reform: every КАТО unit appears
-- as a from_region_code of dim_region_crosswalk, every unit it leads to is a
-- region, every member of a comparable unit is a region of that unit, and
-- every region's comparable unit lists it. A failure means a series joined
-- through the crosswalk or summed over comparable units would drop a region.
with

regions as (
    select * from {{ ref('dim_region') }} where economy_code = 'KZ'
),

crosswalk as (
    select * from {{ ref('dim_region_crosswalk') }} where economy_code = 'KZ'
),

units as (
    select
        comparable_unit_code,
        unnest(string_split(member_region_codes, '|')) as member_region_code,
    from {{ ref('dim_region_comparable_unit') }}
)

select 'no_crosswalk_row' as problem, region_code as code
from regions
where region_code not in (select from_region_code from crosswalk)
union all
select 'crosswalk_to_unknown_region', to_region_code
from crosswalk
where to_region_code not in (select region_code from regions)
union all
select 'member_not_a_region_of_its_unit', units.member_region_code
from units
left join regions
    on units.member_region_code = regions.region_code
    and units.comparable_unit_code = regions.comparable_unit_code
where regions.region_code is null
union all
select 'region_missing_from_its_unit', regions.region_code
from regions
left join units
    on units.member_region_code = regions.region_code
    and units.comparable_unit_code = regions.comparable_unit_code
where units.member_region_code is null
union all
select 'crosswalk_leaves_comparable_unit', crosswalk.from_region_code
from crosswalk
inner join regions on crosswalk.to_region_code = regions.region_code
where crosswalk.comparable_unit_code <> regions.comparable_unit_code
