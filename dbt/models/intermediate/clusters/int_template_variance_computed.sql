-- Eigenvalues, explained and cumulative variance of the pattern-correlation
-- matrix of every input-output table, with the variance each retained
-- component carries after varimax: the variance result of
-- int_cluster_template_results_computed, with the components rule it ran under.
with

results as (
    select * from {{ ref('int_cluster_template_results_computed') }}
    where result = 'variance'
),

final as (
    select
        economy_code,
        table_id,
        year,
        component as component_number,
        eigenvalue,
        explained_variance_share,
        cumulative_variance_share,
        retained,
        rotated_sum_of_squared_loadings,
        rotated_variance_share,
        n_industries,
        rotation_cycles,
        rotation_converged,
        '{{ var("template_components_rule", "kaiser") }}' as components_rule,
        -- the target applies to the variance rule only
        {% if var("template_components_rule", "kaiser") == "variance" -%}
        cast({{ var("template_variance_target", 0.88) }} as double)
        {%- else -%}
        cast(null as double)
        {%- endif %} as variance_target,
    from results
)

select * from final
