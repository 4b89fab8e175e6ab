-- Regional Type I multipliers from the FLQ-regionalised coefficients. Computed by the dbt
-- Python model int_regional_multipliers_computed (the method is stated there); this mart is
-- its typed, contract-enforced face, so what analysts read has the columns and types the
-- contract promises.
with

computed as (
    select * from {{ ref('int_regional_multipliers_computed') }}
),

final as (
    select
        cast(economy_code as varchar) as economy_code,
        cast(table_id as varchar) as table_id,
        cast(table_year as bigint) as table_year,
        cast(classification as varchar) as classification,
        cast(panel_year as bigint) as panel_year,
        cast(region_code as varchar) as region_code,
        cast(flq_measure as varchar) as flq_measure,
        cast(industry_code as varchar) as industry_code,
        cast(measure as varchar) as measure,
        cast(model_type as varchar) as model_type,
        cast(direct_coefficient as double) as direct_coefficient,
        cast(total_effect as double) as total_effect,
        cast(multiplier as double) as multiplier,
        cast(national_total_effect as double) as national_total_effect,
        cast(national_multiplier as double) as national_multiplier,
    from computed
)

select * from final
