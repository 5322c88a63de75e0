"""Writes that lose nothing: concurrent adds, duplicates, links, unwritable targets, hand-made
files, arguments that are not UTF-8, and CSV cells a spreadsheet would run."""

from __future__ import annotations

import csv
import datetime as dt
import os
import stat
import subprocess
import sys
import tomllib
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import snapshot
from landmine_cli import edit, export, files, store
from landmine_cli.cli import app
from landmine_cli.errors import FactsError, UsageError

AS_ROOT = os.geteuid() == 0


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def add_event(facts: Path, *extra: str, date: str = "2026-01-02", note: str = "A statement."):
    return run("add", "event", "--country", "Betaland", "--treaty", "apmbc", "--type", "statement",
               "--date", date, "--source", "src-a", "--note", note, "--facts", str(facts), *extra)


def events_of(facts: Path, iso3: str = "bet") -> list[dict]:
    return tomllib.loads((facts / f"countries/{iso3}.toml").read_text(encoding="utf-8"))["events"]


# --- Concurrency ---------------------------------------------------------------------------


def test_ten_parallel_adds_on_one_country_all_land(facts_copy):
    before = len(events_of(facts_copy))
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "landmine_cli", "add", "event", "--country", "Betaland",
             "--treaty", "apmbc", "--type", "statement", "--date", f"2026-01-{n + 1:02d}",
             "--source", "src-a", "--note", f"Parallel run {n}.", "--facts", str(facts_copy)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for n in range(10)
    ]
    results = [(p.wait(timeout=120), *p.communicate()) for p in processes]
    landed = [out for code, out, _ in results if code == 0]
    for code, out, err in results:
        assert "Traceback" not in err
        if code != 0:  # a clean failure: no claim of success, one message, exit 5
            assert code == 5 and out == "" and err.startswith("Error:"), err
    notes = [e.get("note") for e in events_of(facts_copy)]
    assert len(notes) == before + len(landed)
    assert len(landed) == 10  # the lock waits long enough for ten
    assert sorted(n for n in notes if n and n.startswith("Parallel")) == [f"Parallel run {n}." for n in range(10)]
    assert store.load(facts_copy)


def test_a_busy_folder_fails_cleanly_after_the_timeout(facts_copy, monkeypatch):
    monkeypatch.setattr(edit, "LOCK_TIMEOUT", 0.2)
    before = snapshot(facts_copy)
    with edit.folder_lock(facts_copy):
        # The lock is per open file description: a second open in this process conflicts too.
        result = add_event(facts_copy)
    assert result.exit_code == 5 and result.stdout == ""
    assert "is busy" in result.stderr and "nothing was changed" in result.stderr
    assert snapshot(facts_copy) == before


# --- Duplicates ----------------------------------------------------------------------------

DUPLICATES = [
    (["add", "event", "--country", "Betaland", "--treaty", "apmbc", "--type", "statement",
      "--date", "2026-01-02", "--source", "src-a", "--note", "Same day, same type."],
     "facts/countries/bet.toml:{line}: type: duplicate statement event on 2026-01-02 "
     "(already recorded here; nothing was added)", "countries/bet.toml"),
    (["add", "reason", "--country", "Betaland", "--treaty", "apmbc", "--date", "2026-01-02",
      "--summary", "The same reason.", "--source", "src-a"],
     "facts/countries/bet.toml:{line}: summary: duplicate reason on 2026-01-02: the same summary "
     "is already recorded (already recorded here; nothing was added)", "countries/bet.toml"),
    (["add", "source", "--url", "https://example.org/new", "--publisher", "Example",
      "--title", "A new page"],
     "facts/sources.toml:{line}: url: duplicate url 'https://example.org/new' (already recorded "
     "here; nothing was added)", "sources.toml"),
    (["add", "funding", "--donor", "EU", "--year", "2012", "--amount-usd", "5", "--edition", "rep2013",
      "--source", "src-a"],
     "facts/funding.toml:{line}: year: duplicate contribution of EU for 2012 from the same edition "
     "(already recorded "
     "here; nothing was added)", "funding.toml"),
    (["add", "funding-event", "--date", "2026-01-02", "--type", "cut", "--donor", "EU",
      "--summary", "The same cut.", "--source", "src-a"],
     "facts/funding.toml:{line}: summary: duplicate cut funding event on 2026-01-02 with the same "
     "donor and summary (already recorded here; nothing was added)", "funding.toml"),
]


