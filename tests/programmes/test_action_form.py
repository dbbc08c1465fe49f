"""The page of one action item and its progress form: granted members of the lead organisation,
organisers and rapporteurs move the status along the one transition table and add notes; an illegal
transition or a drop without a reason is shown on the form and nothing is saved; everyone else sees
no form, and a POST from them is a 403 (or a 404 when they may not even see the item)."""

from __future__ import annotations

from django.test import Client

from events.models import ActionItem, ActionItemUpdate


def _client(user=None, language=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    if language:
        client.cookies["django_language"] = language
    return client


def _post(client: Client, url: str, data: dict) -> object:
    """POST with the CSRF token the page's form carries (as a browser would)."""
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, {"csrfmiddlewaretoken": page.context["csrf_token"], **data})


def _url(item) -> str:
    return f"/programmes/actions/{item.pk}/"


def _status_options(html: str) -> list[str]:
    start = html.index('name="status"')
    select = html[start : html.index("</select>", start)]
    return [part.split('"', 1)[0] for part in select.split('<option value="')[1:]]


def test_the_lead_sees_only_the_next_statuses_and_moves_the_item_with_a_note(prog):
    lead = _client(prog.lead_lt)
    html = lead.get(_url(prog.public_item)).content.decode()
    assert 'id="progress-form"' in html and "csrfmiddlewaretoken" in html
    # Proposed: agreed or dropped next, nothing else.
    assert _status_options(html) == ["", "agreed", "dropped"]

    response = _post(lead, _url(prog.public_item), {"status": "agreed", "comment": "Signed in Vilnius"})
    assert response.status_code == 302 and response["Location"] == _url(prog.public_item)
    item = ActionItem.objects.get(pk=prog.public_item.pk)
    assert item.status == "agreed"
    entry = ActionItemUpdate.objects.filter(item=item).latest("id")
    assert entry.author == prog.lead_lt and entry.comment == "Signed in Vilnius"
    assert entry.changes == {"status": ["proposed", "agreed"]}
    after = lead.get(_url(prog.public_item)).content.decode()
    assert "Signed in Vilnius" in after and _status_options(after) == ["", "in_progress", "dropped"]


def test_a_note_without_a_status_change_is_recorded(prog):
    response = _post(_client(prog.lead_lt), _url(prog.public_item), {"status": "", "comment": "Drafting"})
    assert response.status_code == 302
    assert ActionItem.objects.get(pk=prog.public_item.pk).status == "proposed"
    assert ActionItemUpdate.objects.filter(item=prog.public_item, comment="Drafting").exists()


