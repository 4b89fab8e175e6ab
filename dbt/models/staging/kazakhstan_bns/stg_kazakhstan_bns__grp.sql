{{ bns_observation_staging('bns_grp_by_region') }}
