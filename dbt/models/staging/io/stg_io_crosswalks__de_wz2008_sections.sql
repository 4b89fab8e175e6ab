-- Crosswalk from the regional panel's industries to the Germany 1995 table's groups; typed only.
with

source as (
    select * from {{ source('io_crosswalks', 'io_crosswalk_de_wz2008_sections') }}
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
