-- National growth + industry mix + regional shift must add up to the change of
-- every region-industry cell (to 1e-6 of its size). A failure means the growth
-- rates were taken from totals of different years or partitions.
select *
from {{ ref('fct_shift_share') }}
where change is not null
    and abs(national_growth_effect + industry_mix_effect + regional_shift_effect - change)
        > 1e-6 * greatest(1, abs(change), abs(value_base))
