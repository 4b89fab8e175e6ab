-- Intermediate flows between the industries of every table (from = seller, to = buyer):
-- as published for symmetric tables, derived under the fixed product-sales structure
-- for supply/use tables (value_status 'derived').
with

flows as (
    select * from {{ ref('int_io_symmetric_tables') }}
    where account = 'intermediate'
),

tables as (
    select table_id, economy_code, year, unit from {{ ref('stg_io__tables') }}
),

final as (
    select
        cast(tables.economy_code as varchar) as economy_code,
        cast(flows.table_id as varchar) as table_id,
        cast(tables.year as integer) as year,
        cast(flows.row_code as varchar) as from_industry_code,
        cast(flows.column_code as varchar) as to_industry_code,
        cast(flows.value as double) as flow_value,
        cast(tables.unit as varchar) as unit,
        cast(flows.value_status as varchar) as value_status,
    from flows
    inner join tables on flows.table_id = tables.table_id
)

select * from final
