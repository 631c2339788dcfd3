"""Filters for message templates (``{% load notification_tags %}``)."""

from datetime import datetime

from django import template
from django.utils.dateformat import format as format_date

from peertrain.core.links import absolute_url

register = template.Library()

# How a moment reads in a message, naming the reader's zone ("Tuesday 01 December, 14:00 GMT").
WHEN = "l d F, H:i T"
DAY = "l d F"


@register.filter(expects_localtime=True)
def when(value: datetime, part: str = "") -> str:
    """A date and time in the reader's time zone (``notify`` renders in it); ``when:"day"``
    for the day alone."""
    return format_date(value, DAY if part == "day" else WHEN)


@register.filter
def absolute(path: str) -> str:
    """A link for a message read outside the site: ``{{ session.get_absolute_url|absolute }}``."""
    return absolute_url(path)
