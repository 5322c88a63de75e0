"""The fact cache is never stale: changes, additions and deletions are seen at once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from landmine_cli import cache, store
from landmine_cli.cli import app


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV_DIR, str(folder))
    return folder


def status(facts: Path, country: str = "Betaland", *extra: str) -> dict:
    result = CliRunner().invoke(app, ["status", country, "--json", "--facts", str(facts), *extra])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_a_warm_run_reads_only_the_cache(facts_copy, cache_dir, monkeypatch):
    status(facts_copy)
    assert len(list(cache_dir.glob("facts-*.json"))) == 1
    monkeypatch.setattr(store, "check", lambda *a, **k: pytest.fail("the fact files were read"))
    assert status(facts_copy)["country"]["iso3"] == "BET"


def test_a_modified_file_is_seen(facts_copy, cache_dir):
    assert status(facts_copy)["country"]["name"] == "Betaland"
    path = facts_copy / "countries" / "bet.toml"
    path.write_text(path.read_text().replace('name = "Betaland"', 'name = "Betaland Republic"'))
    assert status(facts_copy, "BET")["country"]["name"] == "Betaland Republic"


def test_an_added_file_is_seen(facts_copy, cache_dir):
    status(facts_copy)
    (facts_copy / "countries" / "iot.toml").write_text(
        '[country]\niso3 = "IOT"\niso2 = "IO"\nname = "Iotaland"\ncomplete_for = []\n'
        'sources = [\n    "src-a",\n]\n'
    )
    assert status(facts_copy, "Iotaland")["country"]["iso3"] == "IOT"


def test_a_deleted_file_is_seen(facts_copy, cache_dir):
    status(facts_copy, "Zetaland")
    (facts_copy / "countries" / "zet.toml").unlink()
    result = CliRunner().invoke(app, ["status", "Zetaland", "--facts", str(facts_copy)])
    assert result.exit_code == 2


def test_a_corrupt_cache_is_ignored_and_rebuilt(facts_copy, cache_dir):
    status(facts_copy)
    [cached] = cache_dir.glob("facts-*.json")
    key = cached.read_bytes().split(b"\n", 1)[0]
    cached.write_bytes(key + b"\nnot a pickle at all")
    assert status(facts_copy)["country"]["iso3"] == "BET"
    assert cached.read_bytes() != key + b"\nnot a pickle at all"


def test_an_unwritable_cache_location_falls_back_to_no_cache(facts_copy, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv(cache.ENV_DIR, str(blocker / "cache"))  # cannot be created
    assert status(facts_copy)["country"]["iso3"] == "BET"
    assert status(facts_copy)["country"]["iso3"] == "BET"


def test_no_cache_reads_the_files_and_writes_no_cache(facts_copy, cache_dir, monkeypatch):
    calls = []
    real_check = store.check
    monkeypatch.setattr(store, "check", lambda *a, **k: calls.append(1) or real_check(*a, **k))
    status(facts_copy, "BET", "--no-cache")
    status(facts_copy, "BET", "--no-cache")
    assert len(calls) == 2
    assert not cache_dir.exists()


def test_cache_clear(facts_copy, cache_dir):
    status(facts_copy)
    result = CliRunner().invoke(app, ["cache", "clear", "--json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["directory"] == str(cache_dir) and len(doc["removed"]) == 1
    assert list(cache_dir.glob("facts-*.json")) == []
    result = CliRunner().invoke(app, ["cache", "clear"])
    assert result.stdout == f"Removed 0 cache files from {cache_dir}.\n"


def test_invalid_facts_are_never_cached(facts_copy, cache_dir):
    (facts_copy / "countries" / "zet.toml").write_text("[country\n")
    result = CliRunner().invoke(app, ["treaties", "--facts", str(facts_copy)])
    assert result.exit_code == 3
    assert not list(cache_dir.glob("facts-*.json"))


def test_records_of_another_shape_never_come_from_the_cache(facts_copy, cache_dir, monkeypatch):
    status(facts_copy)
    monkeypatch.setattr(cache, "_SHAPE", cache._SHAPE + ",Event(extra)")
    calls = []
    real_check = store.check
    monkeypatch.setattr(store, "check", lambda *a, **k: calls.append(1) or real_check(*a, **k))
    status(facts_copy)
    assert calls == [1]
