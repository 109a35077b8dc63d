"""The journal: typed lines, a hash chain and a seal, replay, crashes, and clear errors."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import msgspec
import pytest
from conftest import FLAGSHIP

from drillsim.engine.events import DrillStarted, Truth
from drillsim.journal import (
    JOURNAL_FORMAT,
    MAX_JOURNAL_BYTES,
    JournalError,
    JournalWriter,
    Player,
    ScenarioRef,
    installation_key,
    journal_lines,
    key_id,
    new_header,
    new_run_id,
    read_journal,
    simulated_run_id,
    write_journal,
)
from drillsim.policies import play
from drillsim.recorded import RunRefused, open_run
from drillsim.scenario.loader import load_scenario_file


@pytest.fixture(scope="module")
def oracle_run():
    """A real oracle run of the flagship: (loaded scenario, header, events)."""
    loaded = load_scenario_file(FLAGSHIP)
    scenario = loaded.scenario
    ref = ScenarioRef.of(scenario, loaded.sha256, loaded.text)
    header = new_header(
        kind="simulated",
        run_id=simulated_run_id(ref, "oracle", 3),
        scenario=ref,
        seed=3,
        player=Player(policy="oracle"),
        scoring_version="test",
    )
    return loaded, header, play(scenario, "oracle", 3).events


@pytest.fixture
def key(private_data_folder) -> bytes:
    found = installation_key(private_data_folder, create=True)
    assert found is not None
    return found


@pytest.fixture
def written(tmp_path, oracle_run, key) -> Path:
    _, header, events = oracle_run
    path = tmp_path / "run.jsonl"
    write_journal(path, header, events, key)
    return path


def test_round_trip_is_exact_and_sealed(written, oracle_run, key) -> None:
    _, header, events = oracle_run
    journal = read_journal(written, key=key)
    assert journal.header == header
    assert journal.events == events
    assert journal.seal == "sealed" and journal.problems == []


def test_without_this_installations_key_a_whole_chain_is_intact(written) -> None:
    assert read_journal(written).seal == "intact"
    assert read_journal(written, key=b"another installation's key!!").seal == "intact"


def test_the_header_embeds_the_scenario_text_and_every_version(written, oracle_run) -> None:
    loaded, _, _ = oracle_run
    first = json.loads(written.read_text().splitlines()[0])
    assert first["journal"] == JOURNAL_FORMAT == 4 and first["kind"] == "simulated"
    assert first["scenario"]["text"] == loaded.text
    assert first["scenario"]["sha256"] == hashlib.sha256(loaded.text.encode()).hexdigest()
    assert set(first["versions"]) == {"drillsim", "scoring", "engine"}
    assert len(first["chain"]) == 64


def test_simulated_run_ids_depend_on_what_ran(oracle_run) -> None:
    _, header, _ = oracle_run
    ref = header.scenario
    one = simulated_run_id(ref, "oracle", 1)
    assert one == simulated_run_id(ref, "oracle", 1)
    assert one != simulated_run_id(ref, "oracle", 2) != simulated_run_id(ref, "spam", 1)


def test_played_run_ids_never_collide_and_sort_by_start_time() -> None:
    from datetime import UTC, datetime, timedelta

    start = datetime(2026, 12, 2, 9, 0, 0, tzinfo=UTC)
    same_second = {new_run_id(start) for _ in range(2000)}
    assert len(same_second) == 2000
    later = [new_run_id(start + timedelta(milliseconds=step)) for step in range(0, 5000, 7)]
    assert later == sorted(later)


def test_writer_syncs_every_line_marks_the_clock_and_seals_at_the_end(
    tmp_path, oracle_run, key
) -> None:
    _, header, events = oracle_run
    path = tmp_path / "live.jsonl"
    writer = JournalWriter(path, header, key)
    for event in events[:5]:
        writer.append(event, wall="2026-11-26T09:00:01.000+00:00")
    writer.clock(30.0)  # less than a minute since the last line: no mark
    writer.clock(200.0)
    # No close(): what a crash leaves behind is already on disk.
    lines = path.read_text().splitlines()
    assert len(lines) == 7 and json.loads(lines[-1]) == {
        "kind": "clock",
        "t": 200.0,
        **{"chain": json.loads(lines[-1])["chain"]},
    }
    assert json.loads(lines[1])["wall"] == "2026-11-26T09:00:01.000+00:00"
    journal = read_journal(path, partial=True, key=key)
    assert journal.clock_until == 200.0 and journal.seal == "intact"
    for event in events[5:]:
        writer.append(event)
    writer.ended()
    writer.close()
    assert read_journal(path, key=key).seal == "sealed"
    with pytest.raises(FileExistsError):
        JournalWriter(path, header, key)


def test_a_journal_that_starts_with_a_bom_reads_the_same(written, key) -> None:
    copy = written.with_name("bom.jsonl")
    copy.write_bytes(b"\xef\xbb\xbf" + written.read_bytes())
    assert read_journal(copy, key=key).events == read_journal(written, key=key).events
    assert read_journal(copy, key=key).seal == "sealed"


def test_a_torn_last_line_is_dropped_with_a_warning_only_when_partial(written, key) -> None:
    data = written.read_bytes()
    torn = written.with_name("torn.jsonl")
    torn.write_bytes(data[: len(data) - 300])
    with pytest.raises(JournalError, match=r"cut off .*--partial"):
        read_journal(torn, key=key)
    journal = read_journal(torn, partial=True, key=key)
    assert journal.warnings and "dropped the last line" in journal.warnings[0]
    assert not journal.finished and journal.seal == "intact"


def test_the_size_limit_holds_while_streaming(tmp_path, monkeypatch) -> None:
    huge = tmp_path / "huge.jsonl"
    with huge.open("wb") as handle:  # sparse: no disk, and refused before reading
        handle.truncate(MAX_JOURNAL_BYTES + 1)
    with pytest.raises(JournalError, match="larger than a journal can be"):
        read_journal(huge)
    import drillsim.journal as module

    monkeypatch.setattr(module, "MAX_JOURNAL_BYTES", 1000)
    piped = tmp_path / "lines.jsonl"
    piped.write_text('{"journal":2}\n' * 200)
    with pytest.raises(JournalError, match="larger than a journal can be"):
        read_journal(piped)


# --------------------------------------------------------------- bad input
def rows_of(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def rewrite(path: Path, rows: list[dict], *, rechain: bool = False) -> None:
    """Write rows back; ``rechain`` recomputes the chain as a careful forger would."""
    digest = b""
    out = []
    for row in rows:
        row = {k: v for k, v in row.items() if k != "chain"}
        if row.get("kind") == "seal":
            out.append(json.dumps(row, separators=(",", ":")))
            continue
        body = json.dumps(row, separators=(",", ":"), ensure_ascii=False).encode()
        if rechain:
            digest = hashlib.sha256(digest + body).digest()
            row["chain"] = digest.hex()
        out.append(json.dumps(row, separators=(",", ":"), ensure_ascii=False))
    path.write_text("\n".join(out) + "\n")


@pytest.mark.parametrize(
    ("mangle", "line", "message"),
    [
        (lambda rows: rows[0].update(player="x"), 1, "header: player: Expected object, got str"),
        (
            lambda rows: rows[0].update(versions=None),
            1,
            "header: versions: Expected object, got null",
        ),
        (lambda rows: rows[0].update(seed=10**30), 1, "header: seed: Expected int <="),
        (lambda rows: rows[1]["belief"].update(sigma=0), 2, "drill_started record: belief.sigma"),
        (
            lambda rows: rows[1]["belief"].update(sigma=1e308),
            2,
            "drill_started record: belief.sigma",
        ),
        (lambda rows: rows[1].update(variables=["a", "b"]), 2, "drill_started record: variables"),
        (
            lambda rows: rows[1].update(truth={"duration": -1}),
            2,
            "drill_started record: truth.duration",
        ),
        (lambda rows: rows[2].update(kind="teleport"), 3, "Invalid value 'teleport'"),
        (lambda rows: rows[3].update(seq=7), 4, "seq 7 where 3 was expected"),
        (lambda rows: rows[4].update(t=-5.0), 5, "record: t: Expected float >= 0"),
        (lambda rows: rows[0].update(journal=9), 1, "upgrade drillsim"),
    ],
)
def test_hand_broken_journals_get_one_located_error(written, mangle, line, message) -> None:
    rows = rows_of(written)
    mangle(rows)
    rewrite(written, rows, rechain=True)
    with pytest.raises(JournalError) as raised:
        read_journal(written, partial=True)
    assert message in str(raised.value)
    assert raised.value.line == line and str(raised.value).startswith(f"{written}:{line}: ")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"", "file is empty"),
        (b"hello\n", "not JSON"),
        (b'{"not": "a journal"}\n', "not a drillsim journal"),
        (b"[" * 100_000 + b"\n", "not"),
        (bytes(range(256)), "not"),
    ],
    ids=["empty", "text", "other-json", "deep-array", "binary"],
)
def test_garbage_gets_a_located_error(tmp_path, text, message) -> None:
    path = tmp_path / "garbage.jsonl"
    path.write_bytes(text)
    with pytest.raises(JournalError, match=message) as raised:
        read_journal(path)
    assert raised.value.line == 1


def test_a_deep_array_on_an_event_line_is_a_located_error(written) -> None:
    lines = written.read_bytes().splitlines(keepends=True)
    lines.insert(3, b"[" * 100_000 + b"\n")
    written.write_bytes(b"".join(lines))
    with pytest.raises(JournalError) as raised:
        read_journal(written)
    assert raised.value.line == 4


def test_missing_journal(tmp_path) -> None:
    with pytest.raises(JournalError, match="no such file") as raised:
        read_journal(tmp_path / "nope.jsonl")
    assert raised.value.line == 0


# ------------------------------------------------------------ edits show
def refused(path: Path) -> bool:
    try:
        open_run(path)
    except RunRefused:
        return True
    return False


def renumbered(rows: list[dict]) -> list[dict]:
    seq = 0
    for row in rows[1:]:
        if "seq" in row:
            seq += 1
            row["seq"] = seq
    return rows


@pytest.mark.slow
def test_every_deleted_duplicated_or_shifted_line_is_refused(written) -> None:
    original = rows_of(written)
    assert not refused(written)
    for index in range(1, len(original)):
        for edit in ("delete", "duplicate", "shift"):
            rows = [dict(row) for row in original]
            if edit == "delete":
                del rows[index]
            elif edit == "duplicate":
                rows.insert(index, dict(rows[index]))
            elif "t" in rows[index]:
                rows[index]["t"] = rows[index]["t"] + 60.0
            else:
                continue
            rewrite(written, renumbered(rows))
            assert refused(written), (edit, index, original[index].get("kind"))


def test_a_rechained_edit_of_an_engine_event_fails_replay_even_without_the_key(
    written, private_data_folder
) -> None:
    rows = rows_of(written)
    shifted = next(
        i for i, row in enumerate(rows) if row.get("kind") == "inject_delivered" and row["t"] > 0
    )
    rows[shifted]["text"] = "Nothing to worry about."
    rewrite(written, rows, rechain=True)  # a seal this installation cannot check
    (private_data_folder / "journal.key").rename(private_data_folder / "journal.key.away")
    try:
        with pytest.raises(
            RunRefused, match=rf":{shifted + 1}: the journal was edited|line {shifted + 1}"
        ):
            open_run(written)
        run = open_run(written, accept_edited=True)
        assert run.seal == "edited" and "replay" in run.journal.problems[0]
    finally:
        (private_data_folder / "journal.key.away").rename(private_data_folder / "journal.key")


def test_a_rechained_edit_of_an_input_is_caught_by_the_seal(written) -> None:
    rows = rows_of(written)
    update = next(i for i, row in enumerate(rows) if row.get("kind") == "update_sent")
    rows[update]["text"] = rows[update]["text"] + " (edited later)"
    rewrite(written, rows, rechain=True)
    with pytest.raises(RunRefused, match="seal does not match"):
        open_run(written)


def test_a_tampered_outage_length_is_refused(oracle_run) -> None:
    from scoring import score_run
    from scoring.timeline import JournalMismatch

    loaded, _, events = oracle_run
    events = list(events)
    start = events[0]
    assert isinstance(start, DrillStarted)
    events[0] = msgspec.structs.replace(start, truth=Truth(duration=300.0))
    with pytest.raises(JournalMismatch, match=r"recorded as 300\.0 s"):
        score_run(loaded.scenario, events)


def test_key_ids_name_keys_without_revealing_them(key) -> None:
    assert len(key_id(key)) == 16 and key.hex()[:16] != key_id(key)


def test_a_key_made_by_two_drillsims_at_once_is_whole_and_shared(tmp_path, monkeypatch) -> None:
    """Two drillsims starting their first runs at once: the second never reads the first's
    key file half-written (it read it empty, so its run ended with no seal)."""
    import secrets
    import threading

    writing, release = threading.Event(), threading.Event()
    token_bytes = secrets.token_bytes

    def slow_for_the_first(count: int) -> bytes:
        if threading.current_thread().name == "first":
            writing.set()
            release.wait(10)
        return token_bytes(count)

    monkeypatch.setattr(secrets, "token_bytes", slow_for_the_first)
    keys: dict[str, bytes | None] = {}
    first = threading.Thread(
        target=lambda: keys.update(first=installation_key(tmp_path, create=True)), name="first"
    )
    first.start()
    assert writing.wait(10)  # the first is making its key right now
    keys["second"] = installation_key(tmp_path, create=True)
    release.set()
    first.join(10)
    assert keys["second"] is not None and len(keys["second"]) == 32
    assert keys["first"] == keys["second"] == installation_key(tmp_path, create=False)
    assert len(list(tmp_path.iterdir())) == 1  # no draft left behind


def test_journal_lines_seal_only_a_finished_run(oracle_run, key) -> None:
    _, header, events = oracle_run
    assert b'"kind":"seal"' in list(journal_lines(header, events, key))[-1]
    assert b'"kind":"seal"' not in list(journal_lines(header, events[:-1], key))[-1]


# ---------------------------------------------------- review: edits that hid
def test_a_run_rewritten_as_the_first_format_is_edited(written) -> None:
    rows = rows_of(written)
    rows = [row for row in rows if row.get("kind") not in ("seal", "clock")]
    for row in rows:
        row.pop("chain", None)
    rows[0]["journal"] = 1
    inject = next(i for i, row in enumerate(rows) if row.get("kind") == "inject_delivered")
    rows[inject]["text"] = "All is well."
    written.write_text("".join(json.dumps(row) + "\n" for row in rows))
    with pytest.raises(RunRefused, match="first-format header with second-format fields"):
        open_run(written)


def test_a_finished_run_whose_seal_was_removed_is_edited(written, key) -> None:
    lines = written.read_text().splitlines(keepends=True)
    assert '"kind":"seal"' in lines[-1]
    written.write_text("".join(lines[:-1]))
    journal = read_journal(written, key=key)
    assert journal.seal == "edited" and "seal line is missing" in journal.problems[0]


def test_a_torn_seal_is_a_crash_not_an_edit(written, key) -> None:
    data = written.read_bytes()
    written.write_bytes(data[:-20])
    journal = read_journal(written, partial=True, key=key)
    assert journal.seal == "intact" and journal.warnings


def test_a_partial_run_must_hold_every_event_due_before_its_last_clock_mark(written) -> None:
    rows = rows_of(written)
    cut = next(
        i for i, row in enumerate(rows) if row.get("kind") == "inject_delivered" and row["t"] > 600
    )
    kept = rows[:cut]  # the inject at that moment, and all after it, are gone...
    kept.append({"kind": "clock", "t": rows[cut]["t"] + 300.0})  # ...though the clock ran on
    rewrite(written, kept, rechain=True)
    with pytest.raises(RunRefused, match="before the clock mark"):
        open_run(written, partial=True)


# ------------------------------------------------- the facilitator's observations, after the end
def _update_and_decision(events) -> tuple[int, int]:
    update = next(e.seq for e in events if e.kind == "update_sent")
    decision = next(e.seq for e in events if e.kind == "decision_closed")
    return update, decision


def test_observations_follow_the_end_and_the_seal_covers_them(written, oracle_run, key) -> None:
    from drillsim.journal import add_observation

    _, _, events = oracle_run
    update, decision = _update_and_decision(events)
    first = add_observation(written, key, verdict="strength", text="Clear first word", on=update)
    add_observation(written, key, verdict="improvement", text="Chose late", on=decision)
    add_observation(written, key, verdict="strength", text="Calm room")
    journal = read_journal(written, key=key)
    assert journal.seal == "sealed" and journal.events == events
    assert [(o.verdict, o.on) for o in journal.observations] == [
        ("strength", update),
        ("improvement", decision),
        ("strength", None),
    ]
    assert first.t == events[-1].t and first.seq == len(events) + 1
    assert open_run(written).journal.observations == journal.observations  # replays
    lines = written.read_bytes().splitlines()
    assert json.loads(lines[-1])["kind"] == "seal"
    assert [json.loads(line)["kind"] for line in lines[-4:-1]] == ["observation_added"] * 3


def test_an_edited_observation_breaks_the_chain(written, oracle_run, key) -> None:
    from drillsim.journal import add_observation

    add_observation(written, key, verdict="strength", text="Clear first word")
    written.write_bytes(written.read_bytes().replace(b"Clear first word", b"Nothing at all!!"))
    assert read_journal(written, key=key).seal == "edited"


def test_an_edited_or_foreign_run_takes_no_observation(written, key, private_data_folder) -> None:
    from drillsim.journal import add_observation

    lines = written.read_bytes().splitlines(keepends=True)
    lines[3] = lines[3].replace(b'"t":', b'"t": ')
    edited = written.with_name("edited.jsonl")
    edited.write_bytes(b"".join(lines))
    with pytest.raises(JournalError, match="edited, not sealed"):
        add_observation(edited, key, verdict="strength", text="x")
    with pytest.raises(JournalError, match="intact, not sealed"):
        add_observation(written, b"another installation's key", verdict="strength", text="x")


def test_an_observation_is_on_an_update_or_a_decision_of_the_run(written, oracle_run, key) -> None:
    from drillsim.journal import add_observation

    _, _, events = oracle_run
    inject = next(e.seq for e in events if e.kind == "inject_delivered")
    before = written.read_bytes()
    for on in (inject, len(events) + 5):
        with pytest.raises(JournalError, match="no update or decision"):
            add_observation(written, key, verdict="improvement", text="x", on=on)
    assert written.read_bytes() == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda o: o, None),
        (lambda o: {**o, "seq": o["seq"] + 1}, "observation seq"),
        (lambda o: {**o, "t": 1.0}, "not at the end"),
    ],
)
def test_observations_are_checked_when_read(tmp_path, oracle_run, change, message) -> None:
    _, header, events = oracle_run
    observation = {
        "kind": "observation_added",
        "seq": len(events) + 1,
        "t": events[-1].t,
        "verdict": "strength",
        "text": "Calm room",
    }
    path = tmp_path / "run.jsonl"
    body = b"".join(journal_lines(header, events, None))
    body += json.dumps(change(observation)).encode() + b"\n"
    path.write_bytes(body)
    if message is None:
        journal = read_journal(path)
        assert journal.seal == "edited"  # no chain on the hand-made line
        assert journal.observations[0].text == "Calm room"
    else:
        with pytest.raises(JournalError, match=message):
            read_journal(path)


def test_an_observation_before_the_end_is_refused(tmp_path, oracle_run) -> None:
    _, header, events = oracle_run
    observation = {
        "kind": "observation_added",
        "seq": 2,
        "t": 0.0,
        "verdict": "strength",
        "text": "x",
    }
    lines = list(journal_lines(header, events, None))
    lines.insert(2, json.dumps(observation).encode() + b"\n")
    path = tmp_path / "run.jsonl"
    path.write_bytes(b"".join(lines))
    with pytest.raises(JournalError, match="before the drill ended"):
        read_journal(path)
