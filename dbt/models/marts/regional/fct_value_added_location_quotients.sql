-- Location quotients on derived value added beside those on employment,
-- Kazakhstan's oblasts, as computed by int_value_added_location_quotients_computed.
select * from {{ ref('int_value_added_location_quotients_computed') }}
