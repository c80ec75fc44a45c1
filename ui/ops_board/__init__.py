"""The ops board: the next 48 hours for the lead's markets."""
