"""The form-memory limit for urlencoded bodies as well as multipart ones.

Werkzeug applies `MAX_FORM_MEMORY_SIZE` to the fields of a multipart body only; an
urlencoded body is read into memory in one go, up to `MAX_CONTENT_LENGTH` (20 MB).
Here an urlencoded body larger than the form limit is refused with 413: from its
`Content-Length` before a byte is read, or (chunked) as soon as it passes the limit.
"""

from __future__ import annotations

import io
from typing import IO, Any

from flask import Request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import FormDataParser

URLENCODED = "application/x-www-form-urlencoded"
CHUNK = 64 * 1024


def _read_at_most(stream: IO[bytes], limit: int) -> bytes:
    """The whole body, or 413 once it is larger than `limit`."""
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = stream.read(min(CHUNK, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        raise RequestEntityTooLarge()
    return b"".join(chunks)


class LimitedFormDataParser(FormDataParser):
    def parse(
        self,
        stream: IO[bytes],
        mimetype: str,
        content_length: int | None,
        options: dict[str, str] | None = None,
    ) -> Any:
        limit = self.max_form_memory_size
        if mimetype == URLENCODED and limit is not None:
            if content_length is not None and content_length > limit:
                raise RequestEntityTooLarge()
            stream = io.BytesIO(_read_at_most(stream, limit))
        return super().parse(stream, mimetype, content_length, options)


class LeerkringRequest(Request):
    form_data_parser_class = LimitedFormDataParser
