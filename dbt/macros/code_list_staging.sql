{#- The staging bodies of the code lists that share one schema by construction:
    each list is a CSV of the same columns, so one body types them all (typed
    only, no logic). -#}

{#- An industry classification of Kazakhstan's frame (data/raw/kazakhstan_frame/):
    ОКЭД sections and divisions, seed 003's input-output industries. Labels in
    kk/ru/en with how far each is official. Only the seed 003 list orders its
    industries (has_position); the ОКЭД lists have no position column. -#}
{% macro kazakhstan_frame_industries_staging(source_table, has_position=false) -%}
with

source as (
    select * from {{ source('kazakhstan_frame', source_table) }}
),

renamed as (
    select
        -- ids
        economy_code,
        classification,
        industry_code,
        level as industry_level,
        nullif(parent_code, '') as parent_code,
        cast(in_partition as boolean) as in_partition,
        {% if has_position %}cast(position as integer){% else %}cast(null as integer){% endif %} as position,
        -- labels and how far each is official
        label_kk,
        label_ru,
        label_en,
        label_kk_status,
        label_ru_status,
        label_en_status,
        nullif(aliases, '') as aliases,
        -- provenance
        _source_file,
        _source_row,
    from source
)

select * from renamed
{%- endmacro %}

{#- An industry classification of a reference economy's regional frame
    (data/raw/regional_frames/): local label where the office prints one. -#}
{% macro regional_frame_industries_staging(source_table) -%}
with

source as (
    select * from {{ source('regional_frames', source_table) }}
),

renamed as (
    select
        -- ids
        economy_code,
        classification,
        industry_code,
        level as industry_level,
        nullif(parent_code, '') as parent_code,
        cast(in_partition as boolean) as in_partition,
        -- labels
        nullif(label_local, '') as label_local,
        label_en,
        nullif(aliases, '') as aliases,
        -- provenance
        _source_file,
        _source_row,
    from source
)

select * from renamed
{%- endmacro %}

{#- A crosswalk from a regional panel's industries to an input-output table's
    industries (data/raw/io_crosswalks/). -#}
{% macro io_crosswalk_staging(source_table) -%}
with

source as (
    select * from {{ source('io_crosswalks', source_table) }}
),

renamed as (
    select
        -- ids
        economy_code,
        classification,
        panel_industry_code,
        table_id,
        table_industry_code,
        -- attributes
        detail_lost,
        -- provenance
        _source_file,
        _source_row,
    from source
)

select * from renamed
{%- endmacro %}
