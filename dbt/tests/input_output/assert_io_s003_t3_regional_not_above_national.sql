-- Fails when a multiplier of the FLQ-regionalised East Kazakhstan table exceeds the national
-- one in fct_s003_t3_multiplier_comparison: FLQ only scales coefficients down
-- (a^r = a min(FLQ, 1)) and the household column likewise, so every regional effect is at
-- most the national effect. A NULL regional side (no employment panel) does not fail.
select
    industry_code,
    national_output_multiplier,
    regional_output_multiplier,
    national_value_added_multiplier,
    regional_value_added_multiplier,
    national_household_income_multiplier,
    regional_household_income_multiplier,
from {{ ref('fct_s003_t3_multiplier_comparison') }}
where regional_output_multiplier > national_output_multiplier + 1e-12
    or regional_value_added_multiplier > national_value_added_multiplier + 1e-12
    or regional_household_income_multiplier > national_household_income_multiplier + 1e-12
