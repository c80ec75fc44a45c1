"""Spreadsheets in and out: CSV and XLSX import with a column mapping and a per-row validation
report (all rows or none, one undoable edit), and export of any view. No Qt here.

- ``sources``: what a file is (CSV, XLSX, or a bad file and why), and its rows in chunks.
- ``values``: reading cells (dates and times in the usual formats and zones, lists, yes/no).
- ``columns``: the columns each kind of record has in a spreadsheet, and guessing a mapping.
- ``mappings``: mappings remembered per file layout (the store's ``preferences`` table).
- ``calendar`` and ``assets``: planning an import (the validation report), ``plan``: committing it.
- ``export``: ``export_records`` (records, re-importable) and ``export_table`` (a view as shown).
- ``cli``: ``sectiondesk export`` and ``sectiondesk import``; ``bench``: the benchmark.

See docs/SPREADSHEETS.md.
"""
