-- The industries of every input-output table in table order, with their label from the
-- file layout or, for Kazakhstan, the BNS sheets (for supply/use tables: the use table's
-- industry columns) and whether they
-- enter the Leontief model (an industry without output, e.g. coal mining in Belgium, has
-- no input structure and stays out of coefficients and multipliers).
with

tables as (
    select
        table_id,
        coalesce(symmetric_raw_table, use_raw_table) as industry_raw_table,
    from {{ ref('stg_io__tables') }}
),

layout_industries as (
    select source_table, position, code, code_label
    from {{ ref('stg_io__table_layout') }}
    where axis = 'column' and role = 'industry'
    union all
    -- Kazakhstan: the industry columns of the BNS sheets (one position and label per code;
    -- the label as printed in the sheet read first, the same product in every sheet).
    select source_table, min(column_position), column_code, arg_min(column_label, bns_table_code)
    from {{ ref('int_io_kz_cells_labelled') }}
    where column_role = 'industry'
    group by source_table, column_code
),

accounts as (
    select table_id, industry_code, output, in_model
    from {{ ref('int_io_industry_accounts') }}
),

final as (
    select
        cast(tables.table_id as varchar) as table_id,
        cast(layout_industries.code as varchar) as industry_code,
        cast(layout_industries.code_label as varchar) as industry_label,
        cast(row_number() over (
            partition by tables.table_id order by layout_industries.position
        ) as integer) as position,
        cast(accounts.output as double) as output,
        cast(accounts.in_model as boolean) as in_model,
        -- Position among the industries of the Leontief model: the row and column index of
        -- A and L (NULL for an industry without output).
        cast(case when accounts.in_model then row_number() over (
            partition by tables.table_id, accounts.in_model order by layout_industries.position
        ) end as integer) as model_position,
    from tables
    inner join layout_industries
        on tables.industry_raw_table = layout_industries.source_table
    inner join accounts
        on tables.table_id = accounts.table_id
        and layout_industries.code = accounts.industry_code
)

select * from final
