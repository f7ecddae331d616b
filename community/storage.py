"""Attachments on disk: checked by content, stored under a generated name, tied to the transaction.

`store` accepts only the types in `ALLOWED_EXTENSIONS`, recognised by their content (magic
bytes or ZIP structure); the extension must agree with what the content is. SVG and HTML are
never accepted. The file goes under `UPLOAD_DIR/<2 chars>/<32 hex chars>`; the uploaded
filename is cleaned up for display and never touches the disk.

A file stored during a transaction is removed again when that transaction (or the savepoint
it was stored in) is rolled back, or when the session closes without a commit.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import secrets
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import IO

from flask import current_app
from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction
from werkzeug.datastructures import FileStorage

from community import malware_scan
from community.extensions import db

log = logging.getLogger(__name__)

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024
MAX_FILENAME_LENGTH = 200
FALLBACK_STEM = "bestand"

_CHUNK = 64 * 1024
_PENDING = "leerkring_storage_pending"
_STORED_NAME = re.compile(r"[0-9a-f]{32}")
_UTF8_BOM = b"\xef\xbb\xbf"
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_ODF_MIMETYPE = "application/vnd.oasis.opendocument."
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    ValueError,
    RuntimeError,  # encrypted members
    NotImplementedError,  # unsupported compression
    zlib.error,
)


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    original_filename: str
    media_type: str
    size: int
    sha256: str


class UploadError(Exception):
    """A refused upload; `message` is shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- content checks -----------------------------------------------------------------------


def _is_pdf(data: bytes) -> bool:
    return data.startswith(b"%PDF-")


def _is_png(data: bytes) -> bool:
    return data.startswith(_PNG_SIGNATURE) and data[12:16] == b"IHDR"


def _is_jpeg(data: bytes) -> bool:
    return data.startswith(b"\xff\xd8\xff")


def _open_zip(data: bytes) -> zipfile.ZipFile | None:
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS:
        return None


def _ooxml(part: str) -> Callable[[bytes], bool]:
    """An Office Open XML package with `[Content_Types].xml` and a `<part>/` folder."""

    def check(data: bytes) -> bool:
        archive = _open_zip(data)
        if archive is None:
            return False
        with archive:
            names = archive.namelist()
        return "[Content_Types].xml" in names and any(n.startswith(part) for n in names)

    return check


def _odf(kind: str) -> Callable[[bytes], bool]:
    """An OpenDocument package: the first member is `mimetype` holding the expected type."""
    expected = (_ODF_MIMETYPE + kind).encode("ascii")

    def check(data: bytes) -> bool:
        archive = _open_zip(data)
        if archive is None:
            return False
        with archive:
            members = archive.infolist()
            if not members:
                return False
            first = min(members, key=lambda member: member.header_offset)
            if first.filename != "mimetype" or first.file_size > 100:
                return False
            try:
                with archive.open(first) as member:
                    content = member.read(101)
            except _ZIP_ERRORS:
                return False
        return content.strip() == expected

    return check


def _is_plain_text(data: bytes) -> bool:
    """UTF-8 (a BOM is fine) without NUL bytes, and not markup such as HTML, SVG or XML."""
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return not text.lstrip().startswith("<")


def _looks_like_markup(data: bytes) -> bool:
    return data.removeprefix(_UTF8_BOM).lstrip().startswith(b"<")


@dataclass(frozen=True)
class _Type:
    media_type: str
    matches: Callable[[bytes], bool]


_TYPES: dict[str, _Type] = {
    "pdf": _Type("application/pdf", _is_pdf),
    "docx": _Type(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ooxml("word/"),
    ),
    "xlsx": _Type(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ooxml("xl/")
    ),
    "pptx": _Type(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _ooxml("ppt/"),
    ),
    "odt": _Type(_ODF_MIMETYPE + "text", _odf("text")),
    "ods": _Type(_ODF_MIMETYPE + "spreadsheet", _odf("spreadsheet")),
    "odp": _Type(_ODF_MIMETYPE + "presentation", _odf("presentation")),
    "csv": _Type("text/csv", _is_plain_text),
    "txt": _Type("text/plain", _is_plain_text),
    "png": _Type("image/png", _is_png),
    "jpg": _Type("image/jpeg", _is_jpeg),
    "jpeg": _Type("image/jpeg", _is_jpeg),
}

ALLOWED_EXTENSIONS: tuple[str, ...] = tuple(_TYPES)


# --- messages -----------------------------------------------------------------------------


def _format_size(size: int) -> str:
    for factor, unit in ((1024 * 1024, "MB"), (1024, "kB")):
        if size >= factor:
            value = size / factor
            shown = str(int(value)) if value.is_integer() else format_decimal(round(value, 1))
            return f"{shown} {unit}"
    return f"{size} bytes"


def _not_allowed() -> UploadError:
    return UploadError(
        _(
            "Dit bestandstype is niet toegestaan. Toegestaan zijn: %(types)s.",
            types=", ".join(ALLOWED_EXTENSIONS),
        )
    )


def _mismatch(extension: str) -> UploadError:
    return UploadError(
        _(
            "De inhoud van het bestand past niet bij de extensie .%(extension)s.",
            extension=extension,
        )
    )


def _too_large(limit: int) -> UploadError:
    return UploadError(_("Het bestand is groter dan %(limit)s.", limit=_format_size(limit)))


