"""Party counts derived from the dated events match the counts published on those dates.

Publishers count differently: the Monitor, ICBL and the CCM support unit usually count a
state from the day it deposits its instrument ("at deposit" = parties + joining), the
APMBC support unit's "official State Party" notices from entry into force ("at entry into
force" = parties). Each expected count names its source.
"""

from __future__ import annotations

import pytest


def counts(real_cli, treaty: str, day: str) -> dict:
    rows = real_cli.json("treaties", "--on", day)
    return next(r for r in rows if r["treaty"] == treaty)


@pytest.mark.parametrize(
    ("day", "at_entry_into_force"),
    [
        # Landmine Monitor 2017 (December 2017 edition): 162 States Parties.
        ("2017-12-01", 162),
        # APMBC ISU, "Palestine an official State Party to anti-landmine treaty" (ReliefWeb,
        # 2018-06-01): 164 States Parties on the day the treaty bound Palestine.
        ("2018-06-01", 164),
        # ICBL at the launch of Landmine Monitor 2024 (2024-11-20): 164 States Parties.
        ("2024-11-20", 164),
        # ICBL-CMC, "Marshall Islands Becomes the 165th State Party" (2025-03-13): it joins
        # the other 164 on 2025-09-01.
        ("2025-09-01", 165),
    ],
)
def test_apmbc_states_parties(real_cli, day, at_entry_into_force):
    assert counts(real_cli, "apmbc", day)["states_parties"] == at_entry_into_force


@pytest.mark.parametrize(
    ("day", "at_deposit"),
    [
        # ICBL-CMC, "Marshall Islands Becomes the 165th State Party" (2025-03-13).
        ("2025-03-13", 165),
        # ICBL-CMC, "Tonga Becomes the 166th State Party" (2025-06-25).
        ("2025-06-25", 166),
    ],
)
def test_apmbc_count_at_deposit(real_cli, day, at_deposit):
    row = counts(real_cli, "apmbc", day)
    assert row["states_parties"] + row["joining"] == at_deposit


def test_apmbc_after_the_five_withdrawals(real_cli):
    # No source seen states a count after the withdrawals; this pins the derivation:
    # 166 at deposit in mid-2025 (ICBL-CMC, HRW, July 2025) less the five withdrawals that
    # took effect on 2025-12-27, 2026-01-10 and 2026-02-20.
    row = counts(real_cli, "apmbc", "2026-02-20")
    assert (row["states_parties"], row["withdrawn"], row["signatories"]) == (161, 5, 0)


def test_apmbc_states_outside_before_2025(real_cli):
    # Landmine Monitor 2018-2020 and the APMBC ISU (2018-06-01): 33 states outside the
    # treaty, of which only the Marshall Islands had signed.
    row = counts(real_cli, "apmbc", "2024-11-20")
    assert (row["not_joined"] + row["signatories"], row["signatories"]) == (33, 1)


@pytest.mark.parametrize(
    ("day", "at_deposit", "signatories"),
    [
        # Cluster Munition Monitor 2017, status as of 1 August 2017: 102 and 17.
        ("2017-08-01", 102, 17),
        # Cluster Munition Monitor 2018, status as of 1 August 2018: 103 and 17.
        ("2018-08-01", 103, 17),
        # Monitor FAQ, February 2019: 106 States Parties and 14 signatories.
        ("2019-02-28", 106, 14),
        # CCM ISU, "Niue is CCM State Party No. 109" (2020-08-06).
        ("2020-08-06", 109, 13),
        # Cluster Munition Monitor 2022, status as of 1 August 2022: 110 and 13.
        ("2022-08-01", 110, 13),
        # Cluster Munition Monitor 2024 (launched 2024-09-09): 112 States Parties.
        ("2024-09-09", 112, 12),
        # UNIDIR at the launch of Cluster Munition Monitor 2025 (2025-09-15): 112 States
        # Parties after Lithuania's withdrawal and Vanuatu's accession.
        ("2025-09-15", 112, 12),
    ],
)
def test_ccm_counts(real_cli, day, at_deposit, signatories):
    row = counts(real_cli, "ccm", day)
    assert row["states_parties"] + row["joining"] == at_deposit
    assert row["signatories"] == signatories


def test_every_state_is_researched_for_both_treaties(real_cli):
    for treaty in ("apmbc", "ccm"):
        assert counts(real_cli, treaty, "2026-11-26")["unknown"] == 0
