"""Every command on the frozen fixture facts: tables (golden files), JSON and errors."""

from __future__ import annotations

import json

import pytest

from landmine_cli import __version__

from conftest import command_paths
from golden import assert_golden



# --- help and version ---------------------------------------------------------------------


@pytest.mark.parametrize("command", command_paths(), ids=" ".join)
def test_every_command_has_help_with_an_example(real_cli, command):
    result = real_cli(*command, "--help")
    assert result.exit_code == 0
    assert f"Example: landmine {' '.join(command)}" in result.stdout
    assert "--json" in result.stdout


def test_the_registry_walk_finds_subcommands():
    # The list above comes from the app; this guards the walk itself.
    assert {("status",), ("add", "event"), ("add", "funding-event"), ("cache", "clear")} <= set(command_paths())


def test_no_arguments_prints_help(cli):
    result = cli.runner.invoke(__import__("landmine_cli.cli").cli.app, [])
    assert "status" in result.stdout and "withdrawals" in result.stdout


def test_version_names_the_facts_date(cli, monkeypatch):
    monkeypatch.setenv("LANDMINE_FACTS", str(cli.facts))
    result = cli("--version")
    assert (result.exit_code, result.stdout) == (0, f"landmine {__version__} (facts as of 2026-06-30)\n")


# --- status -------------------------------------------------------------------------------


def test_status_table(cli):
    result = cli("status", "Betaland")
    assert result.exit_code == 0
    assert_golden("status-betaland", result.stdout)


def test_status_json_contract(cli):
    doc = cli.json("status", "bêta")
    assert doc["country"] == {"name": "Betaland", "iso2": "BT", "iso3": "BET"}
    assert (doc["as_of"], doc["facts_as_of"]) == ("2026-06-30", "2026-06-30")
    apmbc, ccm = doc["treaties"]
    assert (apmbc["treaty"], apmbc["status"], apmbc["since"]) == ("apmbc", "withdrawn", "2025-12-27")
    assert [e["type"] for e in apmbc["events"]] == [
        "acceded",
        "entered_into_force",
        "withdrawal_announced",
        "withdrawal_approved",
        "withdrawal_deposited",
        "withdrawal_effective",
    ]
    assert apmbc["events"][2] == {
        "type": "withdrawal_announced",
        "date": "2025-03-18",
        "note": "The government announced it would leave.",
        "unverified": None,
        "counterpart": None,
        "sources": ["src-b"],
    }
    assert apmbc["withdrawal"]["stage"] == "effective"
    assert apmbc["withdrawal"]["effective"] == "2025-12-27"
    assert apmbc["suspension"] is None
    assert apmbc["reasons"] == [
        {"date": "2025-03-18", "summary": "The security situation worsened.", "sources": ["src-b"]}
    ]
    assert [s["id"] for s in apmbc["sources"]] == ["src-a", "src-b"]
    assert apmbc["sources"][0] == {
        "id": "src-a",
        "publisher": "Example Depositary",
        "title": "Status of treaties",
        "url": "https://example.org/status",
        "published": "2026-01-01",
    }
    assert (ccm["status"], ccm["events"], ccm["withdrawal"]) == ("not_joined", [], None)


def test_status_on_a_past_date(cli):
    doc = cli.json("status", "BET", "--on", "2025-12-26")
    apmbc = doc["treaties"][0]
    assert (apmbc["status"], apmbc["next_status"], apmbc["next_date"]) == (
        "withdrawing",
        "withdrawn",
        "2025-12-27",
    )
    assert apmbc["withdrawal"]["effective"] is None
    assert apmbc["withdrawal"]["effective_expected"] == "2025-12-27"
    assert apmbc["events"][-1]["type"] == "withdrawal_deposited"


@pytest.mark.parametrize(
    ("on", "status"),
    [
        ("2025-12-26", "withdrawing"),
        ("2025-12-27", "withdrawn"),  # --on DATE answers as of the end of that day
        ("2025-12", "withdrawn"),  # and a month means its last day
        ("2025-11", "withdrawing"),
        ("2025", "withdrawn"),
        ("2024", "party"),
    ],
)
def test_on_a_day_a_month_or_a_year_means_its_end(cli, on, status):
    assert cli.json("status", "BET", "--on", on)["treaties"][0]["status"] == status


