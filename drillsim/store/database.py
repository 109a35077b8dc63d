"""The run history's SQLite database: its schema and migrations, and the rows it keeps.

WAL mode lets readers go on while a run is saved; every write is one ``BEGIN IMMEDIATE``
transaction, and a writer waits (``busy_timeout``) rather than fail, so processes saving runs
at once lose none. ``PRAGMA user_version`` counts the migrations applied; a database from a
newer drillsim is refused, never downgraded.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Literal

from drillsim.store import StoreError

Status = Literal["running", "interrupted", "partial", "finished"]
STATUSES: tuple[Status, ...] = ("running", "interrupted", "partial", "finished")

WAIT_SECONDS = 60.0
"""How long a writer waits for another to finish before giving up."""

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        scenario TEXT NOT NULL,
        scenario_version TEXT NOT NULL,
        scenario_sha256 TEXT NOT NULL,
        team TEXT NOT NULL,
        seed INTEGER NOT NULL,
        kind TEXT NOT NULL,
        official INTEGER NOT NULL,
        started_at TEXT,
        ended_at TEXT,
        status TEXT NOT NULL,
        overall REAL,
        cadence REAL,
        plan_b REAL,
        restraint REAL,
        rating TEXT,
        played_scoring TEXT NOT NULL,
        scoring_version TEXT,
        seal TEXT,
        journal TEXT NOT NULL,
        journal_sha256 TEXT NOT NULL
    );
    CREATE INDEX runs_newest ON runs (started_at DESC, id DESC);
    CREATE INDEX runs_team_scenario ON runs (team, scenario, started_at);
    CREATE TABLE baselines (
        scenario_sha256 TEXT NOT NULL,
        seed INTEGER NOT NULL,
        scoring_version TEXT NOT NULL,
        policy TEXT NOT NULL,
        overall REAL NOT NULL,
        cadence REAL NOT NULL,
        plan_b REAL,
        restraint REAL NOT NULL,
        PRIMARY KEY (scenario_sha256, seed, scoring_version, policy)
    );
    """,
)
"""Migration N (from 1) takes a database from ``user_version`` N-1 to N. Append; never edit."""

REINDEX_HINT = (
    "rebuild it from the journals with `drillsim runs --reindex` (journals are untouched)"
)


@dataclass(frozen=True, slots=True)
class RunRecord:
    """One run as the history keeps it. Scores are None while a run is running, and for a
    journal that could not be scored."""

    id: str
    scenario: str
    scenario_version: str
    scenario_sha256: str
    team: str
    seed: int
    kind: str
    """``played`` (the TUI) or ``scripted`` (``drillsim run --save``)."""
    official: bool
    started_at: str | None
    ended_at: str | None
    status: Status
    overall: float | None
    cadence: float | None
    plan_b: float | None
    restraint: float | None
    rating: str | None
    played_scoring: str
    """The scoring version the run was played under (its journal's header)."""
    scoring_version: str | None
    """The scoring version that computed the scores kept here (``drillsim rescore`` updates)."""
    seal: str | None
    journal: str
    """The journal's path: relative to the runs folder when inside it, else absolute."""
    journal_sha256: str

    def scores(self) -> dict[str, float | str | None]:
        """The scores kept of the run and the scoring version that computed them, as the
        JSON of ``drillsim runs`` and of a team's trend list them."""
        return {
            "overall": self.overall,
            "cadence": self.cadence,
            "plan_b": self.plan_b,
            "restraint": self.restraint,
            "rating": self.rating,
            "scoring_version": self.scoring_version,
        }


@dataclass(frozen=True, slots=True)
class BaselineScores:
    """A baseline bot's scores on one seed of one scenario text, under one scoring version."""

    policy: str
    overall: float
    cadence: float
    plan_b: float | None
    restraint: float


_COLUMNS = tuple(field.name for field in fields(RunRecord))
_INSERT = (
    f"INSERT OR REPLACE INTO runs ({', '.join(_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in _COLUMNS)})"
)
_SELECT = f"SELECT {', '.join(_COLUMNS)} FROM runs"


def _record(row: Sequence[Any]) -> RunRecord:
    values = dict(zip(_COLUMNS, row, strict=True))
    values["official"] = bool(values["official"])
    return RunRecord(**values)