@pytest.mark.parametrize("argv, message, rel", DUPLICATES, ids=["event", "reason", "source",
                                                                 "funding", "funding-event"])
def test_the_same_record_twice_is_refused_with_exit_3(facts_copy, argv, message, rel):
    first = run(*argv, "--facts", str(facts_copy))
    assert first.exit_code == 0, first.stderr
    before = snapshot(facts_copy)
    second = run(*argv, "--facts", str(facts_copy))
    assert second.exit_code == 3 and second.stdout == ""
    [problem] = [line for line in second.stderr.splitlines() if not line.startswith("Error:")]
    line = int(problem.split(":")[1])
    assert problem == message.format(line=line)
    assert snapshot(facts_copy) == before


def test_the_same_source_under_another_id_is_refused(facts_copy):
    result = run("add", "source", "--url", "https://example.org/status", "--publisher", "Other",
                 "--title", "Copy", "--id", "copy", "--facts", str(facts_copy))
    assert result.exit_code == 3
    assert "sources.toml:5: url: duplicate url 'https://example.org/status'" in result.stderr


# --- Links, pipes, devices and unwritable targets ------------------------------------------


def test_a_linked_fact_file_is_written_through(facts_copy, tmp_path):
    real = tmp_path / "elsewhere" / "bet.toml"
    real.parent.mkdir()
    link = facts_copy / "countries" / "bet.toml"
    link.rename(real)
    link.symlink_to(real)
    assert add_event(facts_copy).exit_code == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert events_of(facts_copy)[-1]["note"] == "A statement."  # read through the link
    assert "A statement." in real.read_text(encoding="utf-8")


def test_export_through_a_link_writes_the_target(cli, tmp_path):
    target = tmp_path / "real.db"
    target.write_bytes(b"")
    link = tmp_path / "link.db"
    link.symlink_to(target)
    assert cli("export", "--sqlite", str(link)).exit_code == 0
    assert link.is_symlink() and target.read_bytes().startswith(b"SQLite format 3")


@pytest.mark.parametrize("kind", ["fifo", "folder", "device", "link-to-fifo"])
def test_export_refuses_what_is_not_a_regular_file(cli, tmp_path, kind):
    path = tmp_path / "out.db"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "device":
        path = Path("/dev/null")
    else:
        os.mkfifo(tmp_path / "pipe")
        path.symlink_to(tmp_path / "pipe")
    before = _identity(path)
    result = cli("export", "--sqlite", str(path))
    assert result.exit_code == 5 and result.stdout == ""
    assert result.stderr.startswith(f"Error: export: cannot write {path}: not a regular file (")
    assert ".tmp" not in result.stderr
    assert _identity(path) == before


def _identity(path: Path) -> tuple:
    """What replacing, deleting or writing `path` (or its link) would change. Not the times
    of /dev/null: any process on the machine may touch them while the test runs."""
    def of(info: os.stat_result) -> tuple:
        times = () if stat.S_ISCHR(info.st_mode) else (info.st_mtime_ns, info.st_ctime_ns)
        return (info.st_mode, info.st_ino, info.st_dev, info.st_nlink, info.st_size, info.st_rdev, *times)

    return of(path.stat()), of(path.lstat())


def test_csv_into_a_file_is_refused(cli, tmp_path):
    path = tmp_path / "not-a-folder"
    path.write_text("x")
    result = cli("export", "--csv", str(path))
    assert result.exit_code == 5
    assert result.stderr.startswith(f"Error: export: cannot write {path}: not a folder")