def _scan(data: bytes, sha256: str) -> None:
    """Refuse malware, and refuse every file while the scanner cannot say (fail closed)."""
    if not malware_scan.configured():
        return
    try:
        verdict = malware_scan.scan(data)
    except malware_scan.ScannerUnavailable:
        log.exception("upload refused: the malware scanner gave no verdict")
        raise UploadError(
            _(
                "De virusscanner is nu niet bereikbaar, dus we kunnen geen bestanden aannemen. "
                "Probeer het later opnieuw, of plaats je tekst nu zonder bijlage."
            )
        ) from None
    if not verdict.clean:
        log.warning("upload refused: malware %s (sha256 %s)", verdict.signature, sha256)
        raise UploadError(
            _(
                "De virusscanner heeft in dit bestand schadelijke software gevonden "
                "(%(signature)s). Het bestand is niet opgeslagen.",
                signature=verdict.signature,
            )
        )


# --- filenames ----------------------------------------------------------------------------


def _clean_filename(raw: str) -> tuple[str, str]:
    """The name to display and its lower-case extension ("" when there is none)."""
    name = unicodedata.normalize("NFC", raw).replace("\\", "/").rsplit("/", 1)[-1]
    name = " ".join(name.split())
    name = "".join(c for c in name if unicodedata.category(c) not in {"Cc", "Cf", "Cs", "Co"})
    name = " ".join(name.split()).rstrip(". ")
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    stem, extension = stem.strip(), extension.strip()
    suffix = f".{extension}" if extension else ""
    if len(suffix) >= MAX_FILENAME_LENGTH // 2:  # no real extension is this long
        return (stem + suffix)[:MAX_FILENAME_LENGTH].strip(), ""
    stem = stem[: MAX_FILENAME_LENGTH - len(suffix)].rstrip() or FALLBACK_STEM
    return stem + suffix, extension.lower()


# --- disk ---------------------------------------------------------------------------------


def _max_size() -> int:
    return int(current_app.config.get("UPLOAD_MAX_FILE_SIZE") or DEFAULT_MAX_FILE_SIZE)


def _upload_dir() -> str:
    directory = os.path.abspath(str(current_app.config["UPLOAD_DIR"]))
    if current_app.static_folder:
        real, static = os.path.realpath(directory), os.path.realpath(current_app.static_folder)
        if os.path.commonpath([real, static]) == static:
            raise RuntimeError("UPLOAD_DIR must lie outside the static folder")
    return directory


def _read(stream: IO[bytes], limit: int) -> tuple[bytes, str]:
    """The content and its SHA-256; stops reading as soon as the limit is exceeded."""
    content = bytearray()
    digest = hashlib.sha256()
    while chunk := stream.read(_CHUNK):
        if len(content) + len(chunk) > limit:
            raise _too_large(limit)
        content += chunk
        digest.update(chunk)
    return bytes(content), digest.hexdigest()


def _write(data: bytes) -> tuple[str, str]:
    """Write to a temporary file beside the target, then move it into place."""
    name = secrets.token_hex(16)
    target = path_of(name)
    directory = os.path.dirname(target)
    os.makedirs(directory, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=".upload-", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        with suppress(FileNotFoundError):
            os.remove(temporary)
        raise
    return name, target


def path_of(stored_name: str) -> str:
    """The absolute path of a stored file; only generated names are accepted."""
    if not isinstance(stored_name, str) or not _STORED_NAME.fullmatch(stored_name):
        raise ValueError(f"not a stored file name: {stored_name!r}")
    return os.path.join(_upload_dir(), stored_name[:2], stored_name)


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass
    except OSError:  # cleanup must not break the rollback; the file is an orphan now
        log.exception("could not remove stored file %s", path)


def discard(stored_name: str) -> None:
    """Delete a stored file now (a missing file is fine)."""
    _remove(path_of(stored_name))


# --- transaction bookkeeping --------------------------------------------------------------


@dataclass(frozen=True)
class _Pending:
    """A file written during `transaction` (the innermost one: a savepoint or the outer one)."""

    path: str
    transaction: SessionTransaction | None


def _inside(transaction: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    # Releasing a savepoint fires this too; only the outer commit makes the files permanent.
    if not session.in_nested_transaction():
        session.info.pop(_PENDING, None)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    """Remove the files of the transaction or savepoint that was just rolled back."""
    pending: list[_Pending] = session.info.get(_PENDING, [])
    rolled_back = session.get_nested_transaction() or session.get_transaction()
    if not pending or rolled_back is None:
        return
    keep = []
    for entry in pending:
        if _inside(entry.transaction, rolled_back):
            _remove(entry.path)
        else:
            keep.append(entry)
    session.info[_PENDING] = keep


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    """The outer transaction ended without a commit (e.g. the session was closed): clean up."""
    if transaction.parent is None:
        for entry in session.info.pop(_PENDING, []):
            _remove(entry.path)


def store(upload: FileStorage) -> StoredFile:
    """Check an upload and write it to disk; raises `UploadError` when it is refused."""
    if not (upload.filename or "").strip():
        raise UploadError(_("Er is geen bestand gekozen."))
    original_filename, extension = _clean_filename(upload.filename or "")
    kind = _TYPES.get(extension)
    if kind is None:
        raise _not_allowed()
    data, sha256 = _read(upload.stream, _max_size())
    if not data:
        raise UploadError(_("Het bestand is leeg."))
    if not kind.matches(data):
        raise _not_allowed() if _looks_like_markup(data) else _mismatch(extension)
    _scan(data, sha256)
    session = db.session()
    if not session.in_transaction():
        session.begin()
    transaction = session.get_nested_transaction() or session.get_transaction()
    stored_name, path = _write(data)
    session.info.setdefault(_PENDING, []).append(_Pending(path, transaction))
    return StoredFile(
        stored_name=stored_name,
        original_filename=original_filename,
        media_type=kind.media_type,
        size=len(data),
        sha256=sha256,
    )
