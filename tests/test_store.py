"""Loading a facts folder: where it is found, and how bad data is reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from landmine_cli import store
from landmine_cli.errors import FactsError, UsageError


def problems_of(root: Path) -> list[str]:
    with pytest.raises(FactsError) as err:
        store.load(root)
    assert err.value.exit_code == 3
    return [str(p) for p in err.value.problems]


def test_the_fixture_loads(fixture_base):
    assert sorted(fixture_base.countries) == ["ALP", "BET", "DEL", "EPS", "ETA", "GAM", "THE", "ZET"]
    assert [e.type for e in fixture_base.events["BET"]][-1] == "withdrawal_effective"


def test_option_beats_environment_beats_package(monkeypatch, tmp_path):
    monkeypatch.setenv(store.ENV_VAR, str(tmp_path))
    assert store.facts_dir("elsewhere") == Path("elsewhere")
    assert store.facts_dir() == tmp_path
    monkeypatch.delenv(store.ENV_VAR)
    assert (store.facts_dir() / "meta.toml").is_file()


def test_missing_folder_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="does not exist"):
        store.load(tmp_path / "nope")


def test_a_file_instead_of_a_folder_is_a_usage_error(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError, match="not a folder"):
        store.load(tmp_path / "file")


def test_empty_folder_lists_the_required_files(tmp_path):
    assert problems_of(tmp_path) == [
        f"{tmp_path}/meta.toml: required file is missing",
        f"{tmp_path}/treaties.toml: required file is missing",
        f"{tmp_path}/sources.toml: required file is missing",
        f"{tmp_path}/funding.toml: required file is missing",
    ]


def test_toml_syntax_error_names_file_and_line(facts_copy):
    path = facts_copy / "countries" / "zet.toml"
    path.write_text(path.read_text() + "\n[[events]\n")
    [problem] = problems_of(facts_copy)
    assert problem.startswith("facts/countries/zet.toml:")
    assert "TOML syntax error" in problem


def test_unknown_key_and_wrong_type_are_located(facts_copy):
    path = facts_copy / "countries" / "bet.toml"
    text = path.read_text().replace('type = "acceded"', 'type = "acceded"\nbogus = 1', 1)
    text = text.replace("date = 2004-11-01", 'date = "soon"', 1)
    path.write_text(text)
    found = problems_of(facts_copy)
    lines = text.splitlines()
    bogus = lines.index("bogus = 1") + 1
    soon = lines.index('date = "soon"') + 1
    assert f"facts/countries/bet.toml:{bogus}: bogus: unknown key" in found
    assert any(p.startswith(f"facts/countries/bet.toml:{soon}: date: ") for p in found)


def test_every_problem_is_reported_not_only_the_first(facts_copy):
    for name in ("alp", "zet"):
        path = facts_copy / "countries" / f"{name}.toml"
        path.write_text(path.read_text().replace('"src-a"', '"missing-source"'))
    found = problems_of(facts_copy)
    assert {p.split(":")[0] for p in found} == {"facts/countries/alp.toml", "facts/countries/zet.toml"}
    assert all("unknown source 'missing-source'" in p for p in found)


def test_non_utf8_file_is_reported(facts_copy):
    (facts_copy / "countries" / "zet.toml").write_bytes(b'[country]\nname = "Z\xe9"\n')
    assert problems_of(facts_copy) == ["facts/countries/zet.toml:2: file is not valid UTF-8"]


def test_entry_into_force_against_article_17_is_reported(facts_copy):
    path = facts_copy / "countries" / "bet.toml"
    path.write_text(path.read_text().replace("date = 2004-11-01", "date = 2004-12-01"))
    problem, deadline = problems_of(facts_copy)
    assert "contradicts Art. 17: deposit on 2004-05-12 gives 2004-11-01" in problem
    # The obligation's deadline is checked against the recorded entry into force too.
    assert "contradicts Art. 5: entry into force on 2004-12-01 gives 2014-12-01" in deadline
