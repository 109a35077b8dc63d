"""The run journal: JSON lines, sealed by a hash chain. Its format is defined here, once
(documented in docs/journal.md).

Line 1 is the :class:`Header` (who ran what, and the exact scenario text). Every further line
is a typed record of :mod:`drillsim.engine.events`, or a :class:`ClockMark` the live writer
adds at least once an exercise minute; after ``drill_ended`` come only the facilitator's
observations from the debrief (:func:`add_observation`). Each line ends with ``"chain"``: the
SHA-256 of the previous line's chain and this line's body, so a line changed, added, removed
or moved breaks it. A finished run ends with a :class:`Seal` line: an HMAC of the last chain
value under a key kept in this installation's data folder.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Annotated, Literal

import msgspec

from drillsim.engine.events import (
    ENCODER,
    OBSERVED_KINDS,
    AnyEvent,
    DrillEnded,
    DrillStarted,
    Event,
    Ident,
    ObservationAdded,
    Seconds,
    Seed,
    Verdict,
)
from drillsim.files import NotAFile, open_for_reading
from drillsim.scenario.model import Scenario

JOURNAL_FORMAT = 4
"""Bumped when a reader of the previous format could no longer read what is written."""
READABLE_FORMATS = (1, 2, 3, 4)
MAX_JOURNAL_BYTES = 32 * 1024 * 1024
"""A real drill writes well under 1 MB; the limit leaves room for a long, busy run."""
KEY_FILE = "journal.key"
BOM = b"\xef\xbb\xbf"

RunKind = Literal["played", "scripted", "simulated"]
SealStatus = Literal["sealed", "intact", "edited", "unverified"]
SEAL_MEANINGS: dict[SealStatus, str] = {
    "sealed": "written by this installation and unchanged since",
    "intact": "its chain is whole and it replays; its seal is another installation's, or the "
    "run never finished, so the seal was not checked",
    "edited": "changed after it was written; these are not the run's scores",
    "unverified": "a first-format journal with no chain to check",
}
"""What each seal status says of a journal, in the words every output uses."""

_CHAIN_SUFFIX = len(b',"chain":""}') + 64


class JournalError(Exception):
    """A journal cannot be used; says where and what to do."""

    def __init__(self, path: str, line: int, message: str, hint: str) -> None:
        where = f"{path}:{line}" if line else path  # line 0: about the file, not a line
        super().__init__(f"{where}: {message}; {hint}")
        self.path = path
        self.line = line


class ScenarioRef(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    id: Ident
    version: str
    sha256: Annotated[str, msgspec.Meta(pattern="^[0-9a-f]{64}$")]
    text: str | None = None
    """The scenario file's exact text (format 2): the run scores against it anywhere."""

    @classmethod
    def of(cls, scenario: Scenario, sha256: str, text: str) -> ScenarioRef:
        """The reference a new journal's header embeds for a loaded scenario."""
        return cls(id=scenario.id, version=scenario.version, sha256=sha256, text=text)


