with

source as (
    select * from {{ source('quality', 'check_results') }}
),

renamed as (
    select
        -- ids
        table_id,
        check_name,
        indicator,
        year,
        value_column,
        -- numbers
        expected,
        observed,
        deviation,
        tolerance,
        suggested_value,
        -- verdicts and labels
        passed,
        severity,
        description,
        involved_cells,
        suggested_cell,
        reason,
        checked_at,
    from source
)

select * from renamed
