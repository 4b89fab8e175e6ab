{{ bns_observation_staging('bns_labour_productivity_by_region_activity') }}
