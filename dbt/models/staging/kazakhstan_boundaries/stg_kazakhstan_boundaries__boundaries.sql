with

source as (
    select * from {{ source('kazakhstan_boundaries', 'kz_boundaries') }}
),

renamed as (
    select
        -- ids
        cast(vintage as integer) as vintage,
        region_code,
        adm1_pcode,
        iso_3166_2_as_published,
        -- years the vintage draws
        cast(first_year as integer) as first_year,
        cast(last_year as integer) as last_year,
        -- labels, as in geokz
        name_en,
        name_kk,
        name_ru,
        -- geometry and measures
        geometry_wkt,
        cast(area_km2 as double) as area_km2,
        cast(centroid_lon as double) as centroid_lon,
        cast(centroid_lat as double) as centroid_lat,
        cast(label_lon as double) as label_lon,
        cast(label_lat as double) as label_lat,
        -- provenance
        _source_file,
        _source_sha256,
        cast(_source_row as integer) as _source_row,
    from source
)

select * from renamed
