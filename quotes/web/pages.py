"""Page links for HTML lists: numbers to show and the query string each link carries."""
from dataclasses import dataclass, field

from flask import url_for


@dataclass
class Pager:
    """Where a list stands, and the links to its other pages."""

    page: int
    per_page: int
    total: int
    endpoint: str
    args: dict[str, str] = field(default_factory=dict)  # filters every page link carries along
    view_args: dict[str, int] = field(default_factory=dict)  # e.g. the speaker id in the path
    default_per_page: int = 20

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first_item(self) -> int:
        return min(self.total, (self.page - 1) * self.per_page + 1)

    @property
    def last_item(self) -> int:
        return min(self.total, self.page * self.per_page)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    def args_for(self, page: int) -> dict[str, str | int]:
        """Query arguments of the link to ``page``, filters included."""
        args: dict[str, str | int] = dict(self.args)
        args["page"] = page
        if self.per_page != self.default_per_page:
            args["per_page"] = self.per_page
        return args

    def url(self, page: int) -> str:
        """The link to ``page`` of this list."""
        return url_for(self.endpoint, **self.view_args, **self.args_for(page))

    def window(self, radius: int = 2) -> list[int | None]:
        """Page numbers to link: first, last and those near the current one; None marks a gap."""
        shown = sorted({1, self.pages, *range(max(1, self.page - radius), min(self.pages, self.page + radius) + 1)})
        out: list[int | None] = []
        for n in shown:
            if out and n - out[-1] > 1:
                out.append(None)
            out.append(n)
        return out
