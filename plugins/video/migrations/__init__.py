"""The video plugin's forward-only SQL migrations (``register_migrations``), a package so the
files ship with it."""
