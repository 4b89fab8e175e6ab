-- io_table_layout.csv: the role and warehouse code of every row and column of every
-- input-output file; typed only.
with

source as (
    select * from {{ source('io', 'io_table_layout') }}
),

renamed as (
    select
        -- ids
        raw_table as source_table,
        axis,
        cast({{ parse_number('position', decimal='.') }} as integer) as position,
        source_label,
        -- attributes
        role,
        code,
        code_label,
        unit,
        -- provenance
        _source_file,
        _source_row,
    from source
)

select * from renamed
