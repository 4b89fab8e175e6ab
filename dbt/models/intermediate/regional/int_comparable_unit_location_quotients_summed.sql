-- Location quotients of Kazakhstan's comparable units: the smallest
-- territories unchanged across the 2018 and 2022 reforms (Abai + East
-- Kazakhstan, Zhetisu + Almaty oblast, Ulytau + Karaganda, Turkestan +
-- Shymkent; dim_region_comparable_unit), so every series from 2010 compares
-- the same territory. A unit's cell is the sum of its members' cells in
-- int_location_quotients_computed and its total the sum of their region totals (the
-- release's own where printed); the industry and economy totals are the
-- republic's, unchanged. Nothing is apportioned: before 2022 the unit has one
-- member, from 2022 two. A cell with a gap in any member is a gap (NULL, the
-- members' markers listed). region_code holds the comparable unit's code, so
-- the regional measures (regional_growth, shift_share, specialisation_indices
-- macros) run on these rows unchanged. Published as fct_comparable_unit_location_quotients.
with

lq as (
    select * from {{ ref('int_location_quotients_computed') }}
    where economy_code = 'KZ'
),

-- the location quotients keep their schema; the back-cast flag comes from the cells.
cells as (
    select economy_code, classification, year, region_code, industry_code, measure, back_cast
    from {{ ref('int_regional_cells_classified') }}
    where economy_code = 'KZ'
),

regions as (
    select economy_code, region_code, comparable_unit_code
    from {{ ref('int_regions_unioned') }}
    where economy_code = 'KZ'
),

members as (
    select lq.*, regions.comparable_unit_code, cells.back_cast
    from lq
    inner join regions
        on lq.economy_code = regions.economy_code
        and lq.region_code = regions.region_code
    inner join cells
        on lq.economy_code = cells.economy_code
        and lq.classification = cells.classification
        and lq.year = cells.year
        and lq.region_code = cells.region_code
        and lq.industry_code = cells.industry_code
        and lq.measure = cells.measure
),

summed as (
    select
        economy_code,
        classification,
        year,
        comparable_unit_code as region_code,
        industry_code,
        measure,
        any_value(unit) as unit,
        case when count(value) = count(*) then sum(value) end as value,
        string_agg(distinct gap_marker, '') filter (where gap_marker is not null) as gap_marker,
        bool_and(in_partition) as in_partition,
        sum(region_total) as region_total,
        any_value(industry_total) as industry_total,
        any_value(economy_total) as economy_total,
        bool_and(region_total_published) as region_total_published,
        bool_and(industry_total_published) as industry_total_published,
        bool_and(economy_total_published) as economy_total_published,
        count(*) as member_count,
        string_agg(region_code, '|' order by region_code) as member_region_codes,
        bool_or(back_cast) as back_cast,
        string_agg(distinct _source_sha256, '|') as _source_sha256,
    from members
    group by economy_code, classification, year, comparable_unit_code, industry_code, measure
),

quotients as (
    select
        *,
        value / nullif(region_total, 0)
            / nullif(industry_total / nullif(economy_total, 0), 0) as lq,
    from summed
),

final as (
    select
        economy_code,
        classification,
        year,
        region_code,
        industry_code,
        measure,
        unit,
        value,
        gap_marker,
        in_partition,
        region_total,
        industry_total,
        economy_total,
        region_total_published,
        industry_total_published,
        economy_total_published,
        lq,
        {{ lq_class('lq') }} as lq_class,
        member_count,
        member_region_codes,
        back_cast,
        _source_sha256,
    from quotients
)

select * from final
