"""QR codes as inline SVG, drawn on the server (no JavaScript, no image request)."""

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(data: str, *, title: str) -> SafeString:
    """A scalable SVG of ``data``; CSS sets its size. segno escapes ``title`` itself."""
    code = segno.make(data, error="m")
    svg = code.svg_inline(
        omitsize=True,  # viewBox only, so the page decides how big it is
        border=4,  # the quiet zone scanners need
        dark="#000",
        light="#fff",
        title=title,
        svgclass="check-in-qr",
        lineclass=None,
    )
    return mark_safe(svg)  # noqa: S308 - segno's own markup; the only text in it is escaped
