-- The industries of every input-output table in the table's own order: the industry
-- columns of the file layout or, for Kazakhstan, of the BNS sheets (one position per
-- code, the first column it appears in), kept where the table has accounts for them,
-- and numbered 1..n by that order. The Feser-Bergman templates build the flow matrix
-- in this order; dim_io_industry publishes the same industries and positions.
with

tables as (
    select
        table_id,
        coalesce(symmetric_raw_table, use_raw_table) as industry_raw_table,
    from {{ ref('stg_io__tables') }}
),

layout_industries as (
    select source_table, position, code
    from {{ ref('stg_io__table_layout') }}
    where axis = 'column' and role = 'industry'
    union all
    select source_table, min(column_position), column_code
    from {{ ref('int_io_kz_cells_labelled') }}
    where column_role = 'industry'
    group by source_table, column_code
),

accounts as (
    select table_id, industry_code from {{ ref('int_io_industry_accounts') }}
),

final as (
    select
        tables.table_id,
        layout_industries.code as industry_code,
        cast(row_number() over (
            partition by tables.table_id order by layout_industries.position
        ) as integer) as position,
    from tables
    inner join layout_industries
        on tables.industry_raw_table = layout_industries.source_table
    inner join accounts
        on tables.table_id = accounts.table_id
        and layout_industries.code = accounts.industry_code
)

select * from final
