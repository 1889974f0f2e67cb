"""The process settings' table: every environment variable the server reads, its default and
one line of documentation (``immich.settings`` parses them; ``scripts/gen-settings-doc`` turns
this table into the README section and ``config/env.example``).

``NOT_APPLYING`` lists the variables of Immich's documentation
(``docs/install/environment-variables.md``) that mean nothing to one Python process, each with
what to do instead, so a user coming from Immich finds every name they set either here or there.
"""

from __future__ import annotations

import attrs


@attrs.frozen
class Variable:
    name: str
    default: str | None
    doc: str


VARIABLES: tuple[Variable, ...] = (
    Variable("IMMICH_MEDIA_LOCATION", "./data", "Media folder: uploads, thumbnails, embedded DB."),
    Variable(
        "IMMICH_CONFIG_FILE", None, "JSON or YAML system config file; makes settings read-only."
    ),
    Variable("IMMICH_LOG_LEVEL", None, "verbose, debug, log, warn or error (overrides LOG_LEVEL)."),
    Variable("LOG_LEVEL", "log", "verbose, debug, log, warn or error."),
    Variable("IMMICH_HOST", "0.0.0.0", "Address the HTTP server listens on."),
    Variable("IMMICH_PORT", "2283", "Port the HTTP server listens on."),
    Variable("SERVER_PORT", None, "Immich's older name of IMMICH_PORT (IMMICH_PORT wins)."),
    Variable("IMMICH_ROLES", None, "Comma list of api, worker, scheduler (default: all three)."),
    Variable("IMMICH_WORKERS_INCLUDE", None, "Immich's: api, microservices (= worker+scheduler)."),
    Variable("IMMICH_WORKERS_EXCLUDE", None, "Immich's: roles to leave out (api, microservices)."),
    Variable(
        "IMMICH_PLUGINS", None, "Comma list of plugin names to load (default: all installed)."
    ),
    Variable("IMMICH_PLUGINS_SKIP", None, "Comma list of plugin names not to load."),
    Variable("IMMICH_PLUGIN_MODULES", None, "Comma list of modules to load as extra plugins."),
    Variable("IMMICH_WEB_ROOT", None, "Folder of the web app (default: the bundled web/)."),
    Variable(
        "IMMICH_REVERSE_GEOCODING_ROOT",
        None,
        "Folder of Immich's GeoNames files (cities500.txt, admin1CodesASCII.txt) for place "
        "names; default: the bundled cities1000 data.",
    ),
    Variable(
        "IMMICH_IGNORE_MOUNT_CHECK_ERRORS",
        "false",
        "true: a failed .immich folder check at start-up is logged, not fatal.",
    ),
    Variable(
        "IMMICH_VERSION_CHECK_URL",
        "https://version.immich.cloud/version",
        "Where the version check (newVersionCheck) asks for the latest release (Immich's).",
    ),
    Variable(
        "IMMICH_JOB_LEASE_SECONDS",
        "60",
        "A running job's lease: its worker renews it; a dead worker's job is retried (3 "
        "attempts, then failed) within 1.5x this.",
    ),
    Variable(
        "IMMICH_UPLOAD_READ_TIMEOUT",
        "60",
        "Seconds a request body (an upload) may stall before the request ends with 408 and "
        "its partial file is removed; 0: wait forever.",
    ),
    Variable(
        "IMMICH_UPLOAD_MIN_RATE",
        "1024",
        "Bytes per second a request body must average once IMMICH_UPLOAD_MIN_RATE_GRACE has "
        "passed (a body trickled in just inside the read timeout ends with 408); 0: no minimum.",
    ),
    Variable(
        "IMMICH_UPLOAD_MIN_RATE_GRACE",
        "30",
        "Seconds from a request body's start before IMMICH_UPLOAD_MIN_RATE applies.",
    ),
    Variable(
        "IMMICH_SEND_TIMEOUT",
        "60",
        "Seconds one write of a response may wait for a client that does not read it; then "
        "the connection is closed and the request's resources freed. 0: wait forever.",
    ),
    Variable(
        "IMMICH_KEEP_ALIVE_TIMEOUT",
        "5",
        "Seconds an idle connection stays open, and the most a client may take to send a "
        "request's headers (a slow client is cut off after this).",
    ),
    Variable(
        "IMMICH_MAX_HEADER_BYTES",
        "16384",
        "Largest request line plus headers accepted (1024 to 1048576); more answers 431 and "
        "closes the connection.",
    ),
    Variable("TZ", None, "Fallback time zone for dates without one."),
    Variable("DB_URL", None, "PostgreSQL URL; overrides the DB_* parts below."),
    Variable(
        "DB_HOSTNAME", None, "PostgreSQL host; unset (with DB_URL unset) = embedded PostgreSQL."
    ),
    Variable("DB_PORT", "5432", "PostgreSQL port."),
    Variable("DB_USERNAME", "postgres", "PostgreSQL user."),
    Variable("DB_PASSWORD", "postgres", "PostgreSQL password."),
    Variable("DB_DATABASE_NAME", "immich", "PostgreSQL database name."),
    Variable("DB_SKIP_MIGRATIONS", "false", "true: do not run migrations at start-up."),
    Variable("DB_POOL_SIZE", "10", "Largest number of database connections per process."),
    Variable(
        "DB_VECTOR_EXTENSION",
        None,
        "pgvector (the only one supported; Immich's vectorchord or pgvecto.rs stop start-up).",
    ),
    Variable("REDIS_URL", None, "redis://... or ioredis:// + base64 JSON (Immich's form)."),
    Variable(
        "REDIS_HOSTNAME", None, "Redis host; set = job queues on Redis, unset = on PostgreSQL."
    ),
    Variable("REDIS_PORT", "6379", "Redis port."),
    Variable("REDIS_DBINDEX", "0", "Redis database index."),
    Variable("REDIS_USERNAME", None, "Redis user."),
    Variable("REDIS_PASSWORD", None, "Redis password."),
    Variable("REDIS_SOCKET", None, "Redis unix socket path (instead of host and port)."),
    Variable(
        "MACHINE_LEARNING_URL", "local:", "ML backend: local: (in-process) or http://host:3003."
    ),
    Variable("MACHINE_LEARNING_HOST", "0.0.0.0", "ML role: listen address (parsed; role to come)."),
    Variable("MACHINE_LEARNING_PORT", "3003", "ML role: listen port (parsed; role to come)."),
    Variable("MACHINE_LEARNING_WORKERS", "1", "ML role: worker processes (parsed; role to come)."),
    Variable(
        "MACHINE_LEARNING_WORKER_TIMEOUT",
        "120",
        "ML role: seconds before an unresponsive worker is killed (parsed; role to come).",
    ),
    Variable("MACHINE_LEARNING_MODEL_TTL", "300", "Seconds idle before a model is unloaded."),
    Variable("MACHINE_LEARNING_MODEL_TTL_POLL_S", "10", "Seconds between model TTL checks."),
    Variable("MACHINE_LEARNING_CACHE_FOLDER", None, "Model folder (default: <media>/models)."),
    Variable(
        "MACHINE_LEARNING_REQUEST_THREADS", None, "Inference thread pool size (default: cores)."
    ),
    Variable("MACHINE_LEARNING_MODEL_INTER_OP_THREADS", "1", "Parallel model operations."),
    Variable("MACHINE_LEARNING_MODEL_INTRA_OP_THREADS", "2", "Threads per model operation."),
    Variable("MACHINE_LEARNING_PRELOAD__CLIP", None, "CLIP model to load at start-up."),
    Variable(
        "MACHINE_LEARNING_PRELOAD__FACIAL_RECOGNITION", None, "Face model to load at start-up."
    ),
    Variable("MACHINE_LEARNING_DEVICE_IDS", "0", "Comma list of accelerator ids."),
)

FILE_VARIANTS = (
    "DB_URL",
    "DB_HOSTNAME",
    "DB_DATABASE_NAME",
    "DB_USERNAME",
    "DB_PASSWORD",
    "REDIS_PASSWORD",
)

NOT_APPLYING: tuple[Variable, ...] = (
    Variable(
        "IMMICH_VERSION",
        None,
        "Immich's compose file: the image tag. Here compose.yaml builds and tags immich-py:latest.",
    ),
    Variable(
        "UPLOAD_LOCATION",
        None,
        "Immich's compose file: the host folder of uploads. Here IMMICH_MEDIA_LOCATION, or in "
        "compose.yaml a bind mount of that folder at /data.",
    ),
    Variable("NODE_ENV", None, "Node.js only; there is no Node.js here."),
    Variable(
        "PORT",
        None,
        "Immich's separate web container; here the api role serves the web app on IMMICH_PORT.",
    ),
    Variable(
        "MICROSERVICES_PORT",
        None,
        "Immich's microservices process; here the worker role runs in the server's process (or "
        "as a replica without an HTTP port).",
    ),
)
