"""The admin: programmes with their partners; minutes and action items to look up, never to change there."""

from __future__ import annotations

from events.models import ActionItem, Minutes


def test_programme_pages_open_with_their_partners(admin_client, prog):
    assert admin_client.get("/admin/events/programme/").status_code == 200
    page = admin_client.get(f"/admin/events/programme/{prog.programme.pk}/change/")
    assert page.status_code == 200
    assert "Ministry of Labour and Social Affairs" in page.content.decode()


def test_action_items_and_minutes_are_read_only_in_the_admin(admin_client, prog):
    item = prog.public_item
    assert admin_client.get("/admin/events/actionitem/").status_code == 200
    assert admin_client.get(f"/admin/events/actionitem/{item.pk}/change/").status_code == 200
    assert admin_client.get("/admin/events/actionitem/add/").status_code == 403
    response = admin_client.post(f"/admin/events/actionitem/{item.pk}/change/", {"title": "Changed", "status": "done"})
    assert response.status_code == 403
    assert ActionItem.objects.get(pk=item.pk).title == item.title
    minutes = Minutes.objects.get(session=prog.session)
    assert admin_client.get(f"/admin/events/minutes/{minutes.pk}/change/").status_code == 200
    assert admin_client.get(f"/admin/events/minutes/{minutes.pk}/delete/").status_code == 403
