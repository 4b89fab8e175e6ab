-- Intermediate flows between the industries of every table: computed by int_io_flows_joined
-- (the method is stated there), published here under the enforced contract with the tests.
select * from {{ ref('int_io_flows_joined') }}