def test_status_of_an_unresearched_state_is_unknown(cli):
    doc = cli.json("status", "Etaland")
    assert [t["status"] for t in doc["treaties"]] == ["unknown", "unknown"]


def test_status_of_a_suspension_keeps_the_state_a_party(cli):
    doc = cli.json("status", "Thetaland")
    apmbc = doc["treaties"][0]
    assert apmbc["status"] == "party"
    assert apmbc["withdrawal"] is None
    assert apmbc["suspension"]["stage"] == "notified"
    assert apmbc["suspension"]["deposited"] == "2025-07-18"
    assert "not a withdrawal" in apmbc["suspension"]["effective_note"]


def test_unknown_country_exits_2_with_suggestions(cli):
    result = cli("status", "Betalnd")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "Error: no country matches 'Betalnd'\nDid you mean: Betaland, Etaland, Zetaland?\n"
    )


# --- withdrawals --------------------------------------------------------------------------


def test_withdrawals_table(cli):
    result = cli("withdrawals")
    assert result.exit_code == 0
    assert_golden("withdrawals", result.stdout)


def test_withdrawals_json(cli):
    rows = cli.json("withdrawals")
    assert [(r["iso3"], r["kind"], r["stage"]) for r in rows] == [
        ("BET", "withdrawal", "effective"),
        ("THE", "suspension", "notified"),
        ("DEL", "withdrawal", "deposited"),
        ("GAM", "withdrawal", "deposited"),
    ]
    gamma = rows[3]
    assert set(gamma) == {
        "country", "iso3", "treaty", "kind", "stage", "announced", "approved", "deposited",
        "effective", "effective_expected", "effective_note", "reasons", "sources", "as_of",
        "facts_as_of",
    }
    assert (gamma["deposited"], gamma["effective"], gamma["effective_expected"]) == (
        "2026-03-10",
        None,
        "2026-09-10",
    )
    assert gamma["effective_note"].startswith("takes effect on 2026-09-10, six months after")
    assert [s["id"] for s in gamma["sources"]] == ["src-b"]


def test_armed_conflict_keeps_a_withdrawal_pending(cli):
    [delta] = [r for r in cli.json("withdrawals", "--on", "2027-01-01") if r["iso3"] == "DEL"]
    assert (delta["stage"], delta["effective"], delta["effective_expected"]) == ("deposited", None, None)
    assert "armed conflict" in delta["effective_note"]
    assert "2026-04-01" in delta["effective_note"]


@pytest.mark.parametrize(
    ("since", "expected"),
    [
        ("2025", ["BET", "THE", "DEL", "GAM"]),
        ("2025-12", ["BET", "GAM"]),
        ("2025-12-27", ["BET", "GAM"]),  # a stage on the day itself counts
        ("2025-12-28", ["GAM"]),
        ("2026-03-10", ["GAM"]),
        ("2026-03-11", []),
        ("2026-04", []),
    ],
)
def test_withdrawals_since_any_stage(cli, since, expected):
    assert [r["iso3"] for r in cli.json("withdrawals", "--since", since)] == expected


def test_no_withdrawals_is_success_with_a_notice(cli):
    result = cli("withdrawals", "--since", "2026-04")
    assert result.exit_code == 0
    assert result.stdout.startswith("No withdrawal or suspension matched.")


def test_withdrawals_by_treaty_alias(cli):
    assert cli.json("withdrawals", "--treaty", "cluster") == []
    assert len(cli.json("withdrawals", "-t", "OTTAWA")) == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["withdrawals", "--since", "2025-13"], "Error: --since: '2025-13' is not a calendar date\n"),
        (["withdrawals", "--since", "soon"], "Error: --since: 'soon' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD (or today)\n"),
        (["withdrawals", "--treaty", "nuclear"], "Error: no treaty matches 'nuclear' (known: apmbc, ccm)\n"),
        (["status", "BET", "--on", "2025-02-30"], "Error: --on: '2025-02-30' is not a calendar date\n"),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_2(cli, args, message):
    result = cli(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)


# --- non-members --------------------------------------------------------------------------


def test_non_members_table(cli):
    result = cli("non-members")
    assert result.exit_code == 0
    assert_golden("non-members", result.stdout)


