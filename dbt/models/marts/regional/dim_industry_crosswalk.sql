-- Industry crosswalks of Kazakhstan (ОКЭД divisions -> sections and -> seed 003's
-- 20 I-O industries), as put together by int_industry_crosswalks_unioned.
select * from {{ ref('int_industry_crosswalks_unioned') }}
