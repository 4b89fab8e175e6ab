-- The four Feser-Bergman pattern correlations between every ordered pair of
-- industries of every input-output table, and their maximum (the matrix the
-- templates factor-analyse): the correlation result of
-- int_cluster_template_results_computed.
with

results as (
    select * from {{ ref('int_cluster_template_results_computed') }}
    where result = 'correlation'
),

final as (
    select
        economy_code,
        table_id,
        year,
        industry_code,
        other_industry_code,
        r_input_input,
        r_output_output,
        r_input_output,
        r_output_input,
        r_max,
    from results
)

select * from final
