"""The shipped fact base: it validates, round-trips losslessly, and holds the real dates."""

from __future__ import annotations

import tomllib

import pycountry
import pytest
import tomli_w

from conftest import REAL_FACTS


def test_every_fact_file_validates(real_base):
    assert len(real_base.countries) == 197
    assert set(real_base.treaties) == {"apmbc", "ccm"}


@pytest.mark.parametrize(
    "path", sorted(REAL_FACTS.rglob("*.toml")), ids=lambda p: p.relative_to(REAL_FACTS).as_posix()
)
def test_fact_files_round_trip_through_tomli_w_unchanged(path):
    # `landmine add` rewrites files with tomli-w; this keeps that rewrite lossless.
    text = path.read_text(encoding="utf-8")
    assert tomli_w.dumps(tomllib.loads(text)) == text


def test_every_country_code_is_a_real_iso_3166_code(real_base):
    for country in real_base.countries.values():
        record = pycountry.countries.get(alpha_3=country.iso3)
        assert record is not None and record.alpha_2 == country.iso2, country.iso3


FINLAND_APMBC = [
    ("acceded", "2012-01-09"),
    ("entered_into_force", "2012-07-01"),
    ("withdrawal_announced", "2025-04-01"),
    ("statement", "2025-05-28"),
    ("withdrawal_approved", "2025-06-19"),
    ("withdrawal_approved", "2025-07-04"),
    ("statement", "2025-07-09"),
    ("withdrawal_deposited", "2025-07-10"),
    ("withdrawal_effective", "2026-01-10"),
    ("production_announced", "2026-01-14"),
]


def test_finland_left_the_mine_ban_convention(real_cli):
    doc = real_cli.json("status", "Finland", "--on", "2026-11-26")
    apmbc = doc["treaties"][0]
    assert [(e["type"], e["date"]) for e in apmbc["events"]] == FINLAND_APMBC
    assert (apmbc["status"], apmbc["since"]) == ("withdrawn", "2026-01-10")
    w = apmbc["withdrawal"]
    assert (w["announced"], w["approved"], w["deposited"], w["effective"]) == (
        "2025-04-01",
        "2025-07-04",
        "2025-07-10",
        "2026-01-10",
    )
    assert apmbc["reasons"] and all(r["sources"] for r in apmbc["reasons"])


@pytest.mark.parametrize(
    ("country", "withdrawing_on", "withdrawn_on"),
    [
        ("Estonia", "2025-12-26", "2025-12-27"),
        ("Latvia", "2025-12-26", "2025-12-27"),
        ("Lithuania", "2025-12-26", "2025-12-27"),
        ("Finland", "2026-01-09", "2026-01-10"),
        ("Poland", "2026-02-19", "2026-02-20"),
    ],
)
def test_the_five_apmbc_withdrawals_take_effect_on_their_dates(real_cli, country, withdrawing_on, withdrawn_on):
    before = real_cli.json("status", country, "--on", withdrawing_on)["treaties"][0]
    after = real_cli.json("status", country, "--on", withdrawn_on)["treaties"][0]
    assert (before["status"], before["next_date"]) == ("withdrawing", withdrawn_on)
    assert (after["status"], after["since"]) == ("withdrawn", withdrawn_on)


def test_poland_at_the_end_of_2025_is_still_a_party_that_is_withdrawing(real_cli):
    apmbc = real_cli.json("status", "Poland", "--on", "2025-12-31")["treaties"][0]
    assert apmbc["status"] == "withdrawing"
    assert apmbc["withdrawal"]["deposited"] == "2025-08-20"
    assert apmbc["withdrawal"]["effective_expected"] == "2026-02-20"


def test_lithuania_left_the_cluster_munitions_convention(real_cli):
    before = real_cli.json("status", "LT", "--on", "2025-03-05")["treaties"][1]
    after = real_cli.json("status", "LT", "--on", "2025-03-06")["treaties"][1]
    assert (before["treaty"], before["status"]) == ("ccm", "withdrawing")
    assert (after["status"], after["withdrawal"]["deposited"]) == ("withdrawn", "2024-09-06")


def test_ukraine_suspension_is_not_a_withdrawal(real_cli):
    apmbc = real_cli.json("status", "Ukraine", "--on", "2026-11-26")["treaties"][0]
    assert apmbc["status"] == "party"
    assert apmbc["suspension"]["deposited"] == "2025-07-18"
    assert apmbc["withdrawal"]["stage"] == "announced"
    assert apmbc["withdrawal"]["deposited"] is None
    before = real_cli.json("status", "Ukraine", "--on", "2025-07-17")["treaties"][0]
    assert (before["status"], before["suspension"]) == ("party", None)


def test_marshall_islands_joined_in_2025(real_cli):
    def status_on(day):
        return real_cli.json("status", "Marshall Islands", "--on", day)["treaties"][0]["status"]

    assert [status_on(d) for d in ("2025-03-11", "2025-03-12", "2025-08-31", "2025-09-01")] == [
        "signatory",
        "joining",
        "joining",
        "party",
    ]


