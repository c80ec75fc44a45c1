"""Read-side queries for the views: plain functions over a session, returning ids and plain rows.

No Qt and no writes here; the ui/ models page through these, and the benchmarks call them.
"""
