"""gzip for HTML pages, for browsers that ask, except on requests from other sites.

A page with 200 contributions is ~250 KB of HTML and ~40 KB gzipped; with its CSS it must
stay under 150 KB on the wire (docs/PERFORMANCE.md). Compressing pages that carry a CSRF
token and echo input invites BREACH, which needs the victim's browser to send many
requests with its cookies from the attacker's site and the attacker to observe their
sizes. Two things close that here: the session cookie is SameSite=Lax (cross-site
subrequests carry no session, so those pages hold no secrets), and responses to
requests a browser marks as coming from another site (`Sec-Fetch-Site: cross-site` or
`same-site`, e.g. a top-level navigation from a link elsewhere) are sent uncompressed.
Static assets are compressed ahead of time by `community.assets`.

Behind a proxy (`TRUSTED_PROXY_COUNT`) the proxy compresses and the app does not, unless
`COMPRESS_PAGES=1` says otherwise (docs/DEPLOY.md has nginx's side).
"""

from __future__ import annotations

import gzip

from flask import Flask, Response, current_app, request

MIN_SIZE = 1400  # below one packet it does not pay
LEVEL = 5  # most of level 9's gain at a third of its time
FOREIGN = frozenset({"cross-site", "same-site"})


def compress_page(response: Response) -> Response:
    if (
        not current_app.config["COMPRESS_PAGES"]
        or response.status_code != 200
        or response.direct_passthrough
        or response.mimetype != "text/html"
        or "Content-Encoding" in response.headers
        or request.headers.get("Sec-Fetch-Site", "") in FOREIGN
    ):
        return response
    response.vary.add("Accept-Encoding")
    if request.accept_encodings["gzip"] <= 0:
        return response
    body = response.get_data()
    if len(body) < MIN_SIZE:
        return response
    response.set_data(gzip.compress(body, compresslevel=LEVEL))
    response.headers["Content-Encoding"] = "gzip"
    return response


def init_app(app: Flask) -> None:
    app.after_request(compress_page)
