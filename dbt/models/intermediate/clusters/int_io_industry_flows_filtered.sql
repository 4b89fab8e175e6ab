-- Intermediate flows between the industries of each input-output table: the
-- Feser-Bergman patterns are built from the industry x industry block only,
-- so final-demand columns and value-added rows (if the flows carry them) are
-- left out by requiring both ends to be industries of the table
-- (int_io_industries_described, which gives each its position in the table).
with

flows as (
    select * from {{ ref('int_io_flows_joined') }}
),

industries as (
    select table_id, industry_code, position from {{ ref('int_io_industries_described') }}
),

industry_flows as (
    select
        flows.economy_code,
        flows.table_id,
        flows.year,
        flows.from_industry_code,
        flows.to_industry_code,
        sellers.position as from_position,
        buyers.position as to_position,
        flows.flow_value,
        flows.unit,
    from flows
    inner join industries as sellers
        on flows.table_id = sellers.table_id
        and flows.from_industry_code = sellers.industry_code
    inner join industries as buyers
        on flows.table_id = buyers.table_id
        and flows.to_industry_code = buyers.industry_code
)

select * from industry_flows