def test_non_members_json_groups(cli):
    rows = cli.json("non-members", "--treaty", "apmbc")
    assert [(r["iso3"], r["status"], r["since"], r["still_party"]) for r in rows] == [
        ("ZET", "not_joined", None, False),
        ("EPS", "signatory", "1997-12-04", False),
        ("BET", "withdrawn", "2025-12-27", False),
        ("DEL", "withdrawing", "2025-10-01", True),
        ("GAM", "withdrawing", "2026-03-10", True),
    ]
    assert all(set(r) >= {"country", "iso3", "treaty", "status", "since"} for r in rows)


def test_non_members_on_a_date_before_a_withdrawal(cli):
    rows = cli.json("non-members", "--treaty", "apmbc", "--on", "2025-06-26")
    assert [r["iso3"] for r in rows] == ["ZET", "EPS"]


# --- treaties -----------------------------------------------------------------------------


def test_treaties_table(cli):
    result = cli("treaties")
    assert result.exit_code == 0
    assert_golden("treaties", result.stdout)


def test_treaties_json_counts(cli):
    apmbc, ccm = cli.json("treaties")
    assert apmbc["aliases"] == ["ottawa", "mine-ban", "mbt"]
    assert (apmbc["entered_into_force"], apmbc["states_parties"], apmbc["withdrawn"]) == ("1999-03-01", 4, 1)
    assert (ccm["states_parties"], ccm["joining"], ccm["signatories"], ccm["unknown"]) == (0, 1, 1, 2)
    assert cli.json("treaties", "--on", "2026-08-01")[1]["states_parties"] == 1


# --- funding ------------------------------------------------------------------------------


def test_funding_table(cli):
    result = cli("funding")
    assert result.exit_code == 0
    assert_golden("funding", result.stdout)


def test_funding_json(cli):
    doc = cli.json("funding", "--donor", "Republic of Alpha")
    assert doc["donor"] == "ALP"
    assert [
        (c["year"], c["amount_usd"], c["change_usd"], c["change_pct"], c["share_pct"], c["share_basis"])
        for c in doc["contributions"]
    ] == [
        (2023, 400, None, None, 40.0, "computed"),
        (2024, 300, -100, -25.0, 37.5, "computed"),
        (2025, 100, -200, -66.7, 20.0, "stated"),
    ]
    assert [e["type"] for e in doc["events"]] == ["freeze"]
    assert [s["id"] for s in doc["sources"]] == ["src-a", "src-b"]


def test_funding_since_year(cli):
    doc = cli.json("funding", "--since", "2025")
    assert [c["year"] for c in doc["contributions"]] == [2025]
    assert [e["date"] for e in doc["events"]] == ["2025-01-20", "2025-12-01"]
    assert doc["totals"] == []


def test_unknown_donor_is_a_usage_error(cli):
    result = cli("funding", "--donor", "Atlantis")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: no donor matches 'Atlantis'")


# --- the facts folder ---------------------------------------------------------------------


def test_broken_facts_exit_3_with_located_problems(cli, facts_copy):
    (facts_copy / "countries" / "zet.toml").write_text("[country\n")
    result = cli.runner.invoke(
        __import__("landmine_cli.cli").cli.app, ["treaties", "--facts", str(facts_copy)]
    )
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr.startswith("facts/countries/zet.toml:1: TOML syntax error")
    assert result.stderr.endswith("Error: the fact base has 1 problem\n")


def test_facts_from_the_environment(cli, monkeypatch, facts_copy):
    # Betaland is in the fixture only, and the copy lacks Zetaland: both answers prove that the
    # folder named by the variable was read (the shipped facts know neither state).
    (facts_copy / "countries" / "zet.toml").unlink()
    monkeypatch.setenv("LANDMINE_FACTS", str(facts_copy))
    found = cli.runner.invoke(__import__("landmine_cli.cli").cli.app, ["status", "Betaland", "--json"])
    assert found.exit_code == 0, found.stderr
    assert json.loads(found.stdout)["country"]["iso3"] == "BET"
    missing = cli.runner.invoke(__import__("landmine_cli.cli").cli.app, ["status", "Zetaland"])
    assert missing.exit_code == 2
    assert missing.stderr.startswith("Error: no country matches 'Zetaland'")
