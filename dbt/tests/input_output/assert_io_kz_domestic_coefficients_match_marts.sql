-- Fails when the domestic coefficients and Leontief inverse shown beside BNS's cost ratios
-- (fct_io_cost_ratio_comparison, computed from the release's cells) differ from the
-- warehouse's own marts for kz_2023_pxp_68_domestic: the two paths read the same sheets.
with

comparison as (
    select * from {{ ref('fct_io_cost_ratio_comparison') }}
),

coefficients as (
    select * from {{ ref('fct_technical_coefficients') }}
    where table_id = 'kz_2023_pxp_68_domestic'
),

inverse as (
    select * from {{ ref('fct_leontief_inverse') }}
    where table_id = 'kz_2023_pxp_68_domestic'
)

select
    comparison.from_product_code,
    comparison.to_product_code,
    comparison.domestic_coefficient,
    coefficients.technical_coefficient,
    comparison.leontief_domestic,
    inverse.leontief_coefficient,
from comparison
left join coefficients
    on comparison.from_product_code = coefficients.from_industry_code
    and comparison.to_product_code = coefficients.to_industry_code
left join inverse
    on comparison.from_product_code = inverse.from_industry_code
    and comparison.to_product_code = inverse.to_industry_code
where abs(comparison.leontief_domestic - inverse.leontief_coefficient) > 1e-9
    or inverse.leontief_coefficient is null
    or abs(comparison.domestic_coefficient - coalesce(coefficients.technical_coefficient, 0)) > 1e-12
