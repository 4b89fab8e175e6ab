{#- The regional measures on a location-quotient relation, so the same SQL serves
    the official units (fct_location_quotients) and Kazakhstan's comparable
    units (fct_comparable_unit_location_quotients). The formulas are stated in
    the models that call these macros. -#}

{#- territory_changes: a relation of (economy_code, region_code,
    first_year_of_change); a region whose territory changed after the base year
    and by the end year has no growth row, since its two levels describe
    different territories (the comparable units carry that series). -#}
{% macro regional_growth(lq_relation, territory_changes=none) %}
with

lq as (
    select * from {{ lq_relation }}
),

spans as (
    select
        economy_code,
        classification,
        measure,
        min(year) as base_year,
        max(year) as end_year,
    from lq
    group by all
    having min(year) < max(year)
),

base as (
    select lq.*, spans.end_year
    from lq
    inner join spans
        on lq.economy_code = spans.economy_code
        and lq.classification = spans.classification
        and lq.measure = spans.measure
        and lq.year = spans.base_year
),

ends as (
    select lq.*
    from lq
    inner join spans
        on lq.economy_code = spans.economy_code
        and lq.classification = spans.classification
        and lq.measure = spans.measure
        and lq.year = spans.end_year
),

joined as (
    select
        base.economy_code,
        base.classification,
        base.measure,
        base.region_code,
        base.industry_code,
        base.unit,
        base.in_partition,
        base.year as base_year,
        ends.year as end_year,
        ends.year - base.year as years,
        base.value as value_base,
        ends.value as value_end,
        base.industry_total as industry_total_base,
        ends.industry_total as industry_total_end,
        base.region_total as region_total_base,
        ends.region_total as region_total_end,
        base.economy_total as economy_total_base,
        ends.economy_total as economy_total_end,
    from base
    inner join ends
        on base.economy_code = ends.economy_code
        and base.classification = ends.classification
        and base.measure = ends.measure
        and base.region_code = ends.region_code
        and base.industry_code = ends.industry_code
    {%- if territory_changes is not none %}
    where not exists (
        select 1 from {{ territory_changes }} as changes
        where changes.economy_code = base.economy_code
            and changes.region_code = base.region_code
            and changes.first_year_of_change > base.year
            and changes.first_year_of_change <= ends.year
    )
    {%- endif %}
),

final as (
    select
        *,
        case when value_base > 0 and value_end > 0
            then power(value_end / value_base, 1.0 / years) - 1 end as cagr,
        case when industry_total_base > 0 and industry_total_end > 0
            then power(industry_total_end / industry_total_base, 1.0 / years) - 1 end as industry_cagr,
        case when region_total_base > 0 and region_total_end > 0
            then power(region_total_end / region_total_base, 1.0 / years) - 1 end as region_cagr,
        case when economy_total_base > 0 and economy_total_end > 0
            then power(economy_total_end / economy_total_base, 1.0 / years) - 1 end as economy_cagr,
    from joined
)

select * from final
{% endmacro %}

{% macro shift_share(growth_relation) %}
with

growth as (
    select * from {{ growth_relation }}
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
{% endmacro %}

{% macro specialisation_indices(lq_relation) %}
with

lq as (
    select * from {{ lq_relation }}
    where in_partition
),

known as (
    select * from lq where value is not null
),

region_sums as (
    select economy_code, classification, year, measure, region_code, sum(value) as region_value,
    from known
    group by all
),

industry_sums as (
    select economy_code, classification, year, measure, industry_code, sum(value) as industry_value,
    from known
    group by all
),

economy_sums as (
    select economy_code, classification, year, measure, sum(value) as economy_value,
    from known
    group by all
),

shares as (
    select
        known.economy_code,
        known.classification,
        known.year,
        known.measure,
        known.region_code,
        known.value / nullif(region_sums.region_value, 0) as region_share,
        industry_sums.industry_value / nullif(economy_sums.economy_value, 0) as economy_share,
        (industry_sums.industry_value - known.value)
            / nullif(economy_sums.economy_value - region_sums.region_value, 0) as rest_share,
        region_sums.region_value / nullif(economy_sums.economy_value, 0) as region_weight,
    from known
    inner join region_sums
        on known.economy_code = region_sums.economy_code
        and known.classification = region_sums.classification
        and known.year = region_sums.year
        and known.measure = region_sums.measure
        and known.region_code = region_sums.region_code
    inner join industry_sums
        on known.economy_code = industry_sums.economy_code
        and known.classification = industry_sums.classification
        and known.year = industry_sums.year
        and known.measure = industry_sums.measure
        and known.industry_code = industry_sums.industry_code
    inner join economy_sums
        on known.economy_code = economy_sums.economy_code
        and known.classification = economy_sums.classification
        and known.year = economy_sums.year
        and known.measure = economy_sums.measure
),

indices as (
    select
        economy_code,
        classification,
        year,
        measure,
        region_code,
        any_value(region_weight) as region_share_of_economy,
        1.0 / sum(region_share * region_share / economy_share) filter (where economy_share > 0)
            as hachman_index,
        sum(abs(region_share - rest_share)) as krugman_index,
        sum(abs(region_share - economy_share)) as krugman_index_vs_economy,
    from shares
    group by all
),

counts as (
    select
        economy_code,
        classification,
        year,
        measure,
        region_code,
        count(*) as industries,
        count(*) filter (where value is null) as gap_industries,
        count(*) filter (where lq_class in ('specialised', 'star')) as specialised_industries,
        count(*) filter (where lq_class = 'star') as star_industries,
    from lq
    group by all
),

final as (
    select
        counts.economy_code,
        counts.classification,
        counts.year,
        counts.measure,
        counts.region_code,
        counts.industries,
        counts.gap_industries,
        counts.specialised_industries,
        counts.star_industries,
        indices.region_share_of_economy,
        indices.hachman_index,
        indices.krugman_index,
        indices.krugman_index_vs_economy,
    from counts
    left join indices
        on counts.economy_code = indices.economy_code
        and counts.classification = indices.classification
        and counts.year = indices.year
        and counts.measure = indices.measure
        and counts.region_code = indices.region_code
)

select * from final
{% endmacro %}

{#- The class of a location quotient (docs/DOMAIN.md, "Location quotients": LQ >= 1.25
    specialised, LQ >= 2 "star", the European Cluster Observatory's thresholds, vars
    lq_specialised_threshold and lq_star_threshold); an undefined LQ has no class. -#}
{% macro lq_class(lq) -%}
case
            when {{ lq }} is null then null
            when {{ lq }} >= {{ var('lq_star_threshold', 2.0) }} then 'star'
            when {{ lq }} >= {{ var('lq_specialised_threshold', 1.25) }} then 'specialised'
            else 'not_specialised'
        end
{%- endmacro %}

{#- For an incremental model keyed by (economy, classification, year, measure): true
    for a row of `alias` whose partition in `upstream` has a set of source files
    (checksums) that this model does not hold yet, so that partition is rebuilt whole
    and every other one is left as it is. -#}
{% macro lq_partition_changed(upstream, alias) -%}
exists (
        select 1
        from (
            select distinct economy_code, classification, year, measure, _source_sha256
            from {{ upstream }}
            except
            select distinct economy_code, classification, year, measure, _source_sha256
            from {{ this }}
        ) as changed
        where changed.economy_code = {{ alias }}.economy_code
            and changed.classification = {{ alias }}.classification
            and changed.year = {{ alias }}.year
            and changed.measure = {{ alias }}.measure
    )
{%- endmacro %}
