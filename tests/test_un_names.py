"""Every state under the name the United Nations gives it resolves to its ISO alpha-3 code
on the real facts: these are the forms of the UN Treaty Collection's participant tables
(chapter XXVI-5 and XXVI-6) and of the UN list of member states, so a UN page, a user and
`landmine verify` all name states the same way."""

from __future__ import annotations

import pytest

from landmine_cli.countries import resolve

# The UN's short names of its 193 members, then the Holy See and the State of Palestine
# (non-member observer states) and the Cook Islands and Niue (states the Secretary-General
# accepts as parties to treaties open to "all States").
UN_NAMES = {
    "Afghanistan": "AFG", "Albania": "ALB", "Algeria": "DZA", "Andorra": "AND",
    "Angola": "AGO", "Antigua and Barbuda": "ATG", "Argentina": "ARG", "Armenia": "ARM",
    "Australia": "AUS", "Austria": "AUT", "Azerbaijan": "AZE", "Bahamas": "BHS",
    "Bahrain": "BHR", "Bangladesh": "BGD", "Barbados": "BRB", "Belarus": "BLR",
    "Belgium": "BEL", "Belize": "BLZ", "Benin": "BEN", "Bhutan": "BTN",
    "Bolivia (Plurinational State of)": "BOL", "Bosnia and Herzegovina": "BIH",
    "Botswana": "BWA", "Brazil": "BRA", "Brunei Darussalam": "BRN", "Bulgaria": "BGR",
    "Burkina Faso": "BFA", "Burundi": "BDI", "Cabo Verde": "CPV", "Cambodia": "KHM",
    "Cameroon": "CMR", "Canada": "CAN", "Central African Republic": "CAF", "Chad": "TCD",
    "Chile": "CHL", "China": "CHN", "Colombia": "COL", "Comoros": "COM", "Congo": "COG",
    "Costa Rica": "CRI", "Côte d'Ivoire": "CIV", "Croatia": "HRV", "Cuba": "CUB",
    "Cyprus": "CYP", "Czechia": "CZE", "Democratic People's Republic of Korea": "PRK",
    "Democratic Republic of the Congo": "COD", "Denmark": "DNK", "Djibouti": "DJI",
    "Dominica": "DMA", "Dominican Republic": "DOM", "Ecuador": "ECU", "Egypt": "EGY",
    "El Salvador": "SLV", "Equatorial Guinea": "GNQ", "Eritrea": "ERI", "Estonia": "EST",
    "Eswatini": "SWZ", "Ethiopia": "ETH", "Fiji": "FJI", "Finland": "FIN", "France": "FRA",
    "Gabon": "GAB", "Gambia": "GMB", "Georgia": "GEO", "Germany": "DEU", "Ghana": "GHA",
    "Greece": "GRC", "Grenada": "GRD", "Guatemala": "GTM", "Guinea": "GIN",
    "Guinea-Bissau": "GNB", "Guyana": "GUY", "Haiti": "HTI", "Honduras": "HND",
    "Hungary": "HUN", "Iceland": "ISL", "India": "IND", "Indonesia": "IDN",
    "Iran (Islamic Republic of)": "IRN", "Iraq": "IRQ", "Ireland": "IRL", "Israel": "ISR",
    "Italy": "ITA", "Jamaica": "JAM", "Japan": "JPN", "Jordan": "JOR", "Kazakhstan": "KAZ",
    "Kenya": "KEN", "Kiribati": "KIR", "Kuwait": "KWT", "Kyrgyzstan": "KGZ",
    "Lao People's Democratic Republic": "LAO", "Latvia": "LVA", "Lebanon": "LBN",
    "Lesotho": "LSO", "Liberia": "LBR", "Libya": "LBY", "Liechtenstein": "LIE",
    "Lithuania": "LTU", "Luxembourg": "LUX", "Madagascar": "MDG", "Malawi": "MWI",
    "Malaysia": "MYS", "Maldives": "MDV", "Mali": "MLI", "Malta": "MLT",
    "Marshall Islands": "MHL", "Mauritania": "MRT", "Mauritius": "MUS", "Mexico": "MEX",
    "Micronesia (Federated States of)": "FSM", "Monaco": "MCO", "Mongolia": "MNG",
    "Montenegro": "MNE", "Morocco": "MAR", "Mozambique": "MOZ", "Myanmar": "MMR",
    "Namibia": "NAM", "Nauru": "NRU", "Nepal": "NPL", "Netherlands (Kingdom of the)": "NLD",
    "New Zealand": "NZL", "Nicaragua": "NIC", "Niger": "NER", "Nigeria": "NGA",
    "North Macedonia": "MKD", "Norway": "NOR", "Oman": "OMN", "Pakistan": "PAK",
    "Palau": "PLW", "Panama": "PAN", "Papua New Guinea": "PNG", "Paraguay": "PRY",
    "Peru": "PER", "Philippines": "PHL", "Poland": "POL", "Portugal": "PRT", "Qatar": "QAT",
    "Republic of Korea": "KOR", "Republic of Moldova": "MDA", "Romania": "ROU",
    "Russian Federation": "RUS", "Rwanda": "RWA", "Saint Kitts and Nevis": "KNA",
    "Saint Lucia": "LCA", "Saint Vincent and the Grenadines": "VCT", "Samoa": "WSM",
    "San Marino": "SMR", "Sao Tome and Principe": "STP", "Saudi Arabia": "SAU",
    "Senegal": "SEN", "Serbia": "SRB", "Seychelles": "SYC", "Sierra Leone": "SLE",
    "Singapore": "SGP", "Slovakia": "SVK", "Slovenia": "SVN", "Solomon Islands": "SLB",
    "Somalia": "SOM", "South Africa": "ZAF", "South Sudan": "SSD", "Spain": "ESP",
    "Sri Lanka": "LKA", "Sudan": "SDN", "Suriname": "SUR", "Sweden": "SWE",
    "Switzerland": "CHE", "Syrian Arab Republic": "SYR", "Tajikistan": "TJK",
    "Thailand": "THA", "Timor-Leste": "TLS", "Togo": "TGO", "Tonga": "TON",
    "Trinidad and Tobago": "TTO", "Tunisia": "TUN", "Türkiye": "TUR",
    "Turkmenistan": "TKM", "Tuvalu": "TUV", "Uganda": "UGA", "Ukraine": "UKR",
    "United Arab Emirates": "ARE",
    "United Kingdom of Great Britain and Northern Ireland": "GBR",
    "United Republic of Tanzania": "TZA", "United States of America": "USA",
    "Uruguay": "URY", "Uzbekistan": "UZB", "Vanuatu": "VUT",
    "Venezuela (Bolivarian Republic of)": "VEN", "Viet Nam": "VNM", "Yemen": "YEM",
    "Zambia": "ZMB", "Zimbabwe": "ZWE",
    "Holy See": "VAT", "State of Palestine": "PSE", "Cook Islands": "COK", "Niue": "NIU",
}

