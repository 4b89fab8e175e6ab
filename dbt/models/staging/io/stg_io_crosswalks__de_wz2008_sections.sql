-- Crosswalk from the regional panel's industries to the Germany 1995 table's groups; typed only.
{{ io_crosswalk_staging('io_crosswalk_de_wz2008_sections') }}
