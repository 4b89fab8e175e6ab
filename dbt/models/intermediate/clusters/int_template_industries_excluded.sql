-- Industries of an input-output table that have no purchase or sale pattern
-- (no intermediate flows with other industries) and so cannot enter a
-- template: the excluded result of int_cluster_template_results_computed.
with

results as (
    select * from {{ ref('int_cluster_template_results_computed') }}
    where result = 'excluded'
),

final as (
    select
        economy_code,
        table_id,
        year,
        industry_code,
        reason,
    from results
)

select * from final
