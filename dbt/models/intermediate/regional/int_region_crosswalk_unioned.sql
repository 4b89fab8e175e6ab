-- Old -> new regional units. Kazakhstan's rows record the 2018 and 2022
-- reforms (renamed_reduced, continues_reduced, split_off) and an "unchanged"
-- row for every other unit; the Länder and the EU-28 member states did not
-- change over their panels and map to themselves. Every region of dim_region
-- appears as a from_region_code, so a join through this table never drops a
-- region. No weights are given: apportioning an old figure to new units would
-- invent numbers; sum over the comparable unit instead. Published as
-- dim_region_crosswalk.
with

kz as (
    select * from {{ ref('stg_kazakhstan_frame__kato_region_crosswalk') }}
),

regions as (
    select * from {{ ref('int_regions_unioned') }}
),

unchanged_elsewhere as (
    select
        economy_code,
        region_code as from_region_code,
        region_code as to_region_code,
        'unchanged' as change_type,
        cast(null as date) as change_date,
        cast(null as integer) as first_year_of_change,
        'no change of this unit over the panels shipped' as note,
    from regions
    where economy_code <> 'KZ'
),

crosswalk as (
    select economy_code, from_region_code, to_region_code, change_type, change_date, first_year_of_change, note,
    from kz
    union all
    select * from unchanged_elsewhere
),

final as (
    select
        crosswalk.economy_code,
        crosswalk.from_region_code,
        crosswalk.to_region_code,
        crosswalk.change_type,
        crosswalk.change_date,
        crosswalk.first_year_of_change,
        from_regions.comparable_unit_code,
        crosswalk.note,
    from crosswalk
    inner join regions as from_regions
        on crosswalk.economy_code = from_regions.economy_code
        and crosswalk.from_region_code = from_regions.region_code
)

select * from final
