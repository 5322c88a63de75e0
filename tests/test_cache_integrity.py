"""The cache is data, checked on every read: corrupt, planted or misshapen files are rebuilt,
never executed and never served; its folder is private; in-place edits are seen."""

from __future__ import annotations

import json
import os
import pickle
import random
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from landmine_cli import cache, models, store
from landmine_cli.cli import app


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV_DIR, str(folder))
    return folder


def status(facts: Path, country: str = "Betaland") -> dict:
    result = CliRunner().invoke(app, ["status", country, "--json", "--facts", str(facts)])
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout)


def built(facts: Path) -> tuple[Path, bytes, models.FactBase]:
    """Fill the cache for `facts`; the cache file, its key and the true fact base."""
    truth, problems = store.check(facts)
    assert not problems
    key = cache.fingerprint(facts)
    cache.write(facts, key, truth)
    [path] = cache.cache_dir().glob("facts-*.json")
    return path, key, truth


def assert_correct_or_none(facts: Path, key: bytes, truth: models.FactBase) -> None:
    whole = cache.read(facts, key)
    assert whole is None or whole == truth
    one = cache.read_state(facts, key, "betaland")
    assert one is None or (one[1] == "BET" and one[0].countries == {"BET": truth.countries["BET"]}
                           and one[0].events["BET"] == truth.events["BET"])


def test_every_record_field_has_a_checked_decoder():
    records = {cls for cls in vars(models).values()
               if isinstance(cls, type) and hasattr(cls, "_fields")
               and not cls.__name__.endswith("File")
               and cls not in (models.FactBase, models.StateKind)}
    assert set(cache._FIELD_KINDS) == records
    for cls, kinds in cache._FIELD_KINDS.items():
        assert len(kinds.split()) == len(cls._fields), cls
        assert set(kinds.split()) <= set(cache._KINDS), cls


def test_the_cache_gives_back_exactly_the_fact_base(facts_copy, cache_dir):
    path, key, truth = built(facts_copy)
    assert cache.read(facts_copy, key) == truth
    base, iso3 = cache.read_state(facts_copy, key, "betaland")
    assert iso3 == "BET" and base.events["BET"] == truth.events["BET"]
    # Records are stored under their field names, which are checked on the way back.
    assert b'"fields":["iso3","iso2","name","complete_for","sources","aliases","note","statehood","statehood_sources","part_of","part_of_name"]' in path.read_bytes()


def test_the_real_fact_base_round_trips(cache_dir):
    real = Path(__file__).parent.parent / "facts"
    truth, _ = store.check(real)
    key = cache.fingerprint(real)
    cache.write(real, key, truth)
    assert cache.read(real, key) == truth


def test_a_planted_pickle_is_never_run(facts_copy, cache_dir, tmp_path):
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    path, _, _ = built(facts_copy)
    path.write_bytes(pickle.dumps(Payload()))
    path.with_suffix(".pickle").write_bytes(pickle.dumps(Payload()))  # the old name too
    assert status(facts_copy)["country"]["iso3"] == "BET"
    assert not marker.exists()
    assert path.read_bytes().startswith(cache.MAGIC)  # rebuilt


def test_a_same_length_change_is_caught(facts_copy, cache_dir):
    path, key, truth = built(facts_copy)
    data = path.read_bytes()
    assert data.count(b'"2004-05-12"') == 2  # in the state's blob and in the all-states blob
    path.write_bytes(data.replace(b'"2004-05-12"', b'"2004-05-13"'))
    assert cache.read(facts_copy, key) is None
    assert cache.read_state(facts_copy, key, "betaland") is None
    assert status(facts_copy)["treaties"][0]["events"][0]["date"] == "2004-05-12"


def rewrite(path: Path, change, late=lambda head: None) -> None:
    """Re-write the cache file with `change(head, blobs, funding)` applied and every digest
    right, as a deliberate forger would: only the shape checks stand in the way. `change`
    runs on the per-state blobs and again on the all-states blob (seen as one state, "BET",
    whose tables hold every state's rows), so both kinds of read meet the damage."""
    data = path.read_bytes()
    magic, line, rest = data.split(b"\n", 2)
    key_size, head_size, _ = line.split(b" ")
    key, rest = rest[: int(key_size)], rest[int(key_size):]
    head = json.loads(rest[: int(head_size)])
    body = rest[int(head_size):]

    def part(span):
        o, n, _ = span
        return json.loads(body[o: o + n])

    blobs = {iso3: part(span) for iso3, span in head["states"].items()}
    everything, funding, figures = part(head["all"]), part(head["funding"]), part(head["figures"])
    change(head, blobs, funding)
    seen_as_one = {"country": everything["countries"]} | {
        kind.name: everything[kind.name]["table"] for kind in models.STATE_KINDS}
    change(head, {"BET": seen_as_one}, funding)
    out, offset = [], 0

    def put(value):
        nonlocal offset
        raw = json.dumps(value).encode()
        out.append(raw)
        offset += len(raw)
        return [offset - len(raw), len(raw), cache._digest(raw)]

    for iso3 in list(blobs):
        head["states"][iso3] = put(blobs[iso3])
    head["all"], head["funding"], head["figures"] = put(everything), put(funding), put(figures)
    late(head)
    head_raw = json.dumps(head).encode()
    path.write_bytes(magic + b"\n" + b"%d %d %s\n" % (len(key), len(head_raw), cache._digest(head_raw).encode())
                     + key + head_raw + b"".join(out))


