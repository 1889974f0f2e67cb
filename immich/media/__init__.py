"""Media helpers that several plugins share and that know no plugin.

Nothing here is imported by the api role at start-up: each module imports its libraries
(libvips, numpy) itself, and only the plugins that need them import it.
"""
