"""Write a synthetic facts folder N times the size of the real one, for benchmarks.

    python bench/synth.py 100 /tmp/facts-100x

Every real state is copied N times as a new record with its codes suffixed by the copy
number (FIN-7, FI-7; events, reasons and sources kept, dates unchanged), and funding grows
to about 500 x N contributions, so the result validates like the real base and exercises
the same code paths.
"""

from __future__ import annotations

import shutil
import sys
import tomllib
from pathlib import Path

import tomli_w

REAL = Path(__file__).resolve().parent.parent / "facts"


def main(scale: int, out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    (out / "countries").mkdir(parents=True)
    for name in ("meta.toml", "treaties.toml", "sources.toml", "figures.toml"):
        shutil.copy(REAL / name, out / name)
    real = [tomllib.loads(p.read_text(encoding="utf-8")) for p in sorted((REAL / "countries").glob("*.toml"))]
    donors = []
    for copy in range(scale):
        for doc in real:
            country = dict(doc["country"])
            if copy:
                country["iso3"] = f"{country['iso3']}-{copy}"
                country["iso2"] = f"{country['iso2']}-{copy}"
                country["name"] = f"{country['name']} {copy}"
                country["aliases"] = [f"{a} {copy}" for a in country.get("aliases", [])]
                if "part_of" in country:
                    country["part_of"] = f"{country['part_of']}-{copy}"
            events = [e | {"counterpart": f"{e['counterpart']}-{copy}"} if copy and "counterpart" in e else e
                      for e in doc.get("events", [])]
            text = tomli_w.dumps(doc | {"country": country} | ({"events": events} if events else {}))
            (out / "countries" / f"{country['iso3'].lower()}.toml").write_text(text, encoding="utf-8")
            donors.append(country["iso3"])
    funding = tomllib.loads((REAL / "funding.toml").read_text(encoding="utf-8"))
    source = funding["contributions"][0]["sources"]
    # Every figure names its edition; the latest one covers every synthetic year.
    figures = tomllib.loads((REAL / "figures.toml").read_text(encoding="utf-8"))
    edition = max(figures["editions"], key=lambda e: e["covers"])
    wanted = 500 * scale
    years = range(2000, edition["covers"] + 1)
    extra_donors = donors[: wanted // len(years) + 1]
    funding["donors"] += [{"id": f"D-{code}", "name": f"Donor {code}", "iso3": code} for code in extra_donors]
    for code in extra_donors:
        for year in years:
            funding["contributions"].append(
                {"donor": f"D-{code}", "year": year, "amount_usd": 1_000_000 + year, "sources": source,
                 "edition": edition["id"]}
            )
    (out / "funding.toml").write_text(tomli_w.dumps(funding))


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]))
