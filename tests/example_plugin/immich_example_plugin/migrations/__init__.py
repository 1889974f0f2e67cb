"""The example plugin's forward-only SQL migrations."""
