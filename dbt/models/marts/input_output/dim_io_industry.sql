-- The industries of every input-output table: computed by int_io_industries_described (the
-- method is stated there), published here under the enforced contract with the tests.
select * from {{ ref('int_io_industries_described') }}
