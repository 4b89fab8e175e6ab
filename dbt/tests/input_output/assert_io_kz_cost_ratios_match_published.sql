-- Fails when BNS's published direct or total cost ratios (sheets 9 and 10 of the 2023
-- input-output workbook) differ from the ratios recomputed from the flows by more than
-- half a unit of the sixth decimal they are printed with (number format #,##0.000000):
-- the convention D = Z_basic diag(output + imports)^-1, T = (I - D)^-1 would then be wrong.
select
    from_product_code,
    to_product_code,
    published_direct_cost_ratio,
    recomputed_direct_cost_ratio,
    published_total_cost_ratio,
    recomputed_total_cost_ratio,
from {{ ref('fct_io_cost_ratio_comparison') }}
where abs(direct_cost_ratio_difference) > 5e-7
    or abs(total_cost_ratio_difference) > 5e-7
