"""Pages light on the wire: text responses are compressed (never where that could leak a
secret), and static files are cached for a year under addresses that change with their content.
"""
from __future__ import annotations

import hashlib
import os
from functools import lru_cache

from flask import Flask, current_app, g, request
from werkzeug.security import safe_join

from training.extensions import compress

VERSION_ARG = "v"
CACHE_VERSIONED = "public, max-age=31536000, immutable"
CACHE_UNVERSIONED = "public, max-age=300"  # an address without the version may change any time

COMPRESSION_SETTINGS = {
    "COMPRESS_REGISTER": False,  # compress_response decides, see below
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    # Flask-Compress's stream compressor never closes the file it reads; static files are
    # compressed whole instead (compress_response), and no other stream is compressed.
    "COMPRESS_STREAMS": False,
    "COMPRESS_MIN_SIZE": 500,  # smaller answers fit in a packet either way
    "COMPRESS_BR_LEVEL": 5,  # about 1 ms for the stylesheet, and smaller than gzip (level 4 is not)
}


def static_version(filename: str) -> str | None:
    """A short hash of a static file's bytes, or None for a file that does not exist."""
    path = safe_join(current_app.static_folder, filename)
    if path is None or not os.path.isfile(path):
        return None
    stat = os.stat(path)
    return _hash_of(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _hash_of(path: str, mtime_ns: int, size: int) -> str:
    """Each file is read and hashed once per process. The modification time and size are part
    of the key so that a file edited while the server runs (development) gets a new address,
    rather than the browser keeping the old one for a year."""
    with open(path, "rb") as file:
        return hashlib.sha256(file.read()).hexdigest()[:12]


def add_static_version(endpoint: str, values: dict) -> None:
    """url_for('static', filename=...) gets ?v=<content hash>, so a changed file has a new address."""
    if endpoint == "static" and VERSION_ARG not in values and "filename" in values:
        version = static_version(values["filename"])
        if version:
            values[VERSION_ARG] = version


def cache_static_files(response):
    """A year, immutable, for an address that names the file's current version; a few minutes
    otherwise (no version, or an old one: the file behind it has changed)."""
    if request.endpoint != "static" or response.status_code not in (200, 304):
        return response
    asked = request.args.get(VERSION_ARG)
    current = static_version((request.view_args or {}).get("filename", ""))
    response.headers["Cache-Control"] = CACHE_VERSIONED if asked and asked == current else CACHE_UNVERSIONED
    return response


def secret_beside_chosen_input() -> bool:
    """True when the page holds this person's CSRF token and the request carried input that
    another site could choose and the page might echo (a query string or a form).

    Compressing such a page would let a site that makes the browser send many requests guess
    the token from the compressed sizes (the BREACH attack). A page asked for with a plain GET
    (a lesson, a dashboard) holds nothing another site can vary from one request to the next,
    so it is compressed."""
    field_name = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    carries_input = request.method not in ("GET", "HEAD") or bool(request.query_string)
    return carries_input and field_name in g


def compress_response(response):
    """Compress text responses with brotli or gzip, except where a secret could leak."""
    if secret_beside_chosen_input():
        return response
    if request.endpoint == "static" and response.status_code == 200 and response.is_streamed \
            and response.mimetype in current_app.config["COMPRESS_MIMETYPES"]:
        # A small text file, read whole; the file is closed when the response is (which a
        # passed-through response never is).
        response.make_sequence()
        response.direct_passthrough = False
    return compress.after_request(response)


def init_app(app: Flask) -> None:
    for key, value in COMPRESSION_SETTINGS.items():
        app.config.setdefault(key, value)
    compress.init_app(app)
    app.url_defaults(add_static_version)
    app.after_request(cache_static_files)
    app.after_request(compress_response)
