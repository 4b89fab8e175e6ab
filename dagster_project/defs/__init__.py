"""One package per concern. ``dagster_project/definitions.py`` loads this
folder with ``dg.load_from_defs_folder``: every package and module here is
imported, and what each defines (its ``defs``, or its module-level assets,
jobs, schedules and sensors) is merged into the single ``Definitions``."""
