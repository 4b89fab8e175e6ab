-- The regional cells that rest on a back-cast: figures a release publishes for
-- a unit in a year before the unit existed (BNS's employment panel shows
-- Turkestan oblast and Shymkent city apart from 2010, though both exist from
-- 19 June 2018). They are used as published in every mart; join this table on
-- the cell key to flag them (fct_location_quotients keeps its schema).
with

cells as (
    select * from {{ ref('int_regional_cells_classified') }}
    where back_cast
),

regions as (
    select economy_code, region_code, first_year from {{ ref('int_regions_unioned') }}
),

final as (
    select
        cells.economy_code,
        cells.classification,
        cells.year,
        cells.region_code,
        cells.industry_code,
        cells.measure,
        cells.value,
        cast(regions.first_year as integer) as region_first_year,
        cells._source_sha256,
    from cells
    left join regions
        on cells.economy_code = regions.economy_code
        and cells.region_code = regions.region_code
)

select * from final
