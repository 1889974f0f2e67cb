"""A self-hosted photo and video library server speaking Immich's REST API."""

import pluggy

__version__ = "0.1.0"
IMMICH_API_VERSION = "3.1.0"  # the Immich release whose API we follow

hookimpl = pluggy.HookimplMarker("immich")
