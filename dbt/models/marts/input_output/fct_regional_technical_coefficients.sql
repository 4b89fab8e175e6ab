-- FLQ-regionalised technical coefficients: computed by
-- int_io_regional_technical_coefficients_computed (the method is stated there), published
-- here under the enforced contract with the tests.
select * from {{ ref('int_io_regional_technical_coefficients_computed') }}