def test_norway_stays(real_cli):
    doc = real_cli.json("status", "Norway", "--on", "2026-11-26")
    assert [t["status"] for t in doc["treaties"]] == ["party", "party"]
    assert any("stay" in (e["note"] or "") for e in doc["treaties"][0]["events"])


@pytest.mark.parametrize("iso3", ["RUS", "USA", "CHN", "IND", "ISR"])
def test_the_big_non_signatories_never_joined_the_mine_ban(real_cli, iso3):
    rows = real_cli.json("non-members", "--treaty", "apmbc", "--on", "2026-11-26")
    assert {r["iso3"]: r["status"] for r in rows}[iso3] == "not_joined"


def test_withdrawals_since_march_2025(real_cli):
    rows = real_cli.json("withdrawals", "--since", "2025-03", "--on", "2026-11-26")
    assert {(r["iso3"], r["treaty"], r["kind"]) for r in rows} >= {
        ("EST", "apmbc", "withdrawal"),
        ("LVA", "apmbc", "withdrawal"),
        ("LTU", "apmbc", "withdrawal"),
        ("FIN", "apmbc", "withdrawal"),
        ("POL", "apmbc", "withdrawal"),
        ("UKR", "apmbc", "suspension"),
        ("LTU", "ccm", "withdrawal"),
    }


def test_us_funding_and_the_2025_freeze(real_cli):
    doc = real_cli.json("funding", "--donor", "United States")
    by_year = {c["year"]: c for c in doc["contributions"]}
    assert by_year[2022]["amount_usd"] == 310_200_000
    assert by_year[2022]["share_pct"] == 38.9
    assert (by_year[2023]["share_pct"], by_year[2023]["share_basis"]) == (39.0, "stated")
    assert ("2025-01-20", "freeze") in {(e["date"], e["type"]) for e in doc["events"]}


def test_un_members_plus_four_and_nothing_else(real_base):
    codes = set(real_base.countries)
    assert len(codes) == 197
    assert {"VAT", "PSE", "COK", "NIU"} <= codes
    assert not codes & {"TWN", "XKX", "ESH", "GRL"}


def test_every_name_alias_and_code_finds_its_own_state(real_base):
    from landmine_cli.countries import resolve

    for country in real_base.countries.values():
        for text in (country.iso3, country.iso2, country.name, *country.aliases):
            assert resolve(text, real_base) == country.iso3, text


def test_entry_into_force_follows_article_17_unless_an_exception_is_recorded(real_base):
    from landmine_cli import law
    from landmine_cli.models import CONSENT_TYPES

    checked = 0
    for iso3 in real_base.countries:
        for treaty in real_base.treaties.values():
            events = real_base.treaty_events(iso3, treaty.id)
            for consent in (e for e in events if e.type in CONSENT_TYPES):
                [eif] = [e for e in events if e.type == "entered_into_force"]
                if eif.rule_exception is None:
                    assert eif.date == law.entry_into_force(treaty, consent.date), (iso3, treaty.id)
                checked += 1
    assert checked == 161 + 5 + 112 + 1  # consents to the APMBC and the CCM, withdrawn included


def test_withdrawals_take_effect_six_months_after_deposit(real_base):
    from landmine_cli import law

    effective = 0
    for iso3 in real_base.countries:
        for treaty in real_base.treaties.values():
            events = real_base.treaty_events(iso3, treaty.id)
            for deposit in (e for e in events if e.type == "withdrawal_deposited"):
                [done] = [e for e in events if e.type == "withdrawal_effective"]
                expected = law.withdrawal_effect(treaty, deposit.date, real_base.conflicts[iso3])
                assert done.date == expected.date, iso3
                effective += 1
    assert effective == 6


def test_every_record_cites_existing_sources_with_url_and_publisher(real_base):
    cited = set()
    for iso3, country in real_base.countries.items():
        records = [country, *real_base.events[iso3], *real_base.reasons[iso3]]
        for record in records:
            assert record.sources, (iso3, record)
            cited.update(record.sources)
    for record in (*real_base.contributions, *real_base.totals, *real_base.funding_events):
        assert record.sources
        cited.update(record.sources)
    assert cited <= set(real_base.sources)
    for source in real_base.sources.values():
        assert source.url.startswith(("http://", "https://")) and source.publisher.strip()


def test_a_deposited_withdrawal_shows_the_day_it_is_due(real_cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    rows = {line.split()[0] + " " + line.split()[1]: line
            for line in real_cli("withdrawals", "--on", "2025-12-01").stdout.splitlines()[2:9]}
    assert rows["Finland apmbc"].endswith("2025-07-10  2026-01-10*")
    assert rows["Lithuania ccm"].endswith("2024-09-06  2025-03-06")
    after = real_cli("withdrawals", "--on", "2026-01-10").stdout.splitlines()
    assert next(line for line in after if line.startswith("Finland")).endswith("2025-07-10  2026-01-10")
    assert next(line for line in after if line.startswith("Poland")).endswith("2025-08-20  2026-02-20*")
