-- Every failing check instance of a BNS observation release shows up in the
-- mart: each cell it reads ('sheet!B12', or 'release:sheet!B12' for another
-- release's figure) is a published fact flagged 'failed' with the check's name
-- among its failed checks. An instance naming a cell that is not a fact, or a
-- fact left unflagged, is returned.
with

facts as (
    select * from {{ ref('fct_kz_official_observations') }}
),

failing_cells as (
    select table_id, check_name, unnest(involved_cells) as involved_cell
    from {{ ref('stg_quality__check_results') }}
    where not passed
        and table_id in (select distinct release_id from facts)
),

failing as (
    select
        table_id,
        check_name,
        involved_cell,
        coalesce(nullif(regexp_extract(involved_cell, '^([^:]*):', 1), ''), table_id) as release_id,
        regexp_replace(involved_cell, '^[^:]*:', '') as cell,
    from failing_cells
)

select failing.*
from failing
left join facts
    on failing.release_id = facts.release_id
    and failing.cell = facts._source_sheet || '!' || facts._source_cell
where facts.release_id is null
    or facts.validation_status <> 'failed'
    or not list_contains(facts.failed_checks, failing.check_name)
