-- Seed 003 Table 3 beside the same multipliers of BNS's 2023 national table and its East
-- Kazakhstan regionalisation. Computed by the dbt Python model
-- int_s003_t3_multiplier_comparison_computed (the method is stated there); this mart is its
-- typed, contract-enforced face, so what analysts read has the columns and types the contract
-- promises.
with

computed as (
    select * from {{ ref('int_s003_t3_multiplier_comparison_computed') }}
),

final as (
    select
        cast(published_table_id as varchar) as published_table_id,
        cast(national_table_id as varchar) as national_table_id,
        cast(industry_code as varchar) as industry_code,
        cast(row_no as integer) as row_no,
        cast(label_printed as varchar) as label_printed,
        cast(published_household_income_multiplier as double) as published_household_income_multiplier,
        cast(published_output_multiplier as double) as published_output_multiplier,
        cast(published_value_added_multiplier as double) as published_value_added_multiplier,
        cast(national_output_multiplier as double) as national_output_multiplier,
        cast(national_value_added_multiplier as double) as national_value_added_multiplier,
        cast(national_household_income_multiplier as double) as national_household_income_multiplier,
        cast(national_output_multiplier_type_2 as double) as national_output_multiplier_type_2,
        cast(national_value_added_ratio as double) as national_value_added_ratio,
        cast(national_compensation_ratio as double) as national_compensation_ratio,
        cast(regional_output_multiplier as double) as regional_output_multiplier,
        cast(regional_value_added_multiplier as double) as regional_value_added_multiplier,
        cast(regional_household_income_multiplier as double) as regional_household_income_multiplier,
        cast(bns_product_codes as varchar) as bns_product_codes,
        cast(published_territory as varchar) as published_territory,
        cast(national_territory as varchar) as national_territory,
        cast(regional_territory as varchar) as regional_territory,
        cast(regional_note as varchar) as regional_note,
        cast(n_model_industries as bigint) as n_model_industries,
    from computed
)

select * from final
