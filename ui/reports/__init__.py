"""The reports in the app: ``view.ReportsView`` (charts and tables), PNG and PDF exports
(``render``), and ``sectiondesk report`` (``cli``). Importing this package loads no Qt."""
