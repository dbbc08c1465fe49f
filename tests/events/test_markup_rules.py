"""Two of axe's rules, checked on the served HTML: `listitem` (every <li> sits in a list) and
`page-has-heading-one` (the door scanner has an <h1> that is shown)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client

from tests.factories import EventFactory, UserFactory

LIST_ROLES = {"list", "listbox", "menu", "menubar", "tablist", "tree", "group", "directory"}


class _Outline(HTMLParser):
    """Records each <li>'s parent element (tag and role) and every <h1> with its hidden ancestors."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.li_parents: list[tuple[str, str | None]] = []
        self.h1s: list[bool] = []  # for each <h1>: is it (or an ancestor) hidden?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "li":
            parent = self.stack[-1] if self.stack else ("", {})
            self.li_parents.append((parent[0], parent[1].get("role")))
        if tag == "h1":
            self.h1s.append(any("hidden" in at for _, at in self.stack) or "hidden" in a)
        if tag not in self.VOID:
            self.stack.append((tag, a))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break


def _outline(html: str) -> _Outline:
    parser = _Outline()
    parser.feed(html)
    return parser


def _bad_list_items(html: str) -> list[tuple[str, str | None]]:
    # An <li> must be a child of <ul>/<ol>/<menu> whose role (if any) is still a list (axe: listitem).
    return [(tag, role) for tag, role in _outline(html).li_parents if tag not in ("ul", "ol", "menu") or role]


@pytest.mark.parametrize("language", ["en", "ar", "ckb"])
def test_the_language_switcher_holds_its_items_in_a_list(db, language):
    event = EventFactory(slug="fair")
    client = Client(headers={"accept-language": language})
    for path in ("/", f"/events/{event.slug}/", "/me/sign-in/"):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert 'class="languages"' in html
        assert _bad_list_items(html) == [], path


def test_the_signed_in_pages_list_items_are_in_lists(db):
    user = UserFactory(is_staff=True)
    client = Client()
    client.force_login(user)
    for path in ("/me/", "/me/day"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert _bad_list_items(response.content.decode()) == [], path


def test_the_scanner_has_a_visible_heading_one(db):
    event = EventFactory(slug="fair", title="Job fair")
    client = Client()
    client.force_login(UserFactory(is_staff=True))
    response = client.get(f"/checkin/{event.slug}/scan")
    assert response.status_code == 200
    outline = _outline(response.content.decode())
    assert outline.h1s and not all(outline.h1s), "the scanner needs an <h1> that is not hidden"
