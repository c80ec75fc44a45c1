"""Adapting a global entry or master asset for one of the lead's markets."""
