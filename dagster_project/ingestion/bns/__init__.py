"""Readers of the Bureau of National Statistics' own publications, one module
per published *layout* (not per file): next year's release in the same layout
loads with nothing but a new manifest entry (``loader: bns_workbook``,
``layout: <name>``). The registry of layouts is :mod:`.layouts`."""
