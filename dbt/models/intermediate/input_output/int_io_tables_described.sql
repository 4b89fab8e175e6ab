-- One row per input-output table: where it comes from, how the industry-by-industry table
-- was obtained, what it can support (value added, compensation, employment, households),
-- and how close its published totals came to the sums of their cells.
with

tables as (
    select * from {{ ref('stg_io__tables') }}
),

checks as (
    select
        table_id,
        any_value(derivation) as derivation,
        any_value(notes) as derivation_notes,
        any_value(relative_tolerance) as balance_tolerance,
        max(max_relative_gap) filter (where enforced) as max_balance_gap,
        arg_max(check_name, max_relative_gap) filter (where enforced) as worst_balance_check,
        max(max_relative_gap) filter (where not enforced) as derived_row_gap,
    from {{ ref('int_io_table_checks') }}
    group by table_id
),

industries as (
    select
        table_id,
        count(*) as n_industries,
        count(*) filter (where in_model) as n_industries_in_model,
        bool_or(has_value_added) as has_value_added,
        bool_or(has_compensation) as has_compensation,
        bool_or(has_employment) as has_employment,
        bool_or(has_household_consumption) as has_household_consumption,
    from {{ ref('int_io_industry_accounts') }}
    group by table_id
),

final as (
    select
        cast(tables.table_id as varchar) as table_id,
        cast(tables.economy_code as varchar) as economy_code,
        cast(tables.year as integer) as year,
        cast(tables.table_kind as varchar) as table_kind,
        cast(checks.derivation as varchar) as derivation,
        cast(tables.flow_basis as varchar) as flow_basis,
        cast(tables.valuation as varchar) as valuation,
        cast(tables.unit as varchar) as unit,
        cast(industries.n_industries as integer) as n_industries,
        cast(industries.n_industries_in_model as integer) as n_industries_in_model,
        cast(industries.has_value_added as boolean) as has_value_added,
        cast(industries.has_compensation as boolean) as has_compensation,
        cast(industries.has_employment as boolean) as has_employment,
        cast(industries.has_household_consumption as boolean) as has_household_consumption,
        cast(checks.balance_tolerance as double) as balance_tolerance,
        cast(checks.max_balance_gap as double) as max_balance_gap,
        cast(checks.worst_balance_check as varchar) as worst_balance_check,
        cast(checks.derived_row_gap as double) as derived_row_gap,
        cast(checks.derivation_notes as varchar) as derivation_notes,
        cast(tables.source_short as varchar) as source_short,
        cast(tables.licence as varchar) as licence,
        cast(tables.answers as varchar) as answers,
    from tables
    inner join checks on tables.table_id = checks.table_id
    inner join industries on tables.table_id = industries.table_id
)

select * from final
