"""Conflicts and failed changes: side by side, resolved by the lead."""
