-- A failure means an industry buys intermediate inputs from the table's industries worth at
-- least its whole output (column sum of A >= 1): it would have no room for primary inputs,
-- which points to a misread column, a wrong output figure or a wrong derivation.
select
    table_id,
    to_industry_code as industry_code,
    sum(technical_coefficient) as column_sum,
from {{ ref('fct_technical_coefficients') }}
group by table_id, to_industry_code
having sum(technical_coefficient) >= 1
