-- Type I and Type II multipliers of every industry of every table. Computed by the dbt Python
-- model int_multipliers_computed (the method is stated there); this mart is its typed,
-- contract-enforced face, so what analysts read has the columns and types the contract
-- promises.
with

computed as (
    select * from {{ ref('int_multipliers_computed') }}
),

final as (
    select
        cast(economy_code as varchar) as economy_code,
        cast(table_id as varchar) as table_id,
        cast(year as bigint) as year,
        cast(industry_code as varchar) as industry_code,
        cast(measure as varchar) as measure,
        cast(model_type as varchar) as model_type,
        cast(direct_coefficient as double) as direct_coefficient,
        cast(total_effect as double) as total_effect,
        cast(multiplier as double) as multiplier,
        cast(effect_unit as varchar) as effect_unit,
    from computed
)

select * from final
