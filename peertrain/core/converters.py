"""URL converters. ``<id:pk>`` is ``<int:pk>`` bounded to what a database id column holds:
Django's ``int`` accepts any number of digits, and a 20-digit id in a raw query or a
foreign-key filter overflows the driver (a 500 instead of a 404)."""

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"  # below 2**63: fits PostgreSQL's bigint and SQLite's integer

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")
