"""Memories' background half: the nightly "on this day" generation and cleanup (see
``plugin``). The ``memory`` tables and /api/memories are core."""
