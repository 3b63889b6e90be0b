"""A pager that never counts: it fetches one row more than a page to know whether another follows.

On a large registry a search's total costs as much as the search itself; people page forward
through results and refine the search rather than jump to page 400.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


class Window(Generic[M]):
    def __init__(self, qs: QuerySet[M], page: str | int | None, per_page: int = 50) -> None:
        try:
            self.number = max(1, int(page or 1))
        except (TypeError, ValueError):
            self.number = 1
        start = (self.number - 1) * per_page
        rows = list(qs[start:start + per_page + 1])
        self.has_next = len(rows) > per_page
        self.object_list = rows[:per_page]

    def __iter__(self) -> Iterator[M]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1
