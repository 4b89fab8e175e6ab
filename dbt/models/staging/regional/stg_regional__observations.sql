with

source as (
    select * from {{ source('regional', 'regional_observations') }}
),

renamed as (
    select
        -- ids
        economy_code,
        classification,
        cast(year as integer) as year,
        region_code,
        industry_code,
        measure,
        -- numbers
        value,
        gap_marker,
        unit,
        -- published totals carry the reserved code TOTAL
        region_code = 'TOTAL' as is_region_total,
        industry_code = 'TOTAL' as is_industry_total,
        -- labels as printed
        source_region,
        source_industry,
        -- provenance
        _source_file,
        _source_sha256,
        _source_row,
        _loaded_at,
    from source
)

select * from renamed