# Other forms found on UN pages: older participant names, the UN member list's
# "Gambia (Republic of The)", and the forms the issues name.
OTHER_UN_FORMS = {
    "Bahamas (The)": "BHS", "Gambia (Republic of The)": "GMB", "Bolivia": "BOL",
    "Venezuela": "VEN", "Swaziland": "SWZ", "Turkey": "TUR", "Cape Verde": "CPV",
    "Czech Republic": "CZE", "The former Yugoslav Republic of Macedonia": "MKD",
    "Libyan Arab Jamahiriya": "LBY", "Côte d’Ivoire": "CIV", "Sao Tomé and Principe": "STP",
    "Lao People’s Democratic Republic": "LAO", "Democratic People’s Republic of Korea": "PRK",
}


def test_the_list_names_each_state_of_the_fact_base_once(real_base):
    assert len(UN_NAMES) == 197
    assert sorted(UN_NAMES.values()) == sorted(real_base.countries)


@pytest.mark.parametrize(("name", "iso3"), sorted(UN_NAMES.items()))
def test_each_un_name_resolves(real_base, name, iso3):
    assert resolve(name, real_base) == iso3


@pytest.mark.parametrize(("name", "iso3"), sorted(OTHER_UN_FORMS.items()))
def test_other_un_forms_resolve(real_base, name, iso3):
    assert resolve(name, real_base) == iso3


# The UN forms that differ from the fact base's own names, whichever way the command line
# finds a state (the cache's name index, or the whole fact base).
_DIFFERENT = {
    "Bolivia (Plurinational State of)", "Brunei Darussalam", "Democratic People's Republic of Korea",
    "Iran (Islamic Republic of)", "Lao People's Democratic Republic",
    "Micronesia (Federated States of)", "Netherlands (Kingdom of the)", "Republic of Korea",
    "Republic of Moldova", "Russian Federation", "State of Palestine", "Syrian Arab Republic",
    "United Kingdom of Great Britain and Northern Ireland", "United Republic of Tanzania",
    "United States of America", "Venezuela (Bolivarian Republic of)", "Sao Tome and Principe",
}


@pytest.mark.parametrize(("name", "iso3"), sorted((n, UN_NAMES[n]) for n in _DIFFERENT))
def test_un_names_work_on_the_command_line(real_cli, name, iso3):
    result = real_cli("status", name, "--json")
    assert result.exit_code == 0, result.stderr
    assert f'"iso3": "{iso3}"' in result.stdout
