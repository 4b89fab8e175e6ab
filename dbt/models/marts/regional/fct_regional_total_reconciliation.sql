-- Where a release prints its own totals, both figures are kept: the published
-- total and the sum of the cells it should equal, with the difference. The
-- German Länder panel is the real case: a Land's "Insgesamt" exceeds the sum of
-- its ten sector groups by up to 0.13 % (employees without a sector), while
-- Germany's row equals the sum of the Länder exactly.
with

published as (
    select * from {{ ref('int_regional_published_totals_pivoted') }}
),

cells as (
    select * from {{ ref('int_regional_cells_classified') }}
),

region_sums as (
    select
        economy_code, classification, year, measure, region_code,
        {{ exact_sum('value', where='in_partition') }} as summed_value,
        count(*) filter (where in_partition and value is null) as gap_cells,
    from cells
    group by all
),

industry_sums as (
    select
        economy_code, classification, year, measure, industry_code,
        {{ exact_sum('value') }} as summed_value,
        count(*) filter (where value is null) as gap_cells,
    from cells
    group by all
),

economy_sums as (
    select
        economy_code, classification, year, measure,
        {{ exact_sum('value', where='in_partition') }} as summed_value,
        count(*) filter (where in_partition and value is null) as gap_cells,
    from cells
    group by all
),

matched as (
    select
        published.economy_code,
        published.classification,
        published.year,
        published.measure,
        published.total_kind,
        published.region_code,
        published.industry_code,
        published.unit,
        published.published_value,
        published.gap_marker as published_gap_marker,
        coalesce(region_sums.summed_value, industry_sums.summed_value, economy_sums.summed_value)
            as summed_value,
        coalesce(region_sums.gap_cells, industry_sums.gap_cells, economy_sums.gap_cells, 0)
            as gap_cells,
        published._source_file,
        published._source_row,
    from published
    left join region_sums
        on published.total_kind = 'region'
        and published.economy_code = region_sums.economy_code
        and published.classification = region_sums.classification
        and published.year = region_sums.year
        and published.measure = region_sums.measure
        and published.region_code = region_sums.region_code
    left join industry_sums
        on published.total_kind = 'industry'
        and published.economy_code = industry_sums.economy_code
        and published.classification = industry_sums.classification
        and published.year = industry_sums.year
        and published.measure = industry_sums.measure
        and published.industry_code = industry_sums.industry_code
    left join economy_sums
        on published.total_kind = 'economy'
        and published.economy_code = economy_sums.economy_code
        and published.classification = economy_sums.classification
        and published.year = economy_sums.year
        and published.measure = economy_sums.measure
),

final as (
    select
        economy_code,
        classification,
        year,
        measure,
        total_kind,
        region_code,
        industry_code,
        unit,
        published_value,
        published_gap_marker,
        summed_value,
        published_value - summed_value as difference,
        (published_value - summed_value) / nullif(published_value, 0) as relative_difference,
        gap_cells,
        _source_file,
        _source_row,
    from matched
)

select * from final
