-- One row per industry of every table: the vectors the multipliers need (output, value
-- added, compensation, employment, household consumption) and the totals of its row
-- and column, pivoted from the long industry-by-industry tables.
with

tables as (
    select * from {{ ref('int_io_symmetric_tables') }}
),

vectors as (
    select
        table_id,
        column_code as industry_code,
        sum(value) filter (where account = 'output') as output,
        sum(value) filter (where account = 'primary_input' and row_code = 'value_added') as value_added,
        sum(value) filter (where account = 'primary_input' and row_code = 'compensation') as compensation,
        sum(value) filter (where account = 'employment') as employment,
        sum(value) filter (where account = 'household_consumption') as household_consumption,
        sum(value) filter (where account = 'intermediate') as intermediate_inputs,
        sum(value) filter (
            where account = 'primary_input'
            and row_code in ('imports', 'non_allocated_products')
        ) as imported_and_non_allocated_inputs,
        count(*) filter (where account = 'primary_input' and row_code = 'value_added') > 0 as has_value_added,
        count(*) filter (where account = 'primary_input' and row_code = 'compensation') > 0 as has_compensation,
        count(*) filter (where account = 'employment') > 0 as has_employment,
        count(*) filter (where account = 'household_consumption') > 0 as has_household_consumption,
    from tables
    where account <> 'final_demand'
    group by table_id, column_code
),

sales as (
    select
        table_id,
        row_code as industry_code,
        sum(value) filter (where account = 'intermediate') as intermediate_sales,
        sum(value) filter (where account = 'final_demand') as final_demand,
    from tables
    where account in ('intermediate', 'final_demand')
    group by table_id, row_code
),

joined as (
    select
        vectors.table_id,
        vectors.industry_code,
        vectors.output,
        vectors.intermediate_inputs,
        vectors.imported_and_non_allocated_inputs,
        vectors.value_added,
        vectors.compensation,
        vectors.employment,
        vectors.household_consumption,
        sales.intermediate_sales,
        sales.final_demand,
        vectors.output > 0 as in_model,
        vectors.has_value_added,
        vectors.has_compensation,
        vectors.has_employment,
        vectors.has_household_consumption,
    from vectors
    inner join sales
        on vectors.table_id = sales.table_id
        and vectors.industry_code = sales.industry_code
)

select * from joined
