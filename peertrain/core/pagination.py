"""Pages of a long list without a COUNT(*): fetch one row more than a page to know whether
there is a next one. Keeps list pages to a fixed, small number of queries."""

from django.core.paginator import Paginator
from django.db.models import QuerySet

# Beyond this an OFFSET is pointless, and a huge number would overflow the database's integer.
MAX_PAGE = 10_000


class PageWithoutCount:
    def __init__(self, queryset: QuerySet, *, number: str | int | None, size: int):
        try:
            self.number = min(max(int(number or 1), 1), MAX_PAGE)
        except (TypeError, ValueError):
            self.number = 1
        start = (self.number - 1) * size
        rows = list(queryset[start : start + size + 1])
        self.object_list = rows[:size]
        self.has_next = len(rows) > size
        self.has_previous = self.number > 1
        self.next_page_number = self.number + 1
        self.previous_page_number = self.number - 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


class KnownCountPaginator(Paginator):
    """A Paginator told its total by the caller, for lists whose COUNT(*) would cost as much
    as the list itself (an aggregate) while a cheaper query gives the same number."""

    def __init__(self, object_list, per_page, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count
