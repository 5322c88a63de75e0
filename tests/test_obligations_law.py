"""The deadline rules of law.py (APMBC Art. 4 and 5, CCM Art. 3 and 4) on hand-made records,
with every boundary asked the day before, of and after; and the validation built on them,
on the fixture facts with one file overridden."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from landmine_cli import law, store
from landmine_cli.models import Extension, ExtensionOutcome, Obligation

D = dt.date.fromisoformat
FIXTURE_FACTS = Path(__file__).parent / "fixtures" / "facts"
GRANTED, UNKNOWN = ExtensionOutcome.GRANTED, ExtensionOutcome.UNKNOWN


@pytest.mark.parametrize(
    ("treaty", "article", "eif", "deadline"),
    [
        ("apmbc", "Art. 4", "2004-03-01", "2008-03-01"),  # four years
        ("apmbc", "Art. 5", "1999-03-01", "2009-03-01"),  # ten years
        ("ccm", "Art. 3", "2011-10-01", "2019-10-01"),  # eight years
        ("ccm", "Art. 4", "2011-03-01", "2021-03-01"),  # ten years
        ("apmbc", "Art. 5", "2011-07-09", "2021-07-09"),  # not the first of a month
        ("apmbc", "Art. 4", "2012-02-29", "2016-02-29"),  # a leap day four years on
        ("ccm", "Art. 3", "2012-02-29", "2020-02-29"),
        ("apmbc", "Art. 5", "2012-02-29", "2022-02-28"),  # clamped to the month's end
    ],
)
def test_original_deadline_is_entry_into_force_plus_the_articles_years(treaty, article, eif, deadline):
    assert law.original_deadline(law.DUTIES[(treaty, article)], D(eif)) == D(deadline)


def test_only_apmbc_article_4_has_no_extension():
    assert [k for k, d in law.DUTIES.items() if d.extension_article is None] == [("apmbc", "Art. 4")]
    assert law.longest_extension(law.DUTIES[("apmbc", "Art. 4")], D("2008-03-01")) is None
    assert law.longest_extension(law.DUTIES[("apmbc", "Art. 5")], D("2009-03-01")) == D("2019-03-01")
    assert law.longest_extension(law.DUTIES[("ccm", "Art. 3")], D("2019-10-01")) == D("2023-10-01")
    assert law.longest_extension(law.DUTIES[("ccm", "Art. 4")], D("2021-03-01")) == D("2026-03-01")


def ob(**kw) -> Obligation:
    base = dict(treaty="apmbc", article="Art. 5", original_deadline=D("2009-03-01"), sources=("s",))
    return Obligation(**(base | kw))


def ext(new: str | None, granted: str | None = None, **kw) -> Extension:
    base = dict(treaty="apmbc", article="Art. 5", outcome=GRANTED, sources=("s",),
                new_deadline=None if new is None else D(new), granted=None if granted is None else D(granted))
    return Extension(**(base | kw))


TWICE = (ext("2019-03-01", "2008-11-28"), ext("2021-03-01", "2018-11-30"))


@pytest.mark.parametrize(
    ("day", "deadline", "count"),
    [
        ("2008-11-27", "2009-03-01", 0),  # the day before the first grant
        ("2008-11-28", "2019-03-01", 1),  # the day of the grant: in force
        ("2008-11-29", "2019-03-01", 1),
        ("2018-11-29", "2019-03-01", 1),  # the day before the second grant
        ("2018-11-30", "2021-03-01", 2),
        ("2018-12-01", "2021-03-01", 2),
    ],
)
def test_current_deadline_is_the_last_extension_granted_on_or_before_the_day(day, deadline, count):
    found = law.situation(ob(researched_to=D("2026-01-01")), TWICE, D(day))
    assert (found.current_deadline, found.extensions, found.status) == (D(deadline), count, "due")


@pytest.mark.parametrize(
    ("day", "status", "left", "over"),
    [
        ("2021-02-28", "due", 1, None),
        ("2021-03-01", "due", 0, None),  # "not later than": the deadline day itself is in time
        ("2021-03-02", "overdue", None, 1),
        ("2025-12-31", "overdue", None, 1766),
        ("2026-01-01", "overdue", None, 1767),  # the last day the record is known complete
        ("2026-01-02", "unknown_after_deadline", None, None),  # after it: never "overdue"
    ],
)
def test_overdue_only_after_the_deadline_and_while_the_record_is_known(day, status, left, over):
    found = law.situation(ob(researched_to=D("2026-01-01")), TWICE, D(day))
    assert (found.status, found.days_left, found.days_overdue) == (status, left, over)


def test_a_passed_deadline_without_a_researched_to_is_not_overdue():
    assert law.situation(ob(), (), D("2010-01-01")).status == "unknown_after_deadline"


def test_a_request_with_an_unknown_outcome_grants_nothing():
    pending = ext(None, requested=D("2008-03-01"), outcome=UNKNOWN)
    found = law.situation(ob(researched_to=D("2026-01-01")), (pending,), D("2010-01-01"))
    assert (found.status, found.current_deadline, found.extensions) == ("overdue", D("2009-03-01"), 0)


@pytest.mark.parametrize(
    ("day", "status"),
    [("2015-06-09", "overdue"), ("2015-06-10", "completed"), ("2015-06-11", "completed")],
)
def test_completion_on_a_day_ends_the_overdue_count(day, status):
    found = law.situation(ob(completed=D("2015-06-10"), researched_to=D("2026-01-01")), (), D(day))
    assert found.status == status


@pytest.mark.parametrize(
    ("fields", "day", "state"),
    [
        ({"completed_period": "2012"}, "2011-12-31", law.NOT_DONE),
        ({"completed_period": "2012"}, "2012-01-01", law.UNCERTAIN),
        ({"completed_period": "2012"}, "2012-12-30", law.UNCERTAIN),
        ({"completed_period": "2012"}, "2012-12-31", law.DONE),
        ({"completed_period": "2016-04"}, "2016-03-31", law.NOT_DONE),
        ({"completed_period": "2016-04"}, "2016-04-30", law.DONE),
        ({"completed_by": D("2009-05-26")}, "2009-05-25", law.UNCERTAIN),
        ({"completed_by": D("2009-05-26")}, "2009-05-26", law.DONE),
        ({"completed": D("2011-11-29"), "reopened_period": "2019"}, "2018-12-31", law.DONE),
        ({"completed": D("2011-11-29"), "reopened_period": "2019"}, "2019-01-01", law.UNCERTAIN),
        ({"completed": D("2011-11-29"), "reopened_period": "2019"}, "2019-12-31", law.NOT_DONE),
    ],
)
def test_completion_known_to_a_month_a_year_or_a_latest_day(fields, day, state):
    assert law.completion(ob(**fields), D(day)) == state


def test_an_uncertain_completion_is_never_overdue():
    found = law.situation(ob(completed_by=D("2011-12-01"), researched_to=D("2026-01-01")), (), D("2010-01-01"))
    assert found.status == "unknown_after_deadline"


@pytest.mark.parametrize(
    ("day", "status", "ended"),
    [("2025-12-26", "due", None), ("2025-12-27", "ended_by_withdrawal", D("2025-12-27")),
     ("2025-12-28", "ended_by_withdrawal", D("2025-12-27"))],
)
def test_a_withdrawal_ends_the_obligation_on_its_effective_date(day, status, ended):
    long = (ext("2029-03-01", "2018-11-30"),)
    found = law.situation(ob(researched_to=D("2026-11-26")), long, D(day), withdrawal_effective=D("2025-12-27"))
    assert (found.status, found.ended) == (status, ended)


def test_an_extension_without_a_grant_day_counts_from_the_deadline_it_extends():
    undated = (ext("2019-03-01"), ext("2021-03-01", "2018-11-30"))
    before = law.situation(ob(researched_to=D("2026-01-01")), undated, D("2009-02-28"))
    assert (before.current_deadline, before.assumed) == (D("2009-03-01"), False)
    after = law.situation(ob(researched_to=D("2026-01-01")), undated, D("2009-03-01"))
    assert (after.current_deadline, after.assumed, after.status) == (D("2019-03-01"), True, "due")


def test_a_granted_extension_with_no_recorded_deadline_leaves_the_deadline_unknown():
    found = law.situation(ob(researched_to=D("2026-01-01")), (ext(None, "2008-11-28"),), D("2010-01-01"))
    assert (found.status, found.current_deadline) == ("deadline_unknown", None)


def test_no_stockpile_is_never_overdue():
    found = law.situation(ob(article="Art. 4", no_stockpile="declared none", researched_to=D("2026-01-01")),
                          (), D("2020-01-01"))
    assert found.status == "no_stockpile"


# --- validation ----------------------------------------------------------------------------

OBLIGATION = """
[[obligations]]
treaty = "apmbc"
article = "Art. 5"
original_deadline = {deadline}
sources = ["src-a"]
"""
EXTENSION = """
[[extensions]]
treaty = "apmbc"
article = "{article}"
outcome = "{outcome}"
sources = ["src-a"]
{extra}
"""


def _checked(extra: str) -> list[str]:
    rel = "countries/del.toml"  # Deltaland: APMBC in force on 2012-07-01
    text = (FIXTURE_FACTS / rel).read_text(encoding="utf-8") + extra
    _, problems = store.check(FIXTURE_FACTS, {rel: text})
    return [f"{p.field}: {p.message}" for p in problems]


def test_the_rule_deadline_is_accepted():
    assert _checked(OBLIGATION.format(deadline="2022-07-01")) == []


def test_a_deadline_that_contradicts_the_rule_is_reported():
    assert _checked(OBLIGATION.format(deadline="2022-07-02")) == [
        "original_deadline: 2022-07-02 contradicts Art. 5: entry into force on 2012-07-01 gives "
        "2022-07-01 (record a sourced rule_exception if it is right)"]


def test_an_extension_beyond_the_articles_limit_is_reported():
    ok = EXTENSION.format(article="Art. 5", outcome="granted", extra="new_deadline = 2032-07-01")
    assert _checked(OBLIGATION.format(deadline="2022-07-01") + ok) == []
    long = EXTENSION.format(article="Art. 5", outcome="granted", extra="new_deadline = 2032-07-02")
    assert _checked(OBLIGATION.format(deadline="2022-07-01") + long) == [
        "new_deadline: 2032-07-02 is more than 10 years after the deadline it extends (2022-07-01); "
        "Art. 5(3)-(6) allows up to 2032-07-01"]


def test_an_extension_that_does_not_move_the_deadline_later_is_reported():
    same = EXTENSION.format(article="Art. 5", outcome="granted", extra="new_deadline = 2022-07-01")
    assert _checked(OBLIGATION.format(deadline="2022-07-01") + same) == [
        "new_deadline: 2022-07-01 does not extend the deadline then in force (2022-07-01)"]


def test_a_pending_request_may_not_carry_a_granted_deadline():
    pending = EXTENSION.format(article="Art. 5", outcome="unknown", extra="new_deadline = 2027-07-01")
    assert _checked(OBLIGATION.format(deadline="2022-07-01") + pending) == [
        "new_deadline: a request whose outcome is unknown has no granted deadline; "
        "put what was asked in requested_text"]


def test_stockpile_destruction_under_the_apmbc_cannot_be_extended():
    art4 = OBLIGATION.format(deadline="2016-07-01").replace("Art. 5", "Art. 4")
    extension = EXTENSION.format(article="Art. 4", outcome="granted", extra="new_deadline = 2018-07-01")
    assert _checked(art4 + extension) == ["article: apmbc Art. 4 provides no extension of its deadline"]


def test_an_extension_without_its_obligation_and_an_unknown_article_are_reported():
    extension = EXTENSION.format(article="Art. 5", outcome="granted", extra="new_deadline = 2027-07-01")
    assert _checked(extension) == ["article: no apmbc Art. 5 obligation in this file to extend"]
    odd = OBLIGATION.format(deadline="2022-07-01").replace("Art. 5", "Art. 7")
    assert _checked(odd) == ["article: 'Art. 7' is not an obligation with a deadline under apmbc "
                             "(known: Art. 4, Art. 5)"]