@contextmanager
def unwritable(path: Path):
    """Make `path` unwritable for this process: permission bits for a user, the immutable
    attribute for root (who writes through permission bits), restored afterwards."""
    if not AS_ROOT:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    made = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
    if made.returncode != 0 and not os.environ.get("CI"):
        pytest.skip(f"cannot make a file immutable here: {made.stderr.strip()}")
    assert made.returncode == 0, made.stderr
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_a_read_only_folder_is_one_clear_message(facts_copy):
    folder = facts_copy / "countries"
    before = snapshot(facts_copy)
    with unwritable(folder):
        result = add_event(facts_copy)
    assert result.exit_code == 5 and result.stdout == ""
    reason = "Operation not permitted" if AS_ROOT else "Permission denied"
    assert result.stderr == (f"Error: cannot write {folder / 'bet.toml'}: {reason}; "
                             "nothing was changed\n")
    assert snapshot(facts_copy) == before


def test_a_read_only_file_is_not_replaced(facts_copy):
    path = facts_copy / "countries" / "bet.toml"
    before = snapshot(facts_copy)
    with unwritable(path):
        result = add_event(facts_copy)
    assert result.exit_code == 5 and result.stdout == ""
    assert str(path) in result.stderr
    assert snapshot(facts_copy) == before


@pytest.mark.parametrize("errno_name, words", [("EPERM", "Operation not permitted"),
                                                ("EROFS", "Read-only file system"),
                                                ("EACCES", "Permission denied")])
def test_an_immutable_file_or_read_only_disk_is_one_clear_message(facts_copy, monkeypatch, errno_name, words):
    import errno

    code = getattr(errno, errno_name)

    def refuse(src, dst):  # what the kernel says for chattr +i, a read-only mount, a ACL
        raise OSError(code, os.strerror(code), src)

    monkeypatch.setattr(os, "replace", refuse)
    before = snapshot(facts_copy)
    result = add_event(facts_copy)
    path = facts_copy / "countries" / "bet.toml"
    assert result.exit_code == 5 and result.stdout == ""
    assert result.stderr == f"Error: cannot write {path}: {words}; nothing was changed\n"
    assert snapshot(facts_copy) == before  # the temporary file is gone too


def test_write_atomic_keeps_the_mode_of_a_linked_file(tmp_path):
    real = tmp_path / "real.toml"
    real.write_text("a = 1\n")
    real.chmod(0o640)
    link = tmp_path / "link.toml"
    link.symlink_to(real)
    files.write_atomic(link, "a = 2\n")
    assert real.read_text() == "a = 2\n" and link.is_symlink()
    assert real.stat().st_mode & 0o777 == 0o640


# --- Hand-made files: line endings, byte-order marks, comments, layouts --------------------


def test_a_crlf_canonical_file_stays_crlf(facts_copy):
    path = facts_copy / "countries" / "bet.toml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert add_event(facts_copy).exit_code == 0
    data = path.read_bytes()
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b'note = "A statement."\r\n' in data


def test_a_crlf_file_with_comments_keeps_every_byte(facts_copy):
    path = facts_copy / "countries" / "bet.toml"
    old = b"# Edited by hand.\r\n" + path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(old)
    assert add_event(facts_copy).exit_code == 0
    data = path.read_bytes()
    assert data.startswith(old)
    assert b"\n" not in data.replace(b"\r\n", b"")  # the appended record uses CRLF too


def test_an_lf_file_with_odd_layout_keeps_every_byte(facts_copy):
    path = facts_copy / "countries" / "bet.toml"
    old = path.read_bytes().replace(b"iso2 = ", b"iso2   =   ", 1) + b"# trailing comment, no newline"
    path.write_bytes(old)
    assert add_event(facts_copy).exit_code == 0
    assert path.read_bytes().startswith(old)


