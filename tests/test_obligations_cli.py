"""`landmine obligations`, and obligations in status, changes and timeline: the fixture
facts for behaviour (a withdrawal ending an obligation, a suspension that does not, a
request of unknown outcome), the real facts for truth (Bosnia and Herzegovina's Art. 5
deadline asked before and after each extension; Belarus's missed Art. 4 deadline)."""

from __future__ import annotations

import pytest

from golden import assert_golden


def test_fixture_table(cli):
    result = cli("obligations")
    assert result.exit_code == 0
    assert_golden("obligations", result.stdout)


@pytest.mark.parametrize(
    ("day", "status", "countdown"),
    [
        ("2025-12-26", "due", "in 1406 days"),
        ("2025-12-27", "ended_by_withdrawal", "obligation ended: withdrawal effective 2025-12-27"),
        ("2025-12-28", "ended_by_withdrawal", "obligation ended: withdrawal effective 2025-12-27"),
    ],
)
def test_a_withdrawal_ends_the_obligation_on_its_effective_date(cli, day, status, countdown):
    [row] = cli.json("obligations", "Betaland", "--on", day)
    assert (row["status"], row["countdown"], row["current_deadline"]) == (status, countdown, "2029-11-01")


def test_a_suspension_leaves_the_obligation_standing(cli):
    rows = cli.json("obligations", "Thetaland")
    assert [r["status"] for r in rows] == ["unknown_after_deadline", "overdue"]
    assert all(r["remark"].startswith("suspension notified on 2025-07-18: not a withdrawal") for r in rows)
    assert rows[0]["countdown"] == "passed 2010-06-01, later decisions not found"
    # A request whose outcome is unknown is counted, never taken as a deadline.
    assert (rows[1]["requests_pending"], rows[1]["current_deadline"]) == (1, "2016-06-01")


def test_overdue_lists_only_the_known_overdue(cli):
    assert [(r["iso3"], r["article"]) for r in cli.json("obligations", "--overdue")] == [("THE", "Art. 5")]
    assert cli.json("obligations", "--overdue", "--treaty", "ccm") == []


def test_the_json_keys(cli):
    [row] = cli.json("obligations", "Betaland", "--on", "2020-01-01")
    assert list(row) == [
        "country", "iso3", "treaty", "article", "duty", "original_deadline", "current_deadline",
        "extensions", "requests_pending", "status", "days_left", "days_overdue", "countdown",
        "completed", "researched_to", "ended", "remark", "note", "sources", "as_of", "facts_as_of"]
    assert (row["extensions"], row["days_left"]) == (2, 3592)
    assert [s["id"] for s in row["sources"]] == ["src-a", "src-b"]


def test_status_shows_the_obligations_under_each_treaty(cli):
    doc = cli.json("status", "Betaland")
    [apmbc] = [t for t in doc["treaties"] if t["treaty"] == "apmbc"]
    [ob] = apmbc["obligations"]
    assert (ob["article"], ob["status"], ob["ended"], ob["sources"]) == (
        "Art. 5", "ended_by_withdrawal", "2025-12-27", ["src-a", "src-b"])


def test_changes_and_timeline_list_extensions_granted(cli):
    rows = cli.json("changes", "--from", "2014-06-27", "--to", "2019-11-29")
    assert [(r["date"], r["iso3"], r["change"]) for r in rows if r["change"] == "extension_granted"] == [
        ("2014-06-27", "BET", "extension_granted"), ("2019-11-29", "BET", "extension_granted")]
    timeline = cli.json("timeline", "Betaland")
    assert [r["note"] for r in timeline if r["type"] == "extension_granted"] == [
        "Art. 5 deadline extended by the 13MSP to 2019-11-01", "Art. 5 deadline extended by the 4RC to 2029-11-01"]


def test_an_unknown_country_is_a_usage_error(cli):
    result = cli("obligations", "Nowhereland")
    assert result.exit_code == 2 and result.stdout == "" and "Error:" in result.stderr


# --- real facts ---------------------------------------------------------------------------

# Bosnia and Herzegovina, APMBC Art. 5: 2009-03-01, extended at the 9MSP (closing day
# 2008-11-28) to 2019-03-01, at the 17MSP (2018-11-30) to 2021-03-01, at the 18MSP
# (2020-11-20) to 2027-03-01.
@pytest.mark.parametrize(
    ("day", "current", "count"),
    [
        ("2008-11-27", "2009-03-01", 0), ("2008-11-28", "2019-03-01", 1),
        ("2018-11-29", "2019-03-01", 1), ("2018-11-30", "2021-03-01", 2),
        ("2020-11-19", "2021-03-01", 2), ("2020-11-20", "2027-03-01", 3),
    ],
)
def test_bosnia_article_5_before_and_after_each_extension(real_cli, day, current, count):
    [row] = [r for r in real_cli.json("obligations", "BIH", "--treaty", "apmbc", "--on", day)
             if r["article"] == "Art. 5"]
    assert (row["current_deadline"], row["extensions"], row["status"]) == (current, count, "due")


def test_bosnia_golden(real_cli):
    text = "".join(real_cli("obligations", "BIH", "--treaty", "apmbc", "--on", day).stdout
                   for day in ("2008-11-27", "2008-11-28", "2018-11-30", "2020-11-20"))
    assert_golden("obligations-bih", text)


@pytest.mark.parametrize(
    ("day", "status", "countdown"),
    [
        ("2008-02-29", "due", "tomorrow"),
        ("2008-03-01", "due", "today"),
        ("2008-03-02", "overdue", "overdue by 1 day"),
        ("2017-04-04", "overdue", "overdue by 3321 days"),
        ("2017-04-05", "completed", "completed"),
    ],
)
def test_belarus_missed_its_article_4_deadline(real_cli, day, status, countdown):
    [row] = [r for r in real_cli.json("obligations", "Belarus", "--on", day) if r["article"] == "Art. 4"]
    assert (row["status"], row["countdown"]) == (status, countdown)


def test_belarus_golden(real_cli):
    text = "".join(real_cli("obligations", "Belarus", "--on", day).stdout
                   for day in ("2008-03-01", "2008-03-02", "2017-04-05"))
    assert_golden("obligations-blr", text)


def test_no_passed_deadline_without_a_known_record_is_called_overdue(real_cli):
    rows = real_cli.json("obligations", "--on", "2026-11-26")
    assert all(r["researched_to"] is not None and r["researched_to"] >= r["as_of"]
               for r in rows if r["status"] == "overdue")
    assert {r["iso3"] for r in rows if r["status"] == "unknown_after_deadline"} >= {"AFG", "AGO", "GRC", "UKR"}
