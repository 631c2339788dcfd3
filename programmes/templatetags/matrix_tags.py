"""The skills matrix's cell, rendered in Python: a large team's matrix has thousands of
cells, and an ``{% include %}`` per cell made the page mostly template overhead (a
165-person team took 0.6 s and more; see README, Performance)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ..selectors_matrix import MatrixCell

register = template.Library()

GLYPHS = {"at": "●", "above": "▲"}  # below and not assessed: ▼
NOT_ASSESSED = "\u2013"  # an en dash, as printed in the cell


@register.simple_tag
def matrix_cell(cell: MatrixCell, *, viewer, assess_url: str) -> SafeString:
    """One ``<td>``: the level against the target (numbers and a symbol, never colour
    alone), what it means for screen readers, where it came from, and — for anyone but
    the viewer themself — a link to record an assessment."""
    member_id, skill_id = cell.member.pk, cell.column.skill.pk
    status = cell.status
    far = " mx-far" if status == "below" and cell.shortfall >= 2 else ""
    level = NOT_ASSESSED if cell.level is None else cell.level
    said = f", {cell.status_label}" + (f", {cell.source_label}" if cell.current else "")
    body = format_html(
        '<span class="mx-value"><span class="mx-level">{}</span>/{} '
        '<span aria-hidden="true">{}</span></span><span class="visually-hidden">{}</span>',
        level,
        cell.target,
        GLYPHS.get(status, "▼"),
        said,
    )
    if cell.source_short:
        source = '<span class="mx-source" aria-hidden="true">{}</span>'
        body += format_html(source, cell.source_short)
    if member_id != viewer.pk:
        link = f"{assess_url}?member={member_id}&skill={skill_id}"
        body = format_html(
            '<a class="mx-cell-link" href="{}" data-hx-get="{}">{}'
            '<span class="visually-hidden"> (change)</span></a>',
            link,
            link,
            body,
        )
    return format_html(
        '<td id="cell-{}-{}" class="mx-cell mx-{}{}">{}</td>',
        member_id,
        skill_id,
        status,
        far,
        body,
    )
