"""What a check finds: findings with a stable code, and the report in text, JSON and HTML."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from django.template.loader import render_to_string


@dataclass(frozen=True)
class Finding:
    code: str
    file: str
    message: str
    line: int | None = None


@dataclass
class CheckReport:
    package: str
    checked_at: str
    findings: list[Finding] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    document_files: int = 0

    @property
    def ok(self) -> bool:
        return not self.findings

    def add(self, code: str, file: str, message: str, line: int | None = None) -> None:
        self.findings.append(Finding(code=code, file=file, message=message, line=line))

    def codes(self) -> set[str]:
        return {finding.code for finding in self.findings}

    def as_dict(self) -> dict[str, Any]:
        return {
            "package": self.package,
            "checked_at": self.checked_at,
            "ok": self.ok,
            "findings": [asdict(finding) for finding in self.findings],
            "counts": self.counts,
            "document_files": self.document_files,
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)

    def to_html(self) -> str:
        return render_to_string("deposit/check_report.html", {"report": self})

    def to_text(self) -> str:
        lines = [f"Kontroll av {self.package} ({self.checked_at})"]
        for file_name, counts in sorted(self.counts.items()):
            listed = ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))
            lines.append(f"  {file_name}: {listed}")
        lines.append(f"  dokumentfiler: {self.document_files}")
        if self.ok:
            lines.append("Ingen avvik funnet.")
        else:
            lines.append(f"{len(self.findings)} avvik:")
            for finding in self.findings:
                where = f"{finding.file}:{finding.line}" if finding.line else finding.file
                lines.append(f"  [{finding.code}] {where}: {finding.message}")
        return "\n".join(lines)