def _set(target, key, value):
    target[key] = value


def _field(table, name, value, row=0):
    """Set one field of one stored record (tables are {"fields": [...], "rows": [[...]]})."""
    table["rows"][row][table["fields"].index(name)] = value


def _drop(table, name):
    i = table["fields"].index(name)
    del table["fields"][i]
    for row in table["rows"]:
        del row[i]


def _extra(table, name, value):
    table["fields"].append(name)
    for row in table["rows"]:
        row.append(value)


SHAPES = {
    "head is a list": lambda h, b, f: h.clear(),
    "meta is a list": lambda h, b, f: _set(h, "meta", []),
    "a date is a number": lambda h, b, f: _field(b["BET"]["events"], "date", 20040512),
    "a date is not a date": lambda h, b, f: _field(b["BET"]["events"], "date", "yesterday"),
    "an unknown event type": lambda h, b, f: _field(b["BET"]["events"], "type", "invaded"),
    "an extra field": lambda h, b, f: _extra(b["BET"]["country"], "capital", "Beta City"),
    "a missing field": lambda h, b, f: _drop(b["BET"]["country"], "iso2"),
    "fields renamed": lambda h, b, f: _set(b["BET"]["events"], "fields", list("abcdefg")),
    "a short row": lambda h, b, f: b["BET"]["events"]["rows"][0].pop(),
    "sources are a string": lambda h, b, f: _field(b["BET"]["events"], "sources", "src-a"),
    "a source id is a number": lambda h, b, f: _field(b["BET"]["events"], "sources", [1]),
    "an amount is text": lambda h, b, f: _field(f["contributions"], "amount_usd", "400"),
    "a boolean is a number": lambda h, b, f: _field(h["treaties"], "withdrawal_waits_for_armed_conflict", 1),
    "a name points nowhere": lambda h, b, f: _set(h["names"], "nowhere", "ZZZ"),
    "a state under another code": lambda h, b, f: _field(b["BET"]["country"], "iso3", "ZZZ"),
    "two countries in one": lambda h, b, f: b["BET"]["country"]["rows"].append(b["BET"]["country"]["rows"][0]),
}
LATE = {
    "a span is not a span": lambda h: _set(h, "funding", "everything"),
    "a span runs past the end": lambda h: _set(h["states"], "BET", [10**6, 10, h["states"]["BET"][2]]),
    "the all-states span runs past the end": lambda h: _set(h, "all", [10**6, 10, h["all"][2]]),
}
# Damage that only one-state reads meet: a full read does not use that span.
ONE_STATE_ONLY = ("a span runs past the end",)


@pytest.mark.parametrize("name", sorted(SHAPES) + sorted(LATE))
def test_valid_json_of_the_wrong_shape_is_rebuilt(facts_copy, cache_dir, name):
    path, key, truth = built(facts_copy)
    if name in LATE:
        rewrite(path, lambda h, b, f: None, LATE[name])
    elif name == "head is a list":
        rewrite(path, lambda h, b, f: None)
        data = path.read_bytes()
        magic, line, rest = data.split(b"\n", 2)
        head = b"[1, 2, 3]"
        path.write_bytes(magic + b"\n" + b"%d %d %s\n" % (len(key), len(head), cache._digest(head).encode()) + key + head)
    else:
        rewrite(path, SHAPES[name])
    assert_correct_or_none(facts_copy, key, truth)
    if name not in ONE_STATE_ONLY:
        assert cache.read(facts_copy, key) is None
    if name == "a name points nowhere":  # a one-state read meets it when it asks that name
        assert cache.read_state(facts_copy, key, "nowhere") is None
    assert status(facts_copy)["country"]["iso3"] == "BET"  # right, from the cache or the files
    result = CliRunner().invoke(app, ["treaties", "--json", "--facts", str(facts_copy)])
    assert result.exit_code == 0 and "Traceback" not in result.stderr
    assert cache.read(facts_copy, key) == truth  # rebuilt