def test_a_file_whose_records_cannot_be_appended_is_refused(facts_copy):
    path = facts_copy / "sources.toml"
    old = (b"# Sources, by hand.\nsources = [\n"
           b'    { id = "src-a", publisher = "P", title = "T", url = "https://example.org/status" },\n'
           b'    { id = "src-b", publisher = "P", title = "U", url = "https://example.org/news" },\n]\n')
    path.write_bytes(old)
    result = run("add", "source", "--url", "https://example.org/x", "--publisher", "P",
                 "--title", "X", "--facts", str(facts_copy))
    assert result.exit_code == 2 and result.stdout == ""
    assert "cannot add to facts/sources.toml without rewriting it" in result.stderr
    assert "the file was not changed" in result.stderr
    assert path.read_bytes() == old


def test_a_byte_order_mark_is_named(facts_copy):
    path = facts_copy / "countries" / "bet.toml"
    old = b"\xef\xbb\xbf" + path.read_bytes()
    path.write_bytes(old)
    result = add_event(facts_copy)
    assert result.exit_code == 3
    assert ("facts/countries/bet.toml:1: file starts with a UTF-8 byte-order mark (U+FEFF), "
            "which TOML does not allow; remove it") in result.stderr
    assert "Invalid statement" not in result.stderr
    assert path.read_bytes() == old
    with pytest.raises(UsageError, match="byte-order mark"):
        edit.plan(facts_copy, "countries/bet.toml", "events",
                  {"treaty": "apmbc", "type": "statement", "date": dt.date(2026, 1, 2), "sources": ["src-a"]})


# --- Arguments that are not UTF-8 ----------------------------------------------------------


@pytest.mark.parametrize("argv, which", [
    (["status", b"Bet\xff"], "argument 2 (b'Bet\\xff')"),
    (["add", "event", "--country", "Betaland", "--treaty", "apmbc", "--type", "statement",
      "--date", "2026-01-02", "--source", "src-a", "--note", b"bad \xff byte"],
     "the value of --note (b'bad \\xff byte')"),
])
def test_an_argument_that_is_not_utf8_is_a_usage_error(facts_copy, argv, which):
    before = snapshot(facts_copy)
    result = subprocess.run([sys.executable, "-m", "landmine_cli", *argv, "--facts", str(facts_copy)],
                            capture_output=True)
    assert result.returncode == 2 and result.stdout == b""
    assert result.stderr.decode() == f"Error: {which} is not valid UTF-8 (byte 0xff); give text in UTF-8\n"
    assert snapshot(facts_copy) == before


# --- CSV cells a spreadsheet would run -----------------------------------------------------


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_neutralised(cell):
    assert export.neutralised(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Plain text", "2026-01-02", "", 42, 0, 12.5, None])
def test_other_cells_are_left_alone(cell):
    assert export.neutralised(cell) == cell


def test_export_csv_neutralises_a_formula_in_the_facts(facts_copy, tmp_path):
    result = add_event(facts_copy, note='=HYPERLINK("https://evil.example","Click")')
    assert result.exit_code == 0, result.stderr
    out = tmp_path / "csv"
    assert run("export", "--csv", str(out), "--facts", str(facts_copy)).exit_code == 0
    with open(out / "events.csv", newline="", encoding="utf-8") as handle:
        notes = [row["note"] for row in csv.DictReader(handle)]
    assert "'=HYPERLINK(\"https://evil.example\",\"Click\")" in notes
    assert not any(n.startswith(("=", "+", "-", "@")) for n in notes)
    with open(out / "funding.csv", newline="", encoding="utf-8") as handle:
        amounts = [row["amount_usd"] for row in csv.DictReader(handle)]
    assert amounts and all(a.isdigit() for a in amounts)  # numbers are written as numbers


def test_add_plan_refuses_a_duplicate_without_the_cli(facts_copy):
    record = {"treaty": "apmbc", "type": "acceded", "date": dt.date(2004, 5, 12), "sources": ["src-a"]}
    with pytest.raises(FactsError) as err:
        edit.plan(facts_copy, "countries/bet.toml", "events", record)
    [problem] = err.value.problems
    assert str(problem) == ("facts/countries/bet.toml:18: type: duplicate acceded event on 2004-05-12 "
                            "(already recorded here; nothing was added)")
