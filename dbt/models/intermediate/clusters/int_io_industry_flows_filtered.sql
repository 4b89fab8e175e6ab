-- Intermediate flows between the industries of each input-output table: the
-- Feser-Bergman patterns are built from the industry x industry block only,
-- so final-demand columns and value-added rows are left out by requiring both
-- ends to be industries of the table (int_io_industries_ordered, which gives
-- each its position). The flows are those fct_io_flows publishes: the
-- intermediate account of int_io_symmetric_tables, as published for symmetric
-- tables and derived for supply/use tables.
with

flows as (
    select table_id, row_code, column_code, value
    from {{ ref('int_io_symmetric_tables') }}
    where account = 'intermediate'
),

tables as (
    select table_id, economy_code, year, unit from {{ ref('stg_io__tables') }}
),

industries as (
    select table_id, industry_code, position from {{ ref('int_io_industries_ordered') }}
),

industry_flows as (
    select
        cast(tables.economy_code as varchar) as economy_code,
        cast(flows.table_id as varchar) as table_id,
        cast(tables.year as integer) as year,
        cast(flows.row_code as varchar) as from_industry_code,
        cast(flows.column_code as varchar) as to_industry_code,
        sellers.position as from_position,
        buyers.position as to_position,
        cast(flows.value as double) as flow_value,
        cast(tables.unit as varchar) as unit,
    from flows
    inner join tables on flows.table_id = tables.table_id
    inner join industries as sellers
        on flows.table_id = sellers.table_id
        and flows.row_code = sellers.industry_code
    inner join industries as buyers
        on flows.table_id = buyers.table_id
        and flows.column_code = buyers.industry_code
)

select * from industry_flows