def test_fuzz_flipped_inserted_and_cut_bytes(facts_copy, cache_dir):
    path, key, truth = built(facts_copy)
    original = path.read_bytes()
    rng = random.Random(15)
    for _ in range(300):
        data = bytearray(original)
        kind = rng.choice(["flip", "insert", "delete", "truncate", "zero"])
        at = rng.randrange(len(data))
        if kind == "flip":
            data[at] ^= 1 << rng.randrange(8)
        elif kind == "insert":
            data.insert(at, rng.randrange(256))
        elif kind == "delete":
            del data[at]
        elif kind == "truncate":
            del data[at:]
        else:
            data[at: at + 16] = bytes(len(data[at: at + 16]))
        path.write_bytes(bytes(data))
        assert_correct_or_none(facts_copy, key, truth)
    path.write_bytes(b"\x00" * 64)
    assert status(facts_copy)["country"]["iso3"] == "BET"


def test_a_pipe_or_link_in_place_of_the_cache_is_not_followed(facts_copy, cache_dir, tmp_path):
    path, key, truth = built(facts_copy)
    path.unlink()
    os.mkfifo(path)
    assert cache.read(facts_copy, key) is None  # no hang on the pipe
    path.unlink()
    elsewhere = tmp_path / "elsewhere.json"
    cache.write(facts_copy, key, truth)
    path.rename(elsewhere)
    path.symlink_to(elsewhere)
    assert cache.read(facts_copy, key) is None


def test_the_cache_folder_is_owner_only(facts_copy, tmp_path, monkeypatch):
    folder = tmp_path / "a" / "b" / "landmine"
    monkeypatch.setenv(cache.ENV_DIR, str(folder))
    old = os.umask(0o022)
    try:
        status(facts_copy)
    finally:
        os.umask(old)
    for path in (folder, folder.parent, folder.parent.parent):
        assert stat.S_IMODE(path.stat().st_mode) == 0o700, path
    [cached] = folder.glob("facts-*.json")
    assert stat.S_IMODE(cached.stat().st_mode) == 0o600


def test_a_relative_xdg_cache_home_is_ignored(tmp_path, monkeypatch):
    monkeypatch.delenv(cache.ENV_DIR)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert cache.cache_dir() == tmp_path / ".cache" / "landmine"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "landmine"


def test_an_edit_that_keeps_size_and_modification_time_is_seen(facts_copy, cache_dir):
    assert status(facts_copy)["country"]["name"] == "Betaland"
    path = facts_copy / "countries" / "bet.toml"
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    with open(path, "r+", encoding="utf-8") as handle:  # in place: same inode
        handle.write(text.replace('name = "Betaland"', 'name = "Betalanx"'))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
    assert status(facts_copy, "BET")["country"]["name"] == "Betalanx"


def test_a_warm_run_imports_no_pickle_no_pydantic_and_no_toml_reader(facts_copy, cache_dir):
    code = ("import sys; from landmine_cli.cli import app; "
            "sys.argv = ['landmine', 'status', 'BET', '--json', '--facts', sys.argv[1]]\n"
            "try: app()\nexcept SystemExit: pass\n"
            "print(sorted(m for m in ('pickle', 'pydantic', 'tomli', 'tomllib') if m in sys.modules))")
    env = dict(os.environ, **{cache.ENV_DIR: str(cache_dir)})
    run = lambda: subprocess.run([sys.executable, "-c", code, str(facts_copy)], env=env,  # noqa: E731
                                 capture_output=True, text=True, check=True).stdout.splitlines()[-1]
    run()
    assert run() == "[]"


def test_a_damaged_state_part_is_rebuilt_not_served_around(facts_copy, cache_dir):
    """A full read does not read the per-state parts, so a damaged one must not survive:
    the one-state read that meets it drops the file, and the next load rewrites it."""
    path, key, truth = built(facts_copy)
    data = path.read_bytes()
    magic, line, rest = data.split(b"\n", 2)
    key_size, head_size, _ = line.split(b" ")
    head = json.loads(rest[int(key_size): int(key_size) + int(head_size)])
    offset, _, _ = head["states"]["BET"]
    at = len(magic) + 1 + len(line) + 1 + int(key_size) + int(head_size) + offset + 5
    path.write_bytes(data[:at] + bytes([data[at] ^ 1]) + data[at + 1:])
    assert status(facts_copy)["country"]["iso3"] == "BET"  # right, from the files
    assert cache.read_state(facts_copy, key, "betaland") is not None  # and the cache is whole again
