"""Spreadsheet dialogs: ``import_dialog.ImportDialog`` (column mapping, validation report,
import) and ``export_dialog.ExportDialog`` (any view to CSV or XLSX)."""
