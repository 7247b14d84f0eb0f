"""The performance digest: its figures for a period beside the period before, the records behind each,
and the digest saved as a PDF or a workbook (audited with its SHA-256)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from mashdesk.context import Actor, Service
from mashdesk.digest.figures import drill, figure_lines, override_reasons
from mashdesk.digest.views import Digest, Drill
from mashdesk.digest.workflow import Period
from mashdesk.documents.delivery import DocumentDelivery, DocumentOf

#: What the digest may be saved as.
FORMATS = (".pdf", ".xlsx")


class DigestService(Service):
    def digest(self, actor: Actor, first: date, last: date) -> Digest:
        """The digest of ``first``..``last`` (London days, inclusive) beside the period of the same length
        before it."""
        period = Period.of(first, last)
        before = period.before()
        with self.read(actor, "digest.read") as s:
            lines = figure_lines(s, period, before)
            reasons = override_reasons(s, period)
        return Digest(period, before, tuple(lines), tuple(reasons), self.ctx.now(), actor.display_name)

    def drill(self, actor: Actor, digest: Digest, key: str) -> Drill:
        """The records behind one of ``digest``'s figures, in its period."""
        line = digest.line(key)
        with self.read(actor, "digest.read") as s:
            records, total = drill(s, key, digest.period)
        return Drill(line, digest.period, tuple(records), total)

    def save(self, actor: Actor, digest: Digest, path: str | Path) -> Path:
        """Write the digest to ``path`` (.pdf or .xlsx), audited with the file's name and SHA-256."""
        from mashdesk.digest.documents import digest_pdf, digest_workbook

        target = Path(path)
        data = digest_workbook(digest) if target.suffix.lower() == ".xlsx" else digest_pdf(digest)
        doc = DocumentOf("digest", None, "the performance digest", "digest.export", "digest.export",
                         {"from": digest.period.first.isoformat(), "to": digest.period.last.isoformat()})
        return DocumentDelivery(self.ctx).save(actor, doc, data, target, FORMATS)