def test_an_illegal_transition_is_shown_on_the_form_and_nothing_is_saved(prog):
    before = ActionItemUpdate.objects.count()
    response = _post(_client(prog.lead_lt), _url(prog.public_item), {"status": "done", "comment": "All done"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "An action item moves from proposed to agreed, in progress and done, or is dropped." in html
    assert 'id="progress-form"' in html and "All done" in html  # the form again, with what was typed
    assert ActionItem.objects.get(pk=prog.public_item.pk).status == "proposed"
    assert ActionItemUpdate.objects.count() == before


def test_a_status_that_does_not_exist_and_an_empty_update_are_form_errors(prog):
    lead = _client(prog.lead_lt)
    bogus = _post(lead, _url(prog.public_item), {"status": "archived"})
    assert bogus.status_code == 200 and bogus.context["form"].errors
    empty = _post(lead, _url(prog.public_item), {"status": "", "comment": "  "})
    assert empty.status_code == 200 and "Write a note or change the status." in empty.content.decode()
    assert not ActionItemUpdate.objects.filter(item=prog.public_item).exists()


def test_dropping_needs_a_reason_and_a_closed_item_offers_no_next_status(prog):
    lead = _client(prog.lead_lt)
    refused = _post(lead, _url(prog.public_item), {"status": "dropped", "comment": ""})
    assert refused.status_code == 200 and "Say why the action item is dropped." in refused.content.decode()
    assert ActionItem.objects.get(pk=prog.public_item.pk).status == "proposed"

    dropped = _post(lead, _url(prog.public_item), {"status": "dropped", "dropped_reason": "Merged into another item"})
    assert dropped.status_code == 302
    item = ActionItem.objects.get(pk=prog.public_item.pk)
    assert item.status == "dropped" and item.dropped_reason == "Merged into another item"
    html = lead.get(_url(item)).content.decode()
    assert "Merged into another item" in html and _status_options(html) == [""]
    reopened = _post(lead, _url(item), {"status": "agreed"})
    assert "This action item is closed; its status no longer changes." in reopened.content.decode()
    assert ActionItem.objects.get(pk=item.pk).status == "dropped"


def test_organisers_and_rapporteurs_get_the_form_too(prog, actors):
    assert _post(_client(actors.organiser), _url(prog.officials_item), {"status": "in_progress"}).status_code == 302
    assert ActionItem.objects.get(pk=prog.officials_item.pk).status == "in_progress"
    assert _post(_client(prog.rapporteur), _url(prog.officials_item), {"status": "done"}).status_code == 302
    assert ActionItem.objects.get(pk=prog.officials_item.pk).status == "done"


def test_others_see_no_form_and_their_post_is_refused(prog, actors):
    url = _url(prog.officials_item)  # led by the Iraqi ministry: the Lithuanian lead is only an official here
    for user in (prog.lead_lt, prog.delegate_iq):
        client = _client(user)
        page = client.get(url)
        assert page.status_code == 200 and 'id="progress-form"' not in page.content.decode()
        refused = client.post(url, {"csrfmiddlewaretoken": page.context["csrf_token"], "status": "in_progress"})
        assert refused.status_code == 403
    # The public sees the public item without a form, and the officials' item not at all.
    for user in (None, actors.outsider, actors.candidate):
        client = _client(user)
        public = client.get(_url(prog.public_item))
        assert public.status_code == 200 and 'id="progress-form"' not in public.content.decode()
        token = public.context["csrf_token"]
        refused = client.post(_url(prog.public_item), {"csrfmiddlewaretoken": token, "status": "agreed"})
        assert refused.status_code == 403
        assert client.get(url).status_code == 404
        assert client.post(url, {"csrfmiddlewaretoken": token, "status": "in_progress"}).status_code == 404
    assert _client(actors.organiser).get("/programmes/actions/999999/").status_code == 404
    assert ActionItem.objects.get(pk=prog.officials_item.pk).status == "agreed"
    assert ActionItem.objects.get(pk=prog.public_item.pk).status == "proposed"
    assert not ActionItemUpdate.objects.exists()


def test_a_post_without_the_csrf_token_is_refused(prog):
    response = _client(prog.lead_lt).post(_url(prog.public_item), {"status": "agreed"})
    assert response.status_code == 403
    assert ActionItem.objects.get(pk=prog.public_item.pk).status == "proposed"


def test_the_roadmap_links_each_item_to_its_page(prog):
    html = _client(prog.lead_lt).get("/programmes/dex-iraq/roadmap").content.decode()
    assert f'href="{_url(prog.public_item)}"' in html and f'href="{_url(prog.officials_item)}"' in html


def test_the_form_in_arabic_is_right_to_left_and_translated(prog):
    html = _client(prog.lead_lt, language="ar").get(_url(prog.public_item)).content.decode()
    assert 'dir="rtl"' in html
    assert "Report progress" not in html and "Progress note" not in html
    assert "الإبلاغ عن التقدم" in html and "ملاحظة عن التقدم" in html and "إبقاء: مقترح" in html
    refused = _post(_client(prog.lead_lt, language="ar"), _url(prog.public_item), {"status": "done"})
    assert "ينتقل بند العمل من مقترح" in refused.content.decode()
    lithuanian = _client(prog.lead_lt, language="lt").get(_url(prog.public_item)).content.decode()
    assert "Pranešti apie pažangą" in lithuanian and "Nauja būsena" in lithuanian
