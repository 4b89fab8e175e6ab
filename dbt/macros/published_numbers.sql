{#- Typing of numbers as statistical offices publish them (the raw schema keeps
    text exactly as printed). Gap markers are not zeros: they become NULL here
    and gap_marker() keeps the marker beside the value. -#}

{#- The list is vars.gap_markers of dbt_project.yml, which the Python loaders read too. -#}
{% macro gap_markers() -%}
    ({% for marker in var('gap_markers') %}'{{ marker }}'{% if not loop.last %}, {% endif %}{% endfor %})
{%- endmacro %}

{% macro parse_number(column, decimal=',') -%}
    case
        when nullif(trim({{ column }}), '') is null then null
        when trim({{ column }}) in {{ gap_markers() }} then null
        else cast(
            {%- if decimal == ',' %}
            replace(regexp_replace(trim({{ column }}), '[\s\x{00a0}\x{202f}]', '', 'g'), ',', '.')
            {%- else %}
            regexp_replace(trim({{ column }}), '[\s\x{00a0}\x{202f}]', '', 'g')
            {%- endif %}
            as double)
    end
{%- endmacro %}

{% macro gap_marker(column) -%}
    case when trim({{ column }}) in {{ gap_markers() }} then trim({{ column }}) end
{%- endmacro %}
