-- Leontief inverse L = (I - A)^-1 of every table, long. Computed by the dbt Python model
-- int_leontief_inverse_computed (the method is stated there); this mart is its typed,
-- contract-enforced face, so what analysts read has the columns and types the contract
-- promises.
with

computed as (
    select * from {{ ref('int_leontief_inverse_computed') }}
),

final as (
    select
        cast(economy_code as varchar) as economy_code,
        cast(table_id as varchar) as table_id,
        cast(year as integer) as year,
        cast(from_industry_code as varchar) as from_industry_code,
        cast(to_industry_code as varchar) as to_industry_code,
        cast(leontief_coefficient as double) as leontief_coefficient,
    from computed
)

select * from final
