{{ kazakhstan_frame_industries_staging('kz_frame_s003_io_industries', has_position=true) }}
