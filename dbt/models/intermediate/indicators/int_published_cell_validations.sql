-- Validation outcome per published cell: every check instance that reads the
-- cell, which of them failed, and the correction suggested for this very cell
-- (only where the other figures determine it unambiguously).
with

instances as (
    select * from {{ ref('stg_quality__check_results') }}
    where indicator is not null
),

cells as (
    select
        table_id,
        check_name,
        passed,
        reason,
        suggested_cell,
        suggested_value,
        unnest(involved_cells) as cell,
    from instances
),

per_cell as (
    select
        table_id,
        split_part(cell, ':', 1) as entity_code,
        split_part(cell, ':', 2) as value_column,
        count(*) as checks_run,
        count(*) filter (where not passed) as checks_failed,
        list(distinct check_name order by check_name) filter (where not passed) as failed_checks,
        string_agg(distinct reason, ' | ' order by reason) filter (where not passed)
            as failure_reasons,
        max(suggested_value) filter (where suggested_cell = cell) as suggested_value,
    from cells
    group by all
)

select * from per_cell
