-- Rotated loadings of every industry on every retained component of its
-- table's linkage matrix and its role (primary, secondary, not_member): the
-- membership result of int_cluster_template_results_computed.
with

results as (
    select * from {{ ref('int_cluster_template_results_computed') }}
    where result = 'membership'
),

final as (
    select
        economy_code,
        table_id,
        year,
        industry_code,
        template as template_number,
        loading,
        role,
    from results
)

select * from final
