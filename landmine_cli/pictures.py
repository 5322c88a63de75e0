"""What the map and the charts share: the colour of each status, SVG text escaping, the
standalone HTML page, and writing a picture as SVG, PNG or HTML by the file's suffix.

Colours are keyed by the Status enum's values, so a new status needs only a colour here
(a test checks that every status has one). Nothing here loads anything from the network:
the HTML page inlines its SVG, style and script.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape as _escape

from . import files
from .errors import UsageError, WriteError
from .models import Status

# Colour-blind-safe enough to tell in-force from leaving from outside: greens for in or on
# the way in, blue for signed only, orange then red for leaving then left, purple for never.
STATUS_COLOURS: dict[str, str] = {
    "party": "#2f9e44",
    "joining": "#8ce99a",
    "signatory": "#4dabf7",
    "withdrawing": "#f08c00",
    "withdrawn": "#c92a2a",
    "not_joined": "#9775fa",
    "not_a_state": "#f8f9fa",
    "unknown": "#adb5bd",
}
STATUS_LABELS: dict[str, str] = {
    "not_joined": "Not joined",
    "not_a_state": "Not yet a state",
}
OTHER_LAND = "#f1f3f5"
SEA = "#ffffff"
INK = "#212529"
FAINT = "#868e96"
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"

# Kinds of change between two dates (`landmine map --changes`), in legend order.
CHANGE_COLOURS: dict[str, str] = {
    "joined": "#2f9e44",
    "signed": "#4dabf7",
    "started withdrawing": "#f08c00",
    "withdrew": "#c92a2a",
    "other change": "#9775fa",
    "unchanged": "#dee2e6",
}

FORMATS = {".svg": "svg", ".png": "png", ".html": "html", ".htm": "html"}


def statuses() -> list[str]:
    """Every status, in the enum's order (the legend's)."""
    return [str(s) for s in Status]


def colour(status: str) -> str:
    return STATUS_COLOURS[status]


def label(status: str) -> str:
    return STATUS_LABELS.get(status, status.replace("_", " ").capitalize())


def esc(text: object) -> str:
    """Text or attribute value, escaped for XML."""
    return _escape(str(text), {'"': "&quot;"})


def num(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def format_of(path: Path) -> str:
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        raise UsageError(f"-o {path}: the file name must end in .svg, .png or .html")
    return found


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ margin: 0; padding: 12px; background: #fff; color: {ink}; font-family: {font}; }}
svg {{ display: block; max-width: 100%; height: auto; }}
[data-tip] {{ cursor: default; }}
[data-tip]:hover {{ stroke: {ink}; stroke-width: 0.8; }}
#tip {{ position: fixed; display: none; pointer-events: none; max-width: 28em;
  padding: 6px 8px; background: #fff; border: 1px solid {ink}; border-radius: 3px;
  font-size: 13px; line-height: 1.35; white-space: pre-line; box-shadow: 0 1px 4px #0003; }}
</style>
</head>
<body>
{svg}
<div id="tip" role="tooltip"></div>
<script>
(function () {{
  var tip = document.getElementById("tip");
  function text(el) {{
    var t = el.querySelector("title");
    return t ? t.textContent : "";
  }}
  document.addEventListener("mouseover", function (e) {{
    var el = e.target.closest ? e.target.closest("[data-tip]") : null;
    if (!el) {{ tip.style.display = "none"; return; }}
    tip.textContent = text(el);
    tip.dataset.for = el.id || "";
    tip.style.display = "block";
  }});
  document.addEventListener("mousemove", function (e) {{
    var x = e.clientX + 14, y = e.clientY + 14;
    if (x + tip.offsetWidth > window.innerWidth) x = e.clientX - tip.offsetWidth - 8;
    if (y + tip.offsetHeight > window.innerHeight) y = e.clientY - tip.offsetHeight - 8;
    tip.style.left = x + "px"; tip.style.top = y + "px";
  }});
}})();
</script>
</body>
</html>
"""


def html_page(svg: str, title: str) -> str:
    """A standalone page: the SVG inline, and a tooltip that shows an element's <title>."""
    body = svg.split("?>", 1)[1].lstrip() if svg.startswith("<?xml") else svg
    return _PAGE.format(title=esc(title), svg=body, ink=INK, font=FONT)


def to_png(svg: str, scale: float = 2.0) -> bytes:
    """The SVG rasterised by CairoSVG (the `maps` extra; it needs the Cairo library)."""
    try:
        import cairosvg
    except (ImportError, OSError) as err:
        raise UsageError(
            "PNG output needs CairoSVG and the Cairo library: pip install 'landmine[maps]' "
            f"(and, on Debian or Ubuntu, apt-get install libcairo2); {err}"
        ) from None
    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=scale, background_color=SEA)


def write(path: Path, svg: str, title: str) -> str:
    """Write the picture in the format the file name asks for, atomically (files.py: the
    old file or the new one, never a part); returns that format. Raises UsageError for a
    name without a known suffix or PNG without CairoSVG, WriteError (exit 5) when the file
    cannot be written."""
    kind = format_of(path)
    if kind == "png":
        data = to_png(svg)
    elif kind == "html":
        data = html_page(svg, title).encode("utf-8")
    else:
        data = svg.encode("utf-8")
    try:
        files.write_atomic(path, data)
    except OSError as err:
        raise WriteError(f"-o {path}: cannot write: {err.strerror or err}; nothing was changed") from None
    return kind
