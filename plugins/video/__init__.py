"""Video plugin (PyAV): posters, probing, transcoding, and Immich 3.1's HLS streaming.

- ``probe``: ffprobe's facts (container, codecs, duration, rotation, fps, bitrates, audio).
- ``poster``: a representative frame -> preview, thumbnail and ThumbHash (the thumbnail job
  calls ``poster.generate_video_thumbnails`` for VIDEO assets).
- ``policy`` / ``transcode``: Immich's ``ffmpeg.*`` decisions and the MP4 they ask for
  (``AssetEncodeVideo``, in ``jobs``).
- ``hls``: sessions, playlists and on-demand fMP4 segments for ``routes``.
- ``routes``: ``/api/assets/{id}/video/...`` (playback, HLS); ``migrations/``: its table.

Hooks live in ``plugins.video.plugin`` (the ``video`` entry point).
"""

from ._errors import VideoError

__all__ = ["VideoError"]
