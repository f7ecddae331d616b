"""Static assets: fingerprinted names, long-lived caching and gzip.

At start-up every file in the static folder is read once into a manifest: logical
name (`css/app.css`) -> fingerprinted name (`css/app.<sha256[:12]>.css`), with the
bytes and, for text types, a gzip copy. `url_for('static', ...)` yields the
fingerprinted name, which is cached for a year; the plain name still answers, but
is revalidated every time. HTML pages are compressed per response by
`community.compression` (with its BREACH precautions).
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import mimetypes
import os
import posixpath
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, Response, abort, current_app, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin

IMMUTABLE = "public, max-age=31536000, immutable"
COMPRESSIBLE = frozenset({".css", ".js", ".svg", ".txt", ".json"})

Stamp = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class Asset:
    digest: str  # first 12 hex characters of the SHA-256 of `data`
    mimetype: str
    data: bytes
    gzipped: bytes | None  # None when not a text type or when gzip does not shrink it


@dataclass(frozen=True)
class Manifest:
    assets: dict[str, Asset] = field(default_factory=dict)  # logical name -> asset
    urls: dict[str, str] = field(default_factory=dict)  # logical -> fingerprinted
    logical: dict[str, str] = field(default_factory=dict)  # fingerprinted -> logical


def fingerprinted(name: str, digest: str) -> str:
    root, ext = posixpath.splitext(name)
    return f"{root}.{digest}{ext}"


def _files(folder: str | None) -> dict[str, str]:
    """Logical name -> path of every visible file under `folder` (none when it is missing)."""
    found: dict[str, str] = {}
    if not folder:
        return found
    for directory, subdirs, names in os.walk(folder):
        subdirs[:] = [d for d in subdirs if not d.startswith(".")]
        for name in names:
            if not name.startswith("."):
                path = os.path.join(directory, name)
                found[os.path.relpath(path, folder).replace(os.sep, "/")] = path
    return found


def _stamp(files: dict[str, str]) -> Stamp:
    stats = {name: os.stat(path) for name, path in files.items()}
    return tuple(sorted((name, st.st_mtime_ns, st.st_size) for name, st in stats.items()))


def build_manifest(folder: str | None) -> Manifest:
    """Read and hash the folder, or reuse the last result while no file changed."""
    return _build(folder, _stamp(_files(folder)))


@functools.lru_cache(maxsize=4)
def _build(folder: str | None, stamp: Stamp) -> Manifest:
    manifest = Manifest()
    for name, path in _files(folder).items():
        with open(path, "rb") as handle:
            data = handle.read()
        gzipped = None
        if posixpath.splitext(name)[1].lower() in COMPRESSIBLE:
            packed = gzip.compress(data, compresslevel=9, mtime=0)
            gzipped = packed if len(packed) < len(data) else None
        digest = hashlib.sha256(data).hexdigest()[:12]
        mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        manifest.assets[name] = Asset(digest, mimetype, data, gzipped)
        manifest.urls[name] = fingerprinted(name, digest)
        manifest.logical[manifest.urls[name]] = name
    return manifest


def _manifest() -> Manifest:
    manifest: Manifest = current_app.extensions["assets"]
    return manifest


def serve_static(filename: str) -> Response:
    """The `static` endpoint: exact names from the manifest only, everything else 404."""
    manifest = _manifest()
    logical = manifest.logical.get(filename)
    asset = manifest.assets.get(logical or filename)
    if asset is None:
        abort(404)
    gzipped = asset.gzipped if request.accept_encodings["gzip"] > 0 else None
    etag = asset.digest + ("-gz" if gzipped else "")
    response = Response(mimetype=asset.mimetype)
    response.headers["Cache-Control"] = IMMUTABLE if logical else "no-cache"
    response.headers["Vary"] = "Accept-Encoding"
    response.set_etag(etag)
    if request.if_none_match.contains_weak(etag):
        response.status_code = 304
        return response
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
    response.set_data(gzipped or asset.data)
    return response


def _fingerprint_url(endpoint: str, values: dict[str, Any]) -> None:
    if endpoint == "static" and "filename" in values:
        values["filename"] = _manifest().urls.get(values["filename"], values["filename"])


def _reload_when_changed() -> None:
    """In debug mode an edited file gets a new fingerprint on the next request."""
    if current_app.debug:
        current_app.extensions["assets"] = build_manifest(current_app.static_folder)


class SessionInterface(SecureCookieSessionInterface):
    """Static responses carry no `Set-Cookie` and no `Vary: Cookie`, so caches can keep them."""

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if request.endpoint != "static":
            super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    app.extensions["assets"] = build_manifest(app.static_folder)
    app.view_functions["static"] = serve_static
    app.url_defaults(_fingerprint_url)
    app.before_request(_reload_when_changed)
    app.session_interface = SessionInterface()
