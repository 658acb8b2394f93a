"""The keys met while streaming, kept in a temporary PostgreSQL table (decisions/0011)."""

from __future__ import annotations

import uuid

from django.db import connection


class KeyIndex:
    """Keys met while streaming (systemIDs, journal numbers, references), kept in a temporary
    PostgreSQL table rather than in memory: a package of millions of objects is checked in flat
    memory (decisions/0011). The table lives only as long as the check's database session."""

    def __init__(self) -> None:
        self.table = f"deposit_check_keys_{uuid.uuid4().hex[:16]}"  # a name we made: safe in SQL
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.table} (kind text, key bytea, line integer, repeatable boolean)"
            )
        self.pending: list[tuple[str, bytes, int, bool]] = []
        self.indexed = False
        self.stale = False  # rows written since the last ANALYZE

    def add(self, kind: str, key: bytes, line: int, repeatable: bool = False) -> None:
        self.pending.append((kind, key, line, repeatable))
        if len(self.pending) >= 20_000:
            self._flush()

    def _flush(self) -> None:
        if not self.pending:
            return
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {self.table} (kind, key, line, repeatable) FROM STDIN") as copy,
        ):
            for row in self.pending:
                copy.write_row(row)
        self.pending.clear()
        self.stale = True

    def _ready(self) -> None:
        """Flush, index once, and analyse again whenever rows came since: a kind the planner has
        not seen (the journals' keys, read after arkivstruktur's) is otherwise estimated at one
        row, and an anti-join over a million keys becomes a nested loop."""
        self._flush()
        with connection.cursor() as cursor:
            if not self.indexed:
                cursor.execute(f"CREATE INDEX ON {self.table} (kind, key)")
                self.indexed = True
            if self.stale:
                cursor.execute(f"ANALYZE {self.table}")
                self.stale = False

    def _rows(self, sql: str, params: tuple[str, ...]) -> list[tuple[bytes, int]]:
        self._ready()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [(bytes(key), int(line)) for key, line in cursor.fetchall()]

    def duplicates(self, kind: str) -> list[tuple[bytes, int]]:
        """Keys met more than once (unless every time as repeatable), with the last line."""
        return self._rows(
            f"SELECT key, max(line) FROM {self.table} WHERE kind = %s GROUP BY key "  # noqa: S608 (our own name)
            "HAVING count(*) > 1 AND NOT bool_and(repeatable)",
            (kind,),
        )

    def missing(self, kind: str, among: str) -> list[tuple[bytes, int]]:
        """Keys of ``kind`` that were never met as ``among``."""
        return self._rows(
            f"SELECT r.key, r.line FROM {self.table} r WHERE r.kind = %s AND NOT EXISTS "  # noqa: S608 (our own name)
            f"(SELECT 1 FROM {self.table} s WHERE s.kind = %s AND s.key = r.key) ORDER BY r.line",
            (kind, among),
        )

    def close(self) -> None:
        self.pending.clear()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")

    def common(self, kind: str, among: str) -> list[tuple[bytes, int]]:
        """Keys of ``kind`` that were also met as ``among`` (with the line where met as ``among``)."""
        return self._rows(
            f"SELECT s.key, s.line FROM {self.table} r JOIN {self.table} s ON s.key = r.key "  # noqa: S608 (our own name)
            "WHERE r.kind = %s AND s.kind = %s ORDER BY s.line",
            (kind, among),
        )

    def contained(self, kind: str, among: str, prefix: int) -> list[int]:
        """Lines of keys met as ``among`` that hold a key of ``kind`` beginning with the same
        ``prefix`` bytes (the same object) after those bytes."""
        self._ready()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT DISTINCT p.line FROM {self.table} s JOIN {self.table} p "  # noqa: S608 (our own name)
                "ON substring(s.key FROM 1 FOR %s) = substring(p.key FROM 1 FOR %s) "
                "WHERE s.kind = %s AND p.kind = %s "
                "AND position(substring(s.key FROM %s) IN substring(p.key FROM %s)) > 0 ORDER BY p.line",
                (prefix, prefix, kind, among, prefix + 1, prefix + 1),
            )
            return [int(line) for (line,) in cursor.fetchall()]
