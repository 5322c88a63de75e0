"""The resolver (landmine_cli.countries): each tier, ambiguity, places outside the covered
states, names in any script, treaties and donors, and the alias-collision check."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import FIXTURE_FACTS
from landmine_cli import store
from landmine_cli.countries import (
    OUTSIDE,
    keys_of,
    normalize,
    resolve,
    resolve_donor,
    resolve_treaty,
    variants,
)
from landmine_cli.errors import UsageError


def error(text, base) -> UsageError:
    with pytest.raises(UsageError) as err:
        resolve(text, base)
    assert err.value.exit_code == 2
    return err.value


# --- tier 1: codes ------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "iso3"), [
    ("FI", "FIN"), ("fi", "FIN"), ("FIN", "FIN"), ("fin", "FIN"), (" Fin ", "FIN"),
    ("GE", "GEO"), ("NE", "NER"), ("ng", "NGA"), ("USA", "USA"),
])
def test_iso_codes_of_either_length_in_any_case(real_base, text, iso3):
    assert resolve(text, real_base) == iso3


# --- tier 2: names and aliases ------------------------------------------------------------


@pytest.mark.parametrize(("text", "iso3"), [
    ("Finland", "FIN"), ("finland", "FIN"), ("  FINLAND ", "FIN"),
    ("Türkiye", "TUR"), ("Turkiye", "TUR"), ("Turkey", "TUR"),
    ("Côte d’Ivoire", "CIV"), ("cote d'ivoire", "CIV"), ("Ivory Coast", "CIV"),
    ("United States of America", "USA"), ("UK", "GBR"), ("Britain", "GBR"),
    ("Russian Federation", "RUS"), ("South Korea", "KOR"), ("Republic of Korea", "KOR"),
    ("DPRK", "PRK"), ("Lao PDR", "LAO"), ("Czech Republic", "CZE"), ("Swaziland", "SWZ"),
    ("Burma", "MMR"), ("Palestine", "PSE"), ("Vatican", "VAT"),
    ("Trinidad & Tobago", "TTO"), ("Bosnia & Herzegovina", "BIH"),
])
def test_names_and_aliases_ignore_case_accents_and_punctuation(real_base, text, iso3):
    assert resolve(text, real_base) == iso3


@pytest.mark.parametrize(("text", "iso3", "longer"), [
    # The exact name wins over the longer names that begin with or contain it.
    ("Congo", "COG", "Democratic Republic of the Congo"),
    ("Sudan", "SDN", "South Sudan"),
    ("Guinea", "GIN", "Equatorial Guinea"),
    ("Niger", "NER", "Nigeria"),
    ("Dominica", "DMA", "Dominican Republic"),
    ("Guinea", "GIN", "Papua New Guinea"),
])
def test_an_exact_name_beats_longer_names_that_contain_it(real_base, text, iso3, longer):
    assert resolve(text, real_base) == iso3
    assert resolve(longer, real_base) != iso3


# --- tier 3: prefix, then substring, each only when it fits one state --------------------


@pytest.mark.parametrize(("text", "iso3"), [
    ("Papua", "PNG"), ("Ukr", "UKR"), ("Liecht", "LIE"), ("central afr", "CAF"),
    # A unique prefix wins even where the substring would fit several states:
    # "ger" is also in Algeria, Niger, Nigeria; "ang" in Bangladesh.
    ("ger", "DEU"), ("ang", "AGO"), ("braz", "BRA"),
])
def test_a_unique_prefix_resolves(real_base, text, iso3):
    assert resolve(text, real_base) == iso3


@pytest.mark.parametrize(("text", "iso3"), [
    ("Herzegovina", "BIH"), ("Ivoire", "CIV"), ("Lanka", "LKA"), ("Marino", "SMR"),
    ("Leone", "SLE"), ("Grenadines", "VCT"),
])
def test_a_unique_substring_resolves(real_base, text, iso3):
    assert resolve(text, real_base) == iso3


@pytest.mark.parametrize(("text", "states"), [
    ("Korea", {"North Korea", "South Korea"}),
    ("Saint", {"Saint Kitts and Nevis", "Saint Lucia", "Saint Vincent and the Grenadines"}),
    ("Islands", {"Cook Islands", "Marshall Islands", "Solomon Islands"}),
    ("ira", {"Iran", "Iraq"}),
])
def test_a_text_that_fits_several_states_lists_them_and_picks_none(real_base, text, states):
    err = error(text, real_base)
    assert err.message == f"{text!r} fits more than one country; name one"
    assert set(err.suggestions) == states


@pytest.mark.parametrize("text", ["x", "an", "ur"])
def test_partial_matching_needs_three_characters(real_base, text):
    assert error(text, real_base).message == f"no country matches {text!r}"


# --- tier 4: fuzzy, only to suggest -------------------------------------------------------


def test_a_misspelling_is_suggested_never_chosen(real_base):
    err = error("Finlnd", real_base)
    assert err.message == "no country matches 'Finlnd'"
    assert err.suggestions[0] == "Finland"
    assert len(err.suggestions) <= 3


def test_a_bracketed_form_is_not_fuzzily_sent_elsewhere(real_base):
    # Before the UN forms were understood, this suggested the United Kingdom.
    assert resolve("Netherlands (Kingdom of the)", real_base) == "NLD"


@pytest.mark.parametrize("text", ["", "   ", "??", "\x00", "x" * 5000, "()", "(", ","])
def test_garbage_is_a_clean_usage_error(real_base, text):
    with pytest.raises(UsageError):
        resolve(text, real_base)


# --- places outside the 197 states ----------------------------------------------------------


@pytest.mark.parametrize("text", ["Taiwan", "Kosovo", "Western Sahara", "kosovo",
                                  "Kosovo (under UNSCR 1244)", "Chinese Taipei"])
def test_a_place_that_cannot_join_says_why_and_suggests_no_state(real_base, text):
    err = error(text, real_base)
    assert " is not covered: " in err.message
    assert "UN Secretary-General" in err.message
    assert "197 states" in err.message
    assert err.suggestions == ()


@pytest.mark.parametrize(("text", "state"), [
    ("Greenland", "Denmark"), ("Faroe Islands", "Denmark"), ("Hong Kong", "China"),
    ("Puerto Rico", "United States"), ("Gibraltar", "United Kingdom"),
    ("Åland", "Finland"), ("Curaçao", "Netherlands"), ("Abkhazia", "Georgia"),
    ("Serbia and Montenegro", "Serbia"), ("Czechoslovakia", "Slovakia"),
])
def test_a_territory_or_former_state_names_the_state_that_acts_for_it(real_base, text, state):
    err = error(text, real_base)
    assert err.message.startswith(f"{text} is not covered: ")
    assert state in err.suggestions


def test_outside_places_never_shadow_a_state_and_the_count_in_the_reason_is_true(real_base):
    names = [n for place in OUTSIDE for n in place.names]
    assert not {normalize(n) for n in names} & set(real_base.names)
    assert len(real_base.countries) == 197
    assert all(i in real_base.countries for place in OUTSIDE for i in place.related)


# --- any script ---------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "key"), [
    ("  Côte d’Ivoire ", "cote d ivoire"),
    ("São Tomé and Príncipe", "sao tome and principe"),
    ("Łódź", "lodz"), ("Straße", "strasse"), ("Æbeltoft", "aebeltoft"), ("Øresund", "oresund"),
    ("Đakovo", "dakovo"), ("Россия", "rossiya"), ("Україна", "ukraina"),
    ("Ελλάδα", "ellada"), ("ＦＩＮ", "fin"), ("Trinidad & Tobago", "trinidad and tobago"),
])
def test_normalize_folds_case_accents_punctuation_and_script(text, key):
    assert normalize(text) == key


@pytest.mark.parametrize(("text", "iso3"), [
    ("Россия", "RUS"), ("Российская Федерация", "RUS"), ("Rossiya", "RUS"),
    ("Україна", "UKR"), ("Ukraina", "UKR"), ("Polska", "POL"), ("Lietuva", "LTU"),
    ("Latvija", "LVA"), ("Eesti", "EST"), ("Suomi", "FIN"),
])
def test_names_in_the_states_own_languages_and_scripts(real_base, text, iso3):
    assert resolve(text, real_base) == iso3


def test_the_transliteration_library_is_imported_only_for_text_that_needs_it():
    code = (
        "import sys\n"
        "from landmine_cli.countries import normalize\n"
        "normalize('Côte d’Ivoire'); normalize('São Tomé'); normalize('Türkiye')\n"
        "assert 'anyascii' not in sys.modules, 'imported for accents alone'\n"
        "assert normalize('Łódź') == 'lodz'\n"
        "assert 'anyascii' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_real_facts_hold_no_name_that_needs_the_transliteration_library(real_base):
    # Every cold load normalises every name; keep that off the import of anyascii.
    import unicodedata

    for country in real_base.countries.values():
        for text in (country.name, *country.aliases):
            folded = "".join(c for c in unicodedata.normalize("NFKD", text)
                             if not unicodedata.combining(c))
            assert folded.isascii(), f"{country.iso3}: {text!r}"


# --- forms ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("Netherlands (Kingdom of the)", ["netherlands kingdom of the", "kingdom of the netherlands",
                                      "netherlands kingdom of the", "netherlands"]),
    ("Korea, Republic of", ["korea republic of", "republic of korea"]),
    ("The Gambia", ["the gambia", "gambia"]),
    ("", []),
])
def test_variants_turn_bracketed_and_inverted_forms_around(text, expected):
    assert variants(text) == list(dict.fromkeys(expected))


@pytest.mark.parametrize(("text", "iso3"), [
    ("Congo (Kinshasa)", "COD"), ("Congo (Brazzaville)", "COG"),
    ("Congo, Democratic Republic of the", "COD"), ("Korea, Republic of", "KOR"),
    ("Korea, Democratic People's Republic of", "PRK"), ("Moldova, Republic of", "MDA"),
    ("Tanzania, United Republic of", "TZA"), ("Palestine, State of", "PSE"),
    ("Gambia (Republic of The)", "GMB"), ("Bahamas (The)", "BHS"), ("The Bahamas", "BHS"),
    ("Iran, Islamic Republic of", "IRN"),
])
def test_iso_and_other_list_forms_resolve(real_base, text, iso3):
    assert resolve(text, real_base) == iso3


def test_the_cache_fast_path_understands_the_same_forms(facts_copy):
    store.load(facts_copy)  # writes the cache
    base, iso3 = store.load_state(facts_copy, "Betaland (Republic of)")
    assert iso3 == "BET"
    assert list(base.countries) == ["BET"], "served from the cache, one state"


# --- treaties -----------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "treaty"), [
    ("apmbc", "apmbc"), ("OTTAWA", "apmbc"), ("Mine-Ban", "apmbc"), ("mine ban", "apmbc"),
    ("Mine Ban Convention", "apmbc"), ("mine", "apmbc"), ("ccm", "ccm"), ("Oslo", "ccm"),
    ("cluster munitions", "ccm"), ("Convention on Cluster Munitions", "ccm"),
])
def test_treaties_by_id_alias_name_or_unique_prefix(real_base, text, treaty):
    assert [t.id for t in resolve_treaty(real_base, text)] == [treaty]


def test_no_treaty_means_all_of_them(real_base):
    assert [t.id for t in resolve_treaty(real_base, None)] == ["apmbc", "ccm"]


def test_treaty_errors_suggest_and_never_pick(real_base):
    with pytest.raises(UsageError) as err:
        resolve_treaty(real_base, "ottowa")
    assert err.value.message == "no treaty matches 'ottowa' (known: apmbc, ccm)"
    assert err.value.suggestions == ("apmbc",)
    with pytest.raises(UsageError) as err:
        resolve_treaty(real_base, "convention")
    assert err.value.suggestions == ("apmbc", "ccm")


# --- donors -------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "donor"), [
    ("EU", "EU"), ("European Union", "EU"), ("europe", "EU"), ("USA", "USA"),
    ("United States of America", "USA"), ("Netherlands (Kingdom of the)", "NLD"),
    ("Holland", "NLD"), ("Deutschland", "DEU"), ("japan", "JPN"), ("united s", "USA"), ("Britain", "GBR"),
    ("NL", "NLD"), ("jp", "JPN"), ("deu", "DEU"),
])
def test_donors_by_id_name_or_any_name_of_their_state(real_base, text, donor):
    assert resolve_donor(real_base, text) == donor


def test_donor_errors_list_the_donors_and_suggest(real_base):
    with pytest.raises(UsageError) as err:
        resolve_donor(real_base, "Germny")
    assert err.value.message.startswith("no donor matches 'Germny' (donors with data: ")
    assert err.value.suggestions == ("Germany",)
    with pytest.raises(UsageError) as err:
        resolve_donor(real_base, "Chile")
    assert err.value.suggestions == ()


# --- the alias-collision check uses the same keys ----------------------------------------


@pytest.mark.parametrize(("alias", "other"), [
    ("Alphaland", "ALP"), ("Republic of ALPHA", "ALP"), ("AP", "ALP"), ("alp", "ALP"),
])
def test_an_alias_of_two_states_is_a_validation_error(alias, other):
    path = FIXTURE_FACTS / "countries" / "bet.toml"
    text = path.read_text(encoding="utf-8").replace('"Bêta",', f'"Bêta",\n    "{alias}",', 1)
    _, problems = store.check(FIXTURE_FACTS, {"countries/bet.toml": text})
    assert [p.message for p in problems] == [f"{alias!r} also names {other}"]


def test_two_scripts_of_one_name_collide_too():
    bet = FIXTURE_FACTS / "countries" / "bet.toml"
    zet = FIXTURE_FACTS / "countries" / "zet.toml"
    overrides = {
        "countries/bet.toml": bet.read_text(encoding="utf-8").replace('"Bêta",', '"Bêta",\n    "Łódź",', 1),
        "countries/zet.toml": zet.read_text(encoding="utf-8").replace('"Zed",', '"Zed",\n    "Lodz",', 1),
    }
    _, problems = store.check(FIXTURE_FACTS, overrides)
    assert [p.message for p in problems] == ["'Lodz' also names BET"]


def test_keys_of_holds_codes_name_and_aliases(real_base):
    assert keys_of(real_base.countries["RUS"])[:4] == ["rus", "ru", "russia", "russian federation"]


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
