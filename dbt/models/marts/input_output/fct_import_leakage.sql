-- Import leakage of every table of domestic flows. Computed by the dbt Python model
-- int_import_leakage_computed (the method is stated there); this mart is its typed, contract-
-- enforced face, so what analysts read has the columns and types the contract promises.
with

computed as (
    select * from {{ ref('int_import_leakage_computed') }}
),

final as (
    select
        cast(economy_code as varchar) as economy_code,
        cast(table_id as varchar) as table_id,
        cast(year as bigint) as year,
        cast(industry_code as varchar) as industry_code,
        cast(direct_import_coefficient as double) as direct_import_coefficient,
        cast(import_leakage as double) as import_leakage,
        cast(product_tax_effect as double) as product_tax_effect,
        cast(value_added_effect as double) as value_added_effect,
        cast(non_allocated_effect as double) as non_allocated_effect,
        cast(closure_gap as double) as closure_gap,
    from computed
)

select * from final
