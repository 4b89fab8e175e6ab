with

source as (
    select * from {{ source('seeds', 'seed_s001_t1') }}
),

unpivoted as (
    unpivot source
    on f1_firm_competitiveness, f2_innovation_index, f3_fdi, f4_rd_pct_gdp
    into name value_column value value_text
),

renamed as (
    select
        -- ids
        's001_t1' as table_id,
        country_code,
        value_column,
        -- numbers
        cast(row_no as integer) as row_no,
        {{ parse_number('value_text') }} as value,
        {{ gap_marker('value_text') }} as gap_marker,
        value_text,
        -- labels
        label_restored_kk,
        restoration_confidence,
        -- provenance
        _source_file,
        _source_row,
    from unpivoted
)

select * from renamed
