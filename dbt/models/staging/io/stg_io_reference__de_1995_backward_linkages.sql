-- Published column sums of the Leontief inverse of the Germany 1995 table; typed only.
-- The file's header is backward_linkage_colsum_L; DuckDB matches names case-insensitively.
with

source as (
    select * from {{ source('io_reference', 'io_reference_de_1995_backward_linkages') }}
),

renamed as (
    select
        -- ids
        'de_1995' as table_id,
        sector as source_label,
        -- numbers
        {{ parse_number('backward_linkage_colsum_l', decimal='.') }} as published_value,
        backward_linkage_colsum_l as value_text,
        -- provenance
        _source_file,
        _source_row,
    from source
)

select * from renamed
