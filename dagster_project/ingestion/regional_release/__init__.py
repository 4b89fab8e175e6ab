"""Reader of regional statistics releases (regions × activities), as the Bureau
of National Statistics publishes them and analysts export them.

A release is a CSV (UTF-8 or cp1251, ``;`` or ``,``, decimal comma or point)
or an XLSX sheet, in one of two layouts described by its manifest entry
(``loader: regional_release``):

* ``long``: one row per observation or per region-industry pair, with a year,
  a region and an industry column, and either one value column per measure
  (``values:``) or a measure/value/unit triple (``columns: measure, value, unit``);
* ``wide``: regions in rows, activities in columns (the printed BNS table),
  year, measure and unit given once for the file.

Every region and industry cell is resolved against the economy's frames (the
code lists in ``data/raw/regional_frames`` and ``data/raw/kazakhstan_frame``);
labels that mark a published total become the reserved code ``TOTAL``. What
cannot be resolved or parsed is quarantined cell by cell with a reason that
names the file, row, column and value, so that every record read is accounted
for: ``records_in == observations + quarantined``. Problems of the whole file
(checksum, encoding, header, manifest) refuse the file with ``RawFileError``.

The package follows the reader's steps, one module each:

* :mod:`.schema`: what the loader writes (``raw.regional_observations``);
* :mod:`.spec`: the manifest entry's layout description, checked;
* :mod:`.cells`: bytes -> rows of cells (CSV or XLSX);
* :mod:`.reader`: cells -> observations and quarantined records, one file;
* :mod:`.quarantine`: duplicated keys and mixed units, over many rows;
* :mod:`.warehouse`: many releases read together and written in one transaction.

The frames the labels are resolved against are shared with the other loaders:
:mod:`dagster_project.ingestion.frames`.
"""