class Database:
    """An open history database. Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.created = False
        """This process made the database (it was missing or empty)."""
        self.skipped: list[str] = []
        """Journals found when the database was made that could not be indexed, and why."""
        with self.guard("open"):
            path.parent.mkdir(parents=True, exist_ok=True)
            self._connection = sqlite3.connect(
                path, timeout=WAIT_SECONDS, isolation_level=None, check_same_thread=False
            )
        try:
            self._prepare()
        except BaseException:
            self._connection.close()
            raise

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._connection.close()

    # ------------------------------------------------------------------ errors
    @contextmanager
    def guard(self, doing: str) -> Iterator[None]:
        """Turn what SQLite raises into a StoreError that says what to do."""
        try:
            yield
        except sqlite3.OperationalError as error:
            text = str(error)
            if "locked" in text or "busy" in text:
                raise StoreError(
                    f"the run history {self.path} stayed busy for {WAIT_SECONDS:.0f} s "
                    f"({doing}); another drillsim is writing it: try again"
                ) from None
            if "readonly" in text or "unable to open" in text or "disk" in text:
                raise StoreError(
                    f"cannot {doing} the run history {self.path} ({text}); make its folder "
                    "writable and free some space, or pass --data-dir for another folder",
                    2,
                ) from None
            raise self._damaged(text) from None
        except sqlite3.DatabaseError as error:
            raise self._damaged(str(error)) from None
        except OSError as error:
            raise StoreError(
                f"cannot {doing} the run history {self.path} ({error.strerror}); make its "
                "folder writable, or pass --data-dir for another folder",
                2,
            ) from None

    def _damaged(self, reason: str) -> StoreError:
        return StoreError(f"the run history {self.path} is damaged ({reason}); {REINDEX_HINT}")

    # --------------------------------------------------------------- schema
    def _prepare(self) -> None:
        connection = self._connection
        with self.guard("open"):
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version > len(MIGRATIONS):
                raise StoreError(
                    f"the run history {self.path} was written by a newer drillsim (history "
                    f"format {version}; this one reads up to {len(MIGRATIONS)}): upgrade "
                    "drillsim, or pass --data-dir for another folder"
                )
            connection.execute(f"PRAGMA busy_timeout = {int(WAIT_SECONDS * 1000)}")
            if version == len(MIGRATIONS):
                return
            if connection.execute("PRAGMA journal_mode = WAL").fetchone()[0] != "wal":
                raise sqlite3.OperationalError("disk: the folder does not support WAL mode")
            with self.writing("migrate"):
                version = connection.execute("PRAGMA user_version").fetchone()[0]
                self.created = version == 0
                for number in range(version, len(MIGRATIONS)):
                    for statement in MIGRATIONS[number].split(";"):
                        if statement.strip():
                            connection.execute(statement)
                connection.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")

    @contextmanager
    def writing(self, doing: str) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once so writers queue instead of deadlocking."""
        connection = self._connection
        with self.guard(doing):
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    # ----------------------------------------------------------------- runs
    def put(self, *records: RunRecord) -> None:
        """Add or replace runs (by id), all in one transaction."""
        with self.writing("save a run in"):
            self._connection.executemany(
                _INSERT, [tuple(asdict(record).values()) for record in records]
            )

    def get(self, run_id: str) -> RunRecord | None:
        with self.guard("read"):
            row = self._connection.execute(f"{_SELECT} WHERE id = ?", (run_id,)).fetchone()
        return _record(row) if row is not None else None

    def running(self) -> list[RunRecord]:
        """The runs kept as running (their process may since have died)."""
        with self.guard("read"):
            query = f"{_SELECT} WHERE status = 'running'"
            return [_record(row) for row in self._connection.execute(query)]

    def find(
        self,
        *,
        scenario: str | None = None,
        team: str | None = None,
        since: str | None = None,
        official: bool | None = None,
        limit: int | None = None,
        oldest_first: bool = False,
    ) -> list[RunRecord]:
        """Runs matching every filter given, newest first (or oldest first)."""
        where, values = self._where(scenario=scenario, team=team, since=since, official=official)
        order = "ASC" if oldest_first else "DESC"
        query = f"{_SELECT}{where} ORDER BY started_at {order}, id {order}"
        if limit is not None:
            query += f" LIMIT {int(limit)}"
        with self.guard("read"):
            return [_record(row) for row in self._connection.execute(query, values)]

    def count(
        self,
        *,
        scenario: str | None = None,
        team: str | None = None,
        since: str | None = None,
        official: bool | None = None,
    ) -> int:
        where, values = self._where(scenario=scenario, team=team, since=since, official=official)
        with self.guard("read"):
            return int(
                self._connection.execute(f"SELECT COUNT(*) FROM runs{where}", values).fetchone()[0]
            )

    @staticmethod
    def _where(
        *, scenario: str | None, team: str | None, since: str | None, official: bool | None
    ) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        values: list[Any] = []
        for column, value in (("scenario", scenario), ("team", team)):
            if value is not None:
                clauses.append(f"{column} = ?")
                values.append(value)
        if since is not None:
            clauses.append("started_at >= ?")
            values.append(since)
        if official is not None:
            clauses.append("official = ?")
            values.append(int(official))
        return (f" WHERE {' AND '.join(clauses)}" if clauses else ""), values

    def ids(self, prefix: str = "") -> list[str]:
        """Every run id starting with ``prefix``, in order."""
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        with self.guard("read"):
            rows = self._connection.execute(
                "SELECT id FROM runs WHERE id LIKE ? ESCAPE '\\' ORDER BY id", (escaped + "%",)
            )
            return [row[0] for row in rows]

    def latest(self) -> RunRecord | None:
        found = self.find(limit=1)
        return found[0] if found else None

    # ------------------------------------------------------------ baselines
    def baselines(
        self, scenario_sha256: str, seed: int, scoring_version: str
    ) -> dict[str, BaselineScores]:
        with self.guard("read"):
            rows = self._connection.execute(
                "SELECT policy, overall, cadence, plan_b, restraint FROM baselines "
                "WHERE scenario_sha256 = ? AND seed = ? AND scoring_version = ?",
                (scenario_sha256, seed, scoring_version),
            ).fetchall()
        return {row[0]: BaselineScores(*row) for row in rows}

    def put_baselines(
        self,
        scenario_sha256: str,
        seed: int,
        scoring_version: str,
        scores: Sequence[BaselineScores],
    ) -> None:
        with self.writing("save baseline scores in"):
            self._connection.executemany(
                "INSERT OR REPLACE INTO baselines VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        scenario_sha256,
                        seed,
                        scoring_version,
                        s.policy,
                        s.overall,
                        s.cadence,
                        s.plan_b,
                        s.restraint,
                    )
                    for s in scores
                ],
            )
