{#- The typing of one BNS observation release (schema release.OBSERVATION_COLUMNS)
    for the staging models that read a single release; the releases share that
    schema by contract, so one body serves them all. -#}
{% macro bns_observation_staging(release) -%}
with

source as (
    select * from {{ source('kazakhstan_bns', release) }}
),

renamed as (
    select
        -- ids
        release_id,
        economy_code,
        measure,
        region_code,
        activity_code,
        classification,
        cast(year as integer) as year,
        period,
        -- numbers (typed by the loader: NULL where a gap marker stands)
        cast(value as double) as value,
        gap_marker,
        unit,
        -- territory: a back-cast restates a year in borders not yet in force
        coalesce(back_cast, false) as back_cast,
        territorial_basis,
        region_code = 'TOTAL' as is_region_total,
        activity_code = 'TOTAL' as is_activity_total,
        -- labels as printed
        source_region,
        source_activity,
        note,
        -- provenance
        _source_file,
        _source_sha256,
        _source_sheet,
        _source_row,
        _source_column,
        _source_cell,
        _loaded_at,
    from source
)

select * from renamed
{%- endmacro %}
