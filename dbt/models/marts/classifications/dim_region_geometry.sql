-- The boundary of each КАТО unit in each geokz vintage, with the years it is
-- drawn for (2018 vintage: 2018-2021, 17 units; 2024 vintage: from 2022, 20
-- units) and the frame's official names beside geokz's own. A map of year Y
-- takes the vintage with first_year <= Y <= coalesce(last_year, Y); years
-- before 2018 are drawn by dagster_project/reports/maps.py from the 2018
-- vintage with Turkistan Region and Shymkent merged back into South Kazakhstan.
with

boundaries as (
    select * from {{ ref('stg_kazakhstan_boundaries__boundaries') }}
),

regions as (
    select * from {{ ref('stg_kazakhstan_frame__kato_regions') }}
),

final as (
    select
        -- ids
        'KZ' as economy_code,
        boundaries.vintage,
        boundaries.region_code,
        boundaries.first_year,
        boundaries.last_year,
        -- labels: the frame's official names, and geokz's as published
        regions.name_kk,
        regions.name_ru,
        regions.name_en,
        boundaries.name_en as geokz_name_en,
        boundaries.name_kk as geokz_name_kk,
        boundaries.name_ru as geokz_name_ru,
        regions.region_level,
        -- geometry and measures
        boundaries.geometry_wkt,
        boundaries.area_km2,
        boundaries.centroid_lon,
        boundaries.centroid_lat,
        boundaries.label_lon,
        boundaries.label_lat,
        -- provenance
        boundaries._source_file,
        boundaries._source_sha256,
    from boundaries
    left join regions
        on regions.region_code = boundaries.region_code
)

select * from final
