"""Strict data: TOML types, the ranges the models state, no control characters.

Each rule is a defect case: one file of a copy of the fixture facts changed (through
`store.check`'s overrides), asserting the exact file, line and message reported.
"""

from __future__ import annotations

import pytest

from landmine_cli import store

BET = "countries/bet.toml"


def problems(root, rel: str, old: str, new: str) -> list[str]:
    text = (root / rel).read_text(encoding="utf-8")
    assert old in text, old
    base, found = store.check(root, overrides={rel: text.replace(old, new, 1)})
    return [str(p) for p in found]


CASES = [
    # A date written as text, a date-time, a time in a name: TOML types, not look-alikes.
    (BET, "date = 2004-05-12", 'date = "2004-05-12"',
     "facts/countries/bet.toml:19: date: must be a TOML date such as 2012-01-09 (no quotes, "
     "no time), not a string"),
    (BET, "date = 2004-05-12", "date = 2004-05-12T10:00:00",
     "facts/countries/bet.toml:19: date: must be a TOML date such as 2012-01-09 (no quotes, "
     "no time), not a date-time"),
    (BET, 'name = "Betaland"', "name = 12:00:00",
     "facts/countries/bet.toml:4: name: must be a string, not a time"),
    ("funding.toml", "year = 2023\namount_usd = 1000", "year = true\namount_usd = 1000",
     "facts/funding.toml:7: year: must be an integer, not a boolean"),
    ("sources.toml", 'url = "https://example.org/status"', "url = [\"https://example.org/status\"]",
     "facts/sources.toml:5: url: must be a string, not an array"),
    # Ranges: dates, years, amounts, counts, months, percentages.
    (BET, "date = 2004-05-12", "date = 9999-05-12",
     "facts/countries/bet.toml:19: date: 9999-05-12 is out of range: must be from 1900-01-01 "
     "to 2100-12-31"),
    ("funding.toml", "year = 2023\namount_usd = 1000", "year = 2023\namount_usd = 9223372036854775808",
     "facts/funding.toml:8: amount_usd: 9223372036854775808 is out of range: must be from 0 to "
     "9223372036854775807"),
    ("funding.toml", "year = 2023\namount_usd = 400", "year = 2023\namount_usd = -400",
     "facts/funding.toml:26: amount_usd: -400 is out of range: must be from 0 to "
     "9223372036854775807"),
    ("funding.toml", "year = 2025\namount_usd = 100", "year = 99999\namount_usd = 100",
     "facts/funding.toml:43: year: 99999 is out of range: must be from 1900 to 2100"),
    ("funding.toml", "donors = 2", "donors = -2",
     "facts/funding.toml:13: donors: -2 is out of range: must be from 0 to 100000"),
    ("funding.toml", "share_pct = 20.0", "share_pct = nan",
     "facts/funding.toml:49: share_pct: nan is out of range: must be from 0.0 to 100.0"),
    ("treaties.toml", "entry_into_force_months = 6", "entry_into_force_months = 1000000",
     "facts/treaties.toml:18: entry_into_force_months: 1000000 is out of range: must be from 1 "
     "to 120"),
    # Control characters: none in names, ids and URLs; tab and newline only in free text.
    (BET, 'name = "Betaland"', 'name = "Beta\\u001b[31mland"',
     "facts/countries/bet.toml:4: name: holds a control character (U+001B) at position 5"),
    ("sources.toml", 'url = "https://example.org/status"', 'url = "https://example.org/\\u0000"',
     "facts/sources.toml:5: url: holds a control character (U+0000) at position 21"),
    (BET, 'note = "The government announced it would leave."',
     'note = "The government\\u009b announced it would leave."',
     "facts/countries/bet.toml:39: note: holds a control character (U+009B) at position 15"),
]


@pytest.mark.parametrize("rel, old, new, expected", CASES)
def test_each_rule_is_reported_with_file_line_and_message(facts_copy, rel, old, new, expected):
    assert problems(facts_copy, rel, old, new) == [expected]


def test_free_text_may_hold_a_line_break(facts_copy):
    old = 'note = "The government announced it would leave."'
    assert problems(facts_copy, BET, old, 'note = "The government\\nannounced it would leave."') == []


def test_the_largest_amount_sqlite_stores_is_accepted(facts_copy):
    assert problems(facts_copy, "funding.toml", "year = 2023\namount_usd = 1000",
                    "year = 2023\namount_usd = 9223372036854775807") == []


def test_the_fact_files_are_toml_1_0(facts_copy):
    """A TOML 1.1 escape (\\x41) is a syntax error, as Python 3.11's tomllib has it: the
    reader is held below tomli 2.4, which reads TOML 1.1."""
    found = problems(facts_copy, BET, 'note = "The government announced it would leave."',
                     'note = "The government\\x41 announced it would leave."')
    assert len(found) == 1 and found[0].startswith("facts/countries/bet.toml:39: TOML syntax error")
