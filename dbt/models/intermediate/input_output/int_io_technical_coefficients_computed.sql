-- Technical coefficients a_ij = z_ij / x_j of the industries that have output (both ends):
-- the input of industry i needed per unit of output of industry j.
with

flows as (
    select * from {{ ref('int_io_flows_joined') }}
),

industries as (
    select table_id, industry_code, output
    from {{ ref('int_io_industries_described') }}
    where in_model
),

final as (
    select
        flows.economy_code,
        flows.table_id,
        flows.year,
        flows.from_industry_code,
        flows.to_industry_code,
        cast(flows.flow_value / buyers.output as double) as technical_coefficient,
    from flows
    inner join industries as sellers
        on flows.table_id = sellers.table_id
        and flows.from_industry_code = sellers.industry_code
    inner join industries as buyers
        on flows.table_id = buyers.table_id
        and flows.to_industry_code = buyers.industry_code
)

select * from final
