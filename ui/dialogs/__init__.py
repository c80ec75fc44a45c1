"""Sign-in and settings dialogs."""
