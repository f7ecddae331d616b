"""After a run: nothing acknowledged is lost, nothing is half there, nothing leaked.

Checks, each a violation when it fails:
- every acknowledged contribution is stored with its text and key, an authorised member
  reaches it through its lasting link, and the outsider gets 404; an acknowledged upload's
  file has the SHA-256 that was sent, also when downloaded, and 404 for the outsider;
- every unacknowledged write is wholly present (row, attachment, file) or wholly absent;
- acknowledged join requests and approvals are in the database;
- invariant SQL: no duplicate memberships or idempotency keys, no attachment row without
  its file, no file without a row (past the grace period), no leftover temporary upload,
  one search row per contribution;
- no traceback reached a client.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import Counter
from dataclasses import dataclass, field

from bench.faults.client import Browser, TransportError
from bench.faults.driver import Operation
from bench.faults.fixture import Fixture

GRACE_SECONDS = 60
WRITES = ("post", "upload")


@dataclass
class Findings:
    violations: list[str] = field(default_factory=list)

    def fail(self, message: str) -> None:
        self.violations.append(message)


def _browser(fixture: Fixture, email: str, port: int, cafile: str) -> Browser:
    browser = Browser("127.0.0.1", port, cafile)
    browser.log_in(email, fixture.password)
    return browser


def check(fixture: Fixture, operations: list[Operation], port: int, cafile: str) -> Findings:
    from sqlalchemy import func, select

    from community import create_app
    from community.extensions import db
    from community.models import Attachment, Case, Community, Contribution, Membership, User
    from community.models.search import SearchDocument
    from community.storage import path_of

    findings = Findings()
    app = create_app()
    member = _browser(fixture, fixture.members[0], port, cafile)
    outsider = _browser(fixture, fixture.outsider, port, cafile)
    with app.app_context():
        community = db.session.scalar(select(Community).where(Community.slug == fixture.slug))
        for operation in operations:
            if operation.traceback:
                findings.fail(f"{operation.kind} {operation.op}: a traceback reached the client")
            if operation.kind not in WRITES:
                continue
            rows = db.session.scalars(
                select(Contribution).where(Contribution.idempotency_key == operation.key)
            ).all()
            if len(rows) > 1:
                findings.fail(f"{operation.op}: {len(rows)} contributions for one key")
            if operation.acknowledged and not rows:
                findings.fail(f"{operation.op}: acknowledged as {operation.returned_id}, lost")
                continue
            if not rows:
                continue  # unacknowledged and wholly absent: fine
            row = rows[0]
            if operation.acknowledged and row.id != operation.returned_id:
                findings.fail(
                    f"{operation.op}: stored as {row.id}, acknowledged {operation.returned_id}"
                )
            if row.body != operation.text:
                findings.fail(f"{operation.op}: stored text differs")
            attachments = db.session.scalars(
                select(Attachment).where(
                    Attachment.owner_type == "contribution", Attachment.owner_id == row.id
                )
            ).all()
            if operation.kind == "upload":
                if len(attachments) != 1:
                    findings.fail(f"{operation.op}: {len(attachments)} attachments, expected 1")
                    continue
                attachment = attachments[0]
                if attachment.sha256 != operation.sha256:
                    findings.fail(f"{operation.op}: attachment SHA-256 differs")
                path = path_of(attachment.stored_name)
                if not os.path.exists(path):
                    findings.fail(f"{operation.op}: attachment row without its file")
                elif _sha256(path) != operation.sha256:
                    findings.fail(f"{operation.op}: file on disk differs")
                if operation.acknowledged:
                    _check_download(findings, operation, attachment.id, member, outsider)
            if operation.acknowledged:
                _check_link(findings, fixture, operation, row, member, outsider)

        joined = {
            email
            for (email,) in db.session.execute(
                select(User.email)
                .join(Membership, Membership.user_id == User.id)
                .where(Membership.community_id == community.id)
            )
        }
        for operation in operations:
            if operation.kind == "join" and operation.acknowledged and operation.user not in joined:
                findings.fail(f"join of {operation.user} acknowledged, no membership")
            if operation.kind == "approve" and operation.acknowledged:
                status = db.session.scalar(
                    select(Membership.status).where(Membership.id == operation.returned_id)
                )
                if status != "active":
                    findings.fail(
                        f"approval of {operation.returned_id} acknowledged, status {status}"
                    )

        _invariants(
            findings,
            db,
            community,
            func,
            select,
            Attachment,
            Case,
            Contribution,
            Membership,
            SearchDocument,
            path_of,
            app.config["UPLOAD_DIR"],
        )
    member.close()
    outsider.close()
    return findings


def _sha256(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _check_link(findings, fixture, operation, row, member, outsider) -> None:  # noqa: ANN001
    link = f"/c/{fixture.slug}/cases/{row.case_id}/contributions/{row.id}"
    try:
        reply = member.get(link)
        page = member.get(reply.location.split("#")[0]) if reply.status == 302 else reply
        if page.status != 200 or operation.op not in page.body:
            findings.fail(
                f"{operation.op}: not readable by a member ({reply.status}/{page.status})"
            )
        if (hidden := outsider.get(link)).status != 404:
            findings.fail(f"{operation.op}: the outsider got {hidden.status}, not 404")
    except TransportError as error:
        findings.fail(f"{operation.op}: checking the link failed: {error}")


def _check_download(findings, operation, attachment_id, member, outsider) -> None:  # noqa: ANN001
    try:
        download = member.get(f"/files/{attachment_id}")
        if download.status != 200 or hashlib.sha256(download.data).hexdigest() != operation.sha256:
            findings.fail(f"{operation.op}: the download differs ({download.status})")
        if (hidden := outsider.get(f"/files/{attachment_id}")).status != 404:
            findings.fail(f"{operation.op}: the outsider downloaded ({hidden.status})")
    except TransportError as error:
        findings.fail(f"{operation.op}: checking the download failed: {error}")


def _invariants(
    findings,
    db,
    community,
    func,
    select,
    Attachment,
    Case,
    Contribution,  # noqa: ANN001, N803, PLR0913
    Membership,
    SearchDocument,
    path_of,
    upload_dir,
) -> None:
    duplicates = db.session.execute(
        select(Membership.user_id, Membership.community_id, func.count())
        .group_by(Membership.user_id, Membership.community_id)
        .having(func.count() > 1)
    ).all()
    if duplicates:
        findings.fail(f"duplicate memberships: {duplicates[:5]}")
    keys = db.session.execute(
        select(
            Contribution.case_id, Contribution.author_id, Contribution.idempotency_key, func.count()
        )
        .where(Contribution.idempotency_key.is_not(None))
        .group_by(Contribution.case_id, Contribution.author_id, Contribution.idempotency_key)
        .having(func.count() > 1)
    ).all()
    if keys:
        findings.fail(f"duplicate idempotency keys: {keys[:5]}")
    stored = set()
    for attachment in db.session.scalars(select(Attachment)):
        stored.add(attachment.stored_name)
        if not os.path.exists(path_of(attachment.stored_name)):
            findings.fail(f"attachment {attachment.id} has no file")
    now = time.time()
    for directory, _dirs, names in os.walk(upload_dir):
        for name in names:
            path = os.path.join(directory, name)
            old = now - os.path.getmtime(path) > GRACE_SECONDS
            if name.startswith(".upload-") and old:
                findings.fail(f"a temporary upload was left behind: {path}")
            elif not name.startswith(".") and name not in stored and old:
                findings.fail(f"a file without a row: {path}")
    contributions = set(
        db.session.scalars(
            select(Contribution.id).join(Case).where(Case.community_id == community.id)
        )
    )
    indexed = Counter(
        db.session.scalars(
            select(SearchDocument.object_id).where(
                SearchDocument.kind == "contribution", SearchDocument.community_id == community.id
            )
        )
    )
    if set(indexed) != contributions or any(n > 1 for n in indexed.values()):
        missing, extra = contributions - set(indexed), set(indexed) - contributions
        findings.fail(
            f"search rows differ from contributions: missing {sorted(missing)[:5]}, extra {sorted(extra)[:5]}"
        )
