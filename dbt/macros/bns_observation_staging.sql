{#- The typing of one BNS observation release (schema release.OBSERVATION_COLUMNS):
    the single-release staging models are this body, and stg_kazakhstan_bns__observations
    unions it over every observation release. The releases share that schema by
    contract, so one body serves them all; every column is cast to the contract's
    type so that a release whose column the loader could not type (all NULL) still
    unions with the others. -#}
{% macro bns_observation_staging(release) -%}
with

source as (
    select * from {{ source('kazakhstan_bns', release) }}
),

renamed as (
    select
        -- ids
        cast(release_id as varchar) as release_id,
        cast(economy_code as varchar) as economy_code,
        cast(measure as varchar) as measure,
        cast(region_code as varchar) as region_code,
        cast(activity_code as varchar) as activity_code,
        cast(classification as varchar) as classification,
        cast(year as integer) as year,
        cast(period as varchar) as period,
        -- numbers (typed by the loader: NULL where a gap marker stands)
        cast(value as double) as value,
        cast(gap_marker as varchar) as gap_marker,
        cast(unit as varchar) as unit,
        -- territory: a back-cast restates a year in borders not yet in force
        coalesce(cast(back_cast as boolean), false) as back_cast,
        cast(territorial_basis as varchar) as territorial_basis,
        region_code = 'TOTAL' as is_region_total,
        activity_code = 'TOTAL' as is_activity_total,
        -- labels as printed
        cast(source_region as varchar) as source_region,
        cast(source_activity as varchar) as source_activity,
        cast(note as varchar) as note,
        -- provenance
        cast(_source_file as varchar) as _source_file,
        cast(_source_sha256 as varchar) as _source_sha256,
        cast(_source_sheet as varchar) as _source_sheet,
        cast(_source_row as bigint) as _source_row,
        cast(_source_column as varchar) as _source_column,
        cast(_source_cell as varchar) as _source_cell,
        cast(_loaded_at as timestamp) as _loaded_at,
    from source
)

select * from renamed
{%- endmacro %}
