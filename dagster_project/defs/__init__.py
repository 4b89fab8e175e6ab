"""One package per concern; each exposes ``defs`` and ``definitions.py``
merges them into the single ``Definitions`` object."""
