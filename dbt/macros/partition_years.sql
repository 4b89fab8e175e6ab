{#- Yearly facts are Dagster-partitioned by calendar year: a run passes
    partition_start_year / partition_end_year and only those years are rebuilt.
    Without the vars (plain `dbt build`) every year is built. -#}
{% macro partition_years_filter(year_column) -%}
    {%- if var('partition_start_year', none) is not none -%}
    {{ year_column }} between {{ var('partition_start_year') | int }} and {{ var('partition_end_year') | int }}
    {%- else -%}
    true
    {%- endif -%}
{%- endmacro %}