class Player(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    policy: str | None = None
    team: str | None = None


class Versions(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    drillsim: str = ""
    scoring: str = ""
    engine: int | None = None


class Header(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """Who ran what: the first line of a journal."""

    journal: int
    run_id: Ident
    scenario: ScenarioRef
    seed: Seed
    player: Player
    versions: Versions
    kind: RunKind | None = None
    started_at: str | None = None
    official: bool = False
    """Chosen when the run starts: an official run counts in a team's trend, a practice
    run does not. Omitted (practice) in a practice run's header."""

    @property
    def policy(self) -> str | None:
        return self.player.policy

    @property
    def team(self) -> str | None:
        return self.player.team

    @property
    def who(self) -> str:
        if self.policy:
            return f"policy {self.policy}"
        return f"team {self.team!r}" if self.team else "no team named"


class ClockMark(msgspec.Struct, frozen=True, tag_field="kind", tag="clock"):
    """The live clock reached ``t``: how far a run that was killed got (replay skips it)."""

    t: Seconds


class Seal(msgspec.Struct, frozen=True, tag_field="kind", tag="seal", forbid_unknown_fields=True):
    """HMAC-SHA256 of the last chain value; ``key`` names the key (not the key itself)."""

    mac: Annotated[str, msgspec.Meta(pattern="^[0-9a-f]{64}$")]
    key: Annotated[str, msgspec.Meta(pattern="^[0-9a-f]{16}$")]


_HEADER = msgspec.json.Decoder(Header)
_LINE = msgspec.json.Decoder(AnyEvent | ObservationAdded | ClockMark | Seal)


@dataclass(slots=True)
class Journal:
    """A journal as read: its records, and what its chain and seal say about it."""

    path: str
    header: Header
    events: list[Event]
    lines: list[int]
    """The file line of each event (for messages)."""
    seal: SealStatus
    problems: list[str] = field(default_factory=list)
    """Why the journal counts as edited (line and reason), first break first."""
    warnings: list[str] = field(default_factory=list)
    clock_until: float | None = None
    """The last exercise time the live clock reached, if later than the last event."""
    chain: bytes = b""
    """The chain value of the last line read (format 2): where a resumed run's chain goes on."""
    observations: list[ObservationAdded] = field(default_factory=list)
    """The facilitator's observations from the debrief, after the end (never scored)."""

    @property
    def finished(self) -> bool:
        return bool(self.events) and isinstance(self.events[-1], DrillEnded)

    def mark_edited(self, problem: str) -> None:
        self.seal = "edited"
        self.problems.append(problem)


# ------------------------------------------------------------------ keys and ids
def installation_key(folder: Path, *, create: bool) -> bytes | None:
    """This installation's sealing key (made on first use when ``create``), or None."""
    path = folder / KEY_FILE
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        if not create:
            return None
        folder.mkdir(parents=True, exist_ok=True)
        # Written whole under a private name, then linked in place: a drillsim starting at
        # the same moment never reads a key file still being written (an empty read made it
        # journal a run with no seal), and whichever link lands first is everyone's key.
        draft = folder / f"{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}.part"
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(secrets.token_bytes(32))
                handle.flush()
                os.fsync(handle.fileno())
            try:
                os.link(draft, path)
            except FileExistsError:  # another drillsim made it first: theirs holds
                pass
            except OSError:  # a folder without hard links: last one in wins, whole either way
                if not path.exists():
                    os.replace(draft, path)
        finally:
            draft.unlink(missing_ok=True)
        key = path.read_bytes()
    return key if len(key) >= 16 else None


def key_id(key: bytes) -> str:
    return hashlib.sha256(b"drillsim-key-id:" + key).hexdigest()[:16]


def new_run_id(started: datetime | None = None) -> str:
    """A played or saved run's id: sorts by start time, unique across processes and machines."""
    moment = (started or datetime.now(UTC)).astimezone(UTC)
    return f"{moment:%Y%m%dT%H%M%S}{moment.microsecond // 1000:03d}Z-{secrets.token_hex(4)}"


def simulated_run_id(scenario: ScenarioRef, policy: str, seed: int) -> str:
    """A simulated run's id derives from what was run, never from the clock."""
    digest = hashlib.sha256(
        f"{scenario.id}|{scenario.version}|{scenario.sha256}|{policy}|{seed}".encode()
    ).hexdigest()
    return f"sim-{digest[:16]}"


def new_header(
    *,
    kind: RunKind,
    run_id: str,
    scenario: ScenarioRef,
    seed: int,
    player: Player,
    scoring_version: str,
    started_at: str | None = None,
    official: bool = False,
) -> Header:
    """The header of a run about to be written by this drillsim (versions handed in from
    above: the journal does not import scoring)."""
    from drillsim import __version__
    from drillsim.engine import ENGINE_VERSION

    return Header(
        journal=JOURNAL_FORMAT,
        run_id=run_id,
        scenario=scenario,
        seed=seed,
        player=player,
        versions=Versions(drillsim=__version__, scoring=scoring_version, engine=ENGINE_VERSION),
        kind=kind,
        started_at=started_at,
        official=official,
    )


# ----------------------------------------------------------------------- writing
class _Chain:
    """Turns record bodies into journal lines, each carrying the running SHA-256 chain."""

    def __init__(self) -> None:
        self.digest = b""

    def line(self, body: bytes) -> bytes:
        self.digest = hashlib.sha256(self.digest + body).digest()
        return body[:-1] + b',"chain":"' + self.digest.hex().encode() + b'"}\n'

    def seal(self, key: bytes) -> bytes:
        mac = hmac.new(key, self.digest, hashlib.sha256).hexdigest()
        return ENCODER.encode(Seal(mac=mac, key=key_id(key))) + b"\n"


def journal_lines(header: Header, events: Iterable[Event], key: bytes | None) -> Iterator[bytes]:
    """Every line of a whole journal, sealed when a key is given and the run ended."""
    chain = _Chain()
    yield chain.line(ENCODER.encode(header))
    last: Event | None = None
    for event in events:
        yield chain.line(ENCODER.encode(event))
        last = event
    if key is not None and isinstance(last, DrillEnded):
        yield chain.seal(key)


def write_journal(
    path: str | os.PathLike[str], header: Header, events: Iterable[Event], key: bytes | None
) -> None:
    """Write a whole journal atomically (a reader never sees half a file)."""
    target = Path(path)
    temporary = target.with_name(target.name + ".part")
    text = b"".join(journal_lines(header, events, key))  # one write: a batch writes thousands
    with temporary.open("wb") as handle:
        handle.write(text)
    os.replace(temporary, target)


class JournalWriter:
    """Appends records as they happen, each flushed and synced, so a crash loses nothing."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        header: Header,
        key: bytes | None,
        *,
        going_on: Journal | None = None,
    ) -> None:
        """A new journal starting with ``header``; or, with ``going_on`` (the unfinished
        journal in ``path`` as read), the same file appended to, its chain going on from its
        last whole line (a line torn by a crash is cut off first)."""
        self.path = Path(path)
        self._key = key
        self._chain = _Chain()
        self._clock_at = 0.0
        if going_on is None:
            self._handle: IO[bytes] | None = self.path.open("xb")
            self._write(self._chain.line(ENCODER.encode(header)))
            return
        if going_on.header.journal < 2 or going_on.finished:
            raise ValueError("only an unfinished journal of the current format goes on")
        self._handle = self.path.open("r+b")
        self._chain.digest = going_on.chain
        self._clock_at = max(going_on.clock_until or 0.0, going_on.events[-1].t)
        text = self._handle.read()
        self._handle.truncate(text.rfind(b"\n") + 1)
        self._handle.seek(0, os.SEEK_END)

    def _write(self, line: bytes) -> None:
        if self._handle is None:
            raise ValueError("the journal is closed")
        self._handle.write(line)
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def append(self, event: Event, wall: str | None = None) -> None:
        if wall is not None:
            event = msgspec.structs.replace(event, wall=wall)
        self._write(self._chain.line(ENCODER.encode(event)))
        self._clock_at = max(self._clock_at, event.t)

    def clock(self, t: float, every: float = 60.0) -> None:
        """Mark that the live clock reached ``t``, if ``every`` seconds passed since the last
        line: a killed run then scores up to within that much of the kill."""
        if t - self._clock_at >= every:
            self._write(self._chain.line(ENCODER.encode(ClockMark(t))))
            self._clock_at = t

    @property
    def closed(self) -> bool:
        return self._handle is None

    def close(self) -> None:
        """Close; a run that ended is sealed first."""
        if self._handle is None:
            return
        if self._key is not None and self._ended:
            self._write(self._chain.seal(self._key))
            self.sealed = True
        self._handle.close()
        self._handle = None

    _ended = False
    sealed = False
    """The run ended and its seal was written."""

    def ended(self) -> None:
        """The run reached its end: :meth:`close` seals it."""
        self._ended = True


# ----------------------------------------------------------------------- reading
def read_journal(
    path: str | os.PathLike[str], *, partial: bool = False, key: bytes | None = None
) -> Journal:
    """Read a journal, checking every line's type and the chain; JournalError if unusable.

    ``partial``: accept a run that stopped without a drill_ended event (a crash, or a team
    that quit), dropping a last line torn mid-write. ``key``: this installation's sealing
    key, to tell a sealed run from one that is only intact.
    """
    shown = os.fspath(path)
    try:
        handle = open(open_for_reading(path), "rb")  # noqa: SIM115 - closed below
    except NotAFile as error:
        raise JournalError(shown, 0, error.reason, "pass a .jsonl journal file") from None
    except FileNotFoundError:
        raise JournalError(shown, 0, "no such file", "check the path") from None
    except OSError as error:
        raise JournalError(
            shown, 0, f"cannot be read ({error.strerror})", "check the path"
        ) from None
    with handle:
        try:
            size = os.fstat(handle.fileno()).st_size
        except OSError:
            size = 0
        if size > MAX_JOURNAL_BYTES:
            raise _too_large(shown)
        return _Reader(shown, partial, key).read(handle)


def _too_large(shown: str) -> JournalError:
    return JournalError(
        shown,
        0,
        f"the file is larger than a journal can be ({MAX_JOURNAL_BYTES // (1024 * 1024)} MB)",
        "check the path: drillsim journals of real drills are well under 1 MB",
    )


class _Reader:
    def __init__(self, shown: str, partial: bool, key: bytes | None) -> None:
        self.shown = shown
        self.partial = partial
        self.key = key

    def fail(
        self, line: int, message: str, hint: str = "use the journal as drillsim wrote it"
    ) -> JournalError:
        return JournalError(self.shown, line, message, hint)

    def read(self, handle: IO[bytes]) -> Journal:
        raw_lines = self._lines(handle)
        if not raw_lines or not raw_lines[0][1].strip():
            raise self.fail(1, "file is empty", "pass a journal written by drillsim")
        number, first = raw_lines[0]
        header = self._header(first, torn=len(raw_lines) == 1 and not first.endswith(b"\n"))
        journal = Journal(
            self.shown, header, [], [], "unverified" if header.journal == 1 else "intact"
        )
        chained = header.journal >= 2
        chain = hashlib.sha256(_split(first)[0]).digest() if chained else b""
        if not chained and (
            header.scenario.text is not None
            or header.kind is not None
            or header.versions.engine is not None
        ):
            journal.mark_edited(
                "line 1: a first-format header with second-format fields (a journal rewritten "
                "as the older format to escape its checks)"
            )
        seal: Seal | None = None
        torn = False
        for index, (number, text) in enumerate(raw_lines[1:], start=1):
            last = index == len(raw_lines) - 1
            if not text.strip():
                continue
            if seal is not None:
                raise self.fail(number, "a line after the seal", "the seal must be the last line")
            body, recorded = _split(text) if chained else (text.rstrip(b"\r\n"), None)
            try:
                record = _LINE.decode(body)
            except (msgspec.DecodeError, RecursionError) as error:
                if last and not text.endswith(b"\n"):
                    if not self.partial:
                        raise self.fail(
                            number,
                            "the last line is cut off (the run stopped mid-write)",
                            "score what came before it with --partial",
                        ) from None
                    journal.warnings.append(
                        f"{self.shown}:{number}: dropped the last line, cut off mid-write"
                    )
                    torn = True
                    break
                raise self._invalid(number, body, error) from None
            if isinstance(record, Seal):
                seal = record
                continue
            if chained:
                chain = self._link(chain, body, recorded, number, journal)
            if isinstance(record, ObservationAdded):
                _check_observation(journal, record, self.fail, number)
                journal.observations.append(record)
                continue
            if journal.observations:
                raise self.fail(number, f"a {record.kind} record after the debrief's observations")
            if isinstance(record, ClockMark):
                journal.clock_until = max(journal.clock_until or 0.0, record.t)
                continue
            journal.events.append(record)
            journal.lines.append(number)
        journal.chain = chain
        self._check_order(journal)
        self._check_seal(journal, seal, chain, torn=torn)
        if not journal.finished and not self.partial:
            raise self.fail(
                raw_lines[-1][0],
                "the journal ends without a drill_ended event (the run did not finish, "
                "or the file was cut)",
                "pass --partial to score what happened up to its last event",
            )
        return journal

    def _lines(self, handle: IO[bytes]) -> list[tuple[int, bytes]]:
        """The file's lines, read in a stream and refused past the size limit."""
        found: list[tuple[int, bytes]] = []
        total = 0
        for number, text in enumerate(iter(lambda: handle.readline(MAX_JOURNAL_BYTES + 1), b""), 1):
            total += len(text)
            if total > MAX_JOURNAL_BYTES:
                raise _too_large(self.shown)
            if number == 1 and text.startswith(BOM):
                text = text[len(BOM) :]
            found.append((number, text))
        return found

    def _link(
        self, chain: bytes, body: bytes, recorded: bytes | None, number: int, journal: Journal
    ) -> bytes:
        """The chain after this line; a line whose recorded chain differs marks the journal
        edited (the first break is reported), and the chain goes on from what it recorded."""
        expected = hashlib.sha256(chain + body).digest()
        if recorded == expected:
            return expected
        if journal.seal != "edited":
            journal.mark_edited(
                f"line {number}: the chain breaks here (a line was changed, added, removed "
                "or moved at or before it)"
                if recorded is not None
                else f"line {number}: has no chain (a line added by hand)"
            )
        return recorded if recorded is not None else expected

    def _header(self, text: bytes, *, torn: bool) -> Header:
        body = text.rstrip(b"\r\n")
        try:
            probe = msgspec.json.decode(body)
        except (msgspec.DecodeError, RecursionError) as error:
            if torn:
                raise self.fail(
                    1, "the header is cut off", "the run never started; nothing to score"
                ) from None
            raise self.fail(
                1, f"not JSON ({error})", "pass a journal written by drillsim"
            ) from None
        if not isinstance(probe, dict) or "journal" not in probe:
            raise self.fail(
                1, "not a drillsim journal (no header)", "pass a .jsonl journal written by drillsim"
            )
        version = probe["journal"]
        if version not in READABLE_FORMATS:
            newer = (
                isinstance(version, int)
                and not isinstance(version, bool)
                and version > JOURNAL_FORMAT
            )
            raise self.fail(
                1,
                f"journal format {version!r} is not supported (this drillsim reads formats "
                f"{', '.join(map(str, READABLE_FORMATS))})",
                "upgrade drillsim" if newer else "pass a journal written by drillsim",
            )
        if version >= 2:
            body, recorded = _split(text)
            if recorded is None or recorded != hashlib.sha256(body).digest():
                raise self.fail(
                    1,
                    "the header's chain is missing or wrong",
                    "use the journal as drillsim wrote it",
                )
        try:
            header = _HEADER.decode(body)
        except msgspec.DecodeError as error:
            raise self.fail(
                1, f"header: {_reason(error)}", "pass a journal written by drillsim"
            ) from None
        if version >= 2 and (header.scenario.text is None or header.kind is None):
            raise self.fail(
                1,
                "header: the scenario text and the run kind are missing",
                "pass a journal written by drillsim",
            )
        return header

    def _invalid(
        self, number: int, body: bytes, error: msgspec.DecodeError | RecursionError
    ) -> JournalError:
        if isinstance(error, RecursionError):
            return self.fail(number, "not a journal line (nested too deeply)", _FOREIGN)
        try:
            probe = msgspec.json.decode(body)
        except (msgspec.DecodeError, RecursionError):
            return self.fail(number, f"not JSON ({error})", _FOREIGN)
        kind = probe.get("kind") if isinstance(probe, dict) else None
        what = f"{kind} record" if isinstance(kind, str) else "record"
        return self.fail(number, f"{what}: {_reason(error)}")

    def _check_order(self, journal: Journal) -> None:
        """One start first, one end last, seq counting up by one, time never going back."""
        events, lines = journal.events, journal.lines
        if not events or not isinstance(events[0], DrillStarted):
            raise self.fail(
                lines[0] if lines else 2,
                "the journal has no drill_started event",
                "it was cut short",
            )
        start, header = events[0], journal.header
        if start.seed != header.seed or start.scenario != header.scenario.id:
            raise self.fail(
                lines[0],
                f"drill_started (scenario {start.scenario}, seed {start.seed}) does not match "
                f"the header (scenario {header.scenario.id}, seed {header.seed})",
            )
        previous = 0.0
        for index, (event, number) in enumerate(zip(events, lines, strict=True), start=1):
            if event.seq != index:
                raise self.fail(
                    number,
                    f"event seq {event.seq} where {index} was expected "
                    "(lines missing or reordered)",
                )
            if event.t < previous:
                raise self.fail(number, f"exercise time {event.t} goes back (previous {previous})")
            previous = event.t
            misplaced = (isinstance(event, DrillStarted) and index != 1) or (
                isinstance(event, DrillEnded) and index != len(events)
            )
            if misplaced:
                raise self.fail(number, f"{event.kind} in the middle of the run")
        if journal.clock_until is not None and journal.clock_until <= previous:
            journal.clock_until = None

    def _check_seal(self, journal: Journal, seal: Seal | None, chain: bytes, *, torn: bool) -> None:
        if journal.seal == "unverified":
            return
        if seal is None:
            if journal.finished and not torn:  # every writer seals a run that ended
                journal.mark_edited("the run ended but its seal line is missing (removed)")
            return
        if self.key is None or key_id(self.key) != seal.key:
            return  # another installation's seal: intact at best
        mac = hmac.new(self.key, chain, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(mac, seal.mac):
            journal.mark_edited(
                "the seal does not match the lines (the journal was re-chained after an edit)"
            )
        elif journal.seal != "edited":
            journal.seal = "sealed"


_FOREIGN = "pass a journal written by drillsim"


def _check_observation(
    journal: Journal,
    observation: ObservationAdded,
    fail: Callable[[int, str], JournalError],
    number: int,
) -> None:
    """An observation follows the end, goes on counting ``seq``, is stamped with the end's
    time, and is on an update or a decision's close of this run (or on the whole run)."""
    if not journal.finished:
        raise fail(number, "an observation before the drill ended (they come from the debrief)")
    end = journal.events[-1]
    seq = len(journal.events) + len(journal.observations) + 1
    if observation.seq != seq:
        raise fail(number, f"observation seq {observation.seq} where {seq} was expected")
    if observation.t != end.t:
        raise fail(number, f"observation at {observation.t}, not at the end ({end.t})")
    on = observation.on
    if on is not None and not (
        on <= len(journal.events) and journal.events[on - 1].kind in OBSERVED_KINDS
    ):
        raise fail(number, f"an observation on seq {on}, which is no update or decision")


def add_observation(
    path: str | os.PathLike[str],
    key: bytes,
    *,
    verdict: Verdict,
    text: str,
    on: int | None = None,
    wall: str | None = None,
) -> ObservationAdded:
    """Add the facilitator's observation to a finished, sealed run, and seal it again.

    The journal is read and checked first; only a run sealed by ``key`` (this installation's)
    takes one, so an edited journal is refused, never sealed afresh. The observation line and
    the new seal are written in one write where the old seal was, then synced: the journal is
    sealed before and after, and the seal always covers every line. JournalError (with a hint)
    when the run cannot take it.
    """
    shown = os.fspath(path)
    journal = read_journal(path, key=key)
    if journal.seal != "sealed":
        raise JournalError(
            shown,
            1,
            f"the run is {journal.seal}, not sealed by this installation",
            "add observations on the machine that played it, to a journal left as written",
        )
    observation = ObservationAdded(
        seq=len(journal.events) + len(journal.observations) + 1,
        t=journal.events[-1].t,
        wall=wall,
        verdict=verdict,
        text=text,
        on=on,
    )

    def refuse(line: int, message: str) -> JournalError:
        return JournalError(shown, line, message, "choose an update or a decision of this run")

    _check_observation(journal, observation, refuse, 0)
    chain = _Chain()
    chain.digest = journal.chain  # whole: the run reads sealed
    tail = chain.line(ENCODER.encode(observation)) + chain.seal(key)
    with open(path, "r+b") as handle:
        raw = handle.read()
        last_line = raw.rstrip(b"\n").rfind(b"\n") + 1  # the seal line
        handle.seek(last_line)
        handle.write(tail)
        handle.truncate()
        handle.flush()
        os.fsync(handle.fileno())
    return observation


def _split(text: bytes) -> tuple[bytes, bytes | None]:
    """A line's body (the record without its chain field) and the chain it recorded."""
    text = text.rstrip(b"\r\n")
    tail = text[-_CHAIN_SUFFIX:]
    if len(text) > _CHAIN_SUFFIX and tail.startswith(b',"chain":"') and tail.endswith(b'"}'):
        try:
            return text[:-_CHAIN_SUFFIX] + b"}", bytes.fromhex(tail[10:-2].decode("ascii"))
        except ValueError:
            pass
    return text, None


def _reason(error: msgspec.DecodeError) -> str:
    """msgspec's words with the field first: ``truth.duration: Expected float, got str``."""
    message, _, where = str(error).partition(" - at `$")
    message = message.replace("`", "")
    field = where.rstrip("`").lstrip(".")
    return f"{field}: {message}" if field else message
