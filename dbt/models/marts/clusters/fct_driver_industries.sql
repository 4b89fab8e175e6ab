-- Hill-Brennan driver industries: every industry of every region of every
-- employment panel, with the indicator values behind its class (LQ, share,
-- growth, shift-share, productivity), its Ward group, the group's class by
-- the rule, the discriminant-analysis class and posteriors. The competitive
-- class are the driver candidates. unit_basis 'comparable_unit' rows classify
-- Kazakhstan's comparable units (growth from 2010 over one territory).
with

indicators as (
    select * from {{ ref('int_driver_indicators_joined') }}
),

classes as (
    select * from {{ ref('int_driver_industries_classified') }}
),

final as (
    select
        cast(indicators.unit_basis as varchar) as unit_basis,
        cast(indicators.economy_code as varchar) as economy_code,
        cast(indicators.classification as varchar) as classification,
        cast(indicators.year as integer) as year,
        cast(indicators.base_year as integer) as base_year,
        cast(indicators.region_code as varchar) as region_code,
        cast(indicators.industry_code as varchar) as industry_code,
        cast(indicators.employment as double) as employment,
        cast(indicators.region_total as double) as region_employment,
        cast(indicators.lq as double) as lq,
        cast(indicators.employment_share as double) as employment_share,
        cast(indicators.growth_rate as double) as growth_rate,
        cast(indicators.national_share_shift as double) as national_share_shift,
        cast(indicators.industry_mix_shift as double) as industry_mix_shift,
        cast(indicators.competitive_shift as double) as competitive_shift,
        cast(indicators.industry_mix_rate as double) as industry_mix_rate,
        cast(indicators.competitive_shift_rate as double) as competitive_shift_rate,
        cast(indicators.productivity_ratio as double) as productivity_ratio,
        cast(classes.indicators_used as varchar) as indicators_used,
        cast(classes.ward_group as integer) as ward_group,
        cast(classes.ward_groups_used as integer) as ward_groups_used,
        cast(classes.group_mean_lq as double) as group_mean_lq,
        cast(classes.group_other_z as double) as group_other_z,
        cast(classes.group_class as varchar) as group_class,
        cast(classes.lda_class as varchar) as lda_class,
        cast(classes.posterior_non_basic as double) as posterior_non_basic,
        cast(classes.posterior_middle as double) as posterior_middle,
        cast(classes.posterior_competitive as double) as posterior_competitive,
        cast(classes.driver_class as varchar) as driver_class,
        cast(coalesce(classes.is_driver_candidate, false) as boolean) as is_driver_candidate,
        cast(classes.lda_fitted as boolean) as lda_fitted,
        cast(classes.lda_note as varchar) as lda_note,
        cast(classes.excluded_reason as varchar) as excluded_reason,
    from indicators
    left join classes
        on indicators.unit_basis = classes.unit_basis
        and indicators.economy_code = classes.economy_code
        and indicators.classification = classes.classification
        and indicators.year = classes.year
        and indicators.region_code = classes.region_code
        and indicators.industry_code = classes.industry_code
)

select * from final
