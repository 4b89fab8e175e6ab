{{ bns_observation_staging('bns_employment_by_activity_region') }}
