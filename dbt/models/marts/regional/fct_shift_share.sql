-- Classic shift-share of the change of every region-industry cell over its
-- panel's span (fct_regional_growth): with g = E_t/E_0 - 1 (economy),
-- g_i = E_it/E_i0 - 1 (industry nationally) and g_ri = e_rit/e_ri0 - 1,
--   national growth effect  = e_ri0 · g
--   industry mix effect     = e_ri0 · (g_i - g)
--   regional shift effect   = e_ri0 · (g_ri - g_i)
-- which add up to e_rit - e_ri0. A cell that starts at zero has no growth rate;
-- its whole change is counted as regional shift. Gaps give NULL.
with

growth as (
    select * from {{ ref('fct_regional_growth') }}
),

rates as (
    select
        *,
        economy_total_end / nullif(economy_total_base, 0) - 1 as national_growth_rate,
        industry_total_end / nullif(industry_total_base, 0) - 1 as industry_growth_rate,
        value_end / nullif(value_base, 0) - 1 as regional_growth_rate,
    from growth
),

final as (
    select
        economy_code,
        classification,
        measure,
        region_code,
        industry_code,
        unit,
        in_partition,
        base_year,
        end_year,
        value_base,
        value_end,
        value_end - value_base as change,
        national_growth_rate,
        industry_growth_rate,
        regional_growth_rate,
        case when value_base = 0 then 0.0
            else value_base * national_growth_rate end as national_growth_effect,
        case when value_base = 0 then 0.0
            else value_base * (industry_growth_rate - national_growth_rate) end as industry_mix_effect,
        case when value_base = 0 then value_end - value_base
            else value_base * (regional_growth_rate - industry_growth_rate) end as regional_shift_effect,
    from rates
)

select * from final
