-- Variance of the pattern-correlation matrix of every input-output table by
-- component (eigenvalue, explained and cumulative share) and, for retained
-- components, the variance carried after varimax. Kazakhstan's published
-- templates have no published eigenvalues: only the variance their printed
-- loadings carry (sum of squares / 20 industries) is derived.
with

computed as (
    select
        economy_code,
        table_id,
        cast(year as integer) as year,
        'computed' as template_source,
        cast(component_number as integer) as component_number,
        eigenvalue,
        explained_variance_share,
        cumulative_variance_share,
        retained,
        rotated_sum_of_squared_loadings,
        rotated_variance_share,
        components_rule,
        variance_target,
        cast(n_industries as integer) as n_industries,
        cast(rotation_cycles as integer) as rotation_cycles,
        rotation_converged,
    from {{ ref('int_template_variance_computed') }}
),

published_loadings as (
    select * from {{ ref('int_cluster_templates_published') }}
),

published as (
    select
        'KZ' as economy_code,
        table_id,
        cast(null as integer) as year,
        'published' as template_source,
        cast(template_number as integer) as component_number,
        cast(null as double) as eigenvalue,
        cast(null as double) as explained_variance_share,
        cast(null as double) as cumulative_variance_share,
        true as retained,
        sum(loading * loading) as rotated_sum_of_squared_loadings,
        sum(loading * loading) / count(*) as rotated_variance_share,
        'published' as components_rule,
        cast(null as double) as variance_target,
        cast(count(*) as integer) as n_industries,
        cast(null as integer) as rotation_cycles,
        cast(null as boolean) as rotation_converged,
    from published_loadings
    group by table_id, template_number
),

unioned as (
    select * from computed
    union all
    select * from published
),

final as (
    select
        -- only a retained component is a template
        cast(
            case when retained then table_id || '-T' || printf('%02d', component_number) end
            as varchar
        ) as cluster_id,
        cast(economy_code as varchar) as economy_code,
        cast(table_id as varchar) as table_id,
        cast(year as integer) as year,
        cast(template_source as varchar) as template_source,
        cast(component_number as integer) as component_number,
        cast(eigenvalue as double) as eigenvalue,
        cast(explained_variance_share as double) as explained_variance_share,
        cast(cumulative_variance_share as double) as cumulative_variance_share,
        cast(retained as boolean) as retained,
        cast(rotated_sum_of_squared_loadings as double) as rotated_sum_of_squared_loadings,
        cast(rotated_variance_share as double) as rotated_variance_share,
        cast(
            case when retained then
                sum(rotated_variance_share) over (
                    partition by table_id order by component_number
                    rows between unbounded preceding and current row
                )
            end as double
        ) as cumulative_rotated_variance_share,
        cast(components_rule as varchar) as components_rule,
        cast(variance_target as double) as variance_target,
        cast(n_industries as integer) as n_industries,
        cast(rotation_cycles as integer) as rotation_cycles,
        cast(rotation_converged as boolean) as rotation_converged,
    from unioned
)

select * from final
