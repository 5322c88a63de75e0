"""Country lookup: codes, names and aliases, case- and accent-insensitive; suggestions only."""

from __future__ import annotations

import pytest

from landmine_cli.countries import normalize, resolve
from landmine_cli.errors import UsageError


@pytest.mark.parametrize(
    ("text", "iso3"),
    [
        ("Finland", "FIN"),
        ("finland", "FIN"),
        ("FI", "FIN"),
        ("fin", "FIN"),
        ("  FINLAND ", "FIN"),
        ("Türkiye", "TUR"),
        ("Turkiye", "TUR"),
        ("Turkey", "TUR"),
        ("Côte d’Ivoire", "CIV"),
        ("cote d'ivoire", "CIV"),
        ("Ivory Coast", "CIV"),
        ("USA", "USA"),
        ("United States of America", "USA"),
        ("UK", "GBR"),
        ("Britain", "GBR"),
        ("Russian Federation", "RUS"),
        ("South Korea", "KOR"),
        ("Republic of Korea", "KOR"),
        ("DPRK", "PRK"),
        ("Lao PDR", "LAO"),
        ("Czech Republic", "CZE"),
        ("Swaziland", "SWZ"),
        ("Burma", "MMR"),
        ("Palestine", "PSE"),
        ("Vatican", "VAT"),
    ],
)
def test_real_names_aliases_and_codes_resolve(real_base, text, iso3):
    assert resolve(text, real_base) == iso3


def test_unknown_name_suggests_without_choosing(real_base):
    with pytest.raises(UsageError) as err:
        resolve("Finlnd", real_base)
    assert err.value.exit_code == 2
    assert "Finland" in err.value.suggestions


@pytest.mark.parametrize("text", ["", "   ", "??", "\x00", "x" * 5000])
def test_garbage_is_a_clean_usage_error(real_base, text):
    with pytest.raises(UsageError):
        resolve(text, real_base)


def test_normalize_folds_case_accents_and_punctuation():
    assert normalize("  Côte d’Ivoire ") == "cote d ivoire"
    assert normalize("São Tomé and Príncipe") == "sao tome and principe"


def test_a_prefix_that_fits_two_states_picks_neither(real_base):
    with pytest.raises(UsageError) as err:
        resolve("Mau", real_base)
    assert {"Mauritania", "Mauritius"} <= set(err.value.suggestions)


@pytest.mark.parametrize(("text", "name", "iso3"), [("Sey", "Seychelles", "SYC"), ("Zim", "Zimbabwe", "ZWE")])
def test_a_three_letter_prefix_of_one_state_finds_it_or_suggests_it(real_base, text, name, iso3):
    # Either tier is right for a prefix that fits one state: resolving it, or offering it first.
    try:
        assert resolve(text, real_base) == iso3
    except UsageError as err:
        assert err.suggestions[:1] == (name,)
