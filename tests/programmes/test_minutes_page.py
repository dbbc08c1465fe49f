"""The minutes page: organisers assign the rapporteur, who writes, publishes and records action items;
participants read the published minutes in their language; nobody else sees anything."""

from __future__ import annotations

from django.test import Client

from events.models import ActionItem, Minutes


def _client(user=None, language=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    if language:
        client.cookies["django_language"] = language
    return client


def test_the_rapporteur_publishes_minutes_with_translations_and_records_two_action_items(prog, actors):
    url = f"/programmes/minutes/session/{prog.other_session.pk}/"
    organiser = _client(actors.organiser)
    assert organiser.post(url, {"step": "rapporteur", "rapporteur": prog.rapporteur.pk}).status_code == 302
    assert Minutes.objects.get(session=prog.other_session).rapporteur == prog.rapporteur

    rapporteur = _client(prog.rapporteur)
    saved = rapporteur.post(
        url,
        {
            "step": "minutes",
            "language": "en",
            "notes": "Cloud skills discussed.",
            "decisions": "Start a working group.",
            "notes_ar": "نوقشت مهارات الحوسبة السحابية.",
            "decisions_ar": "تشكيل فريق عمل.",
            "publish": "on",
        },
    )
    assert saved.status_code == 302
    minutes = Minutes.objects.get(session=prog.other_session)
    assert minutes.status == "published" and minutes.translations["ar"]["decisions"] == "تشكيل فريق عمل."
    for title in ("Digital-economy working group", "Exchange of cloud trainers"):
        recorded = rapporteur.post(
            url,
            {
                "step": "action",
                "title": title,
                "theme": "Digital-economy cooperation",
                "lead_organisation": prog.ministry_iq.pk,
                "due_date": "2027-04-30",
                "visibility": "public",
                "status": "agreed",
            },
        )
        assert recorded.status_code == 302
    items = ActionItem.objects.filter(source_session=prog.other_session)
    assert items.count() == 2 and {i.lead_country for i in items} == {"IQ"} and {i.status for i in items} == {"agreed"}

    arabic = _client(prog.delegate_iq, language="ar").get(url).content.decode()
    assert "تشكيل فريق عمل." in arabic and "Start a working group." not in arabic
    assert "Digital-economy working group" in arabic
    english = _client(prog.delegate_iq).get(url).content.decode()
    assert "Start a working group." in english
    # Readers get no forms.
    assert 'name="step"' not in english


def test_drafts_and_other_peoples_minutes_are_404_and_nobody_signed_out_sees_anything(prog):
    url = f"/programmes/minutes/session/{prog.session.pk}/"
    assert _client(prog.delegate_iq).get(url).status_code == 404  # still a draft
    assert _client(prog.rapporteur).get(url).status_code == 200
    assert _client(prog.delegate_iq).post(url, {"step": "minutes", "notes": "x", "language": "en"}).status_code == 404
    assert _client().get(url).status_code == 302
    assert _client(prog.rapporteur).get("/programmes/minutes/session/999999/").status_code == 404
    assert _client(prog.rapporteur).get("/programmes/minutes/meeting/999999/").status_code == 404


def test_bad_input_is_shown_on_the_form_never_a_500(prog, actors):
    url = f"/programmes/minutes/session/{prog.session.pk}/"
    rapporteur = _client(prog.rapporteur)
    bad = rapporteur.post(url, {"step": "minutes", "language": "en", "notes": "a\x1b[2Jb", "publish": "on"})
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()
    empty = rapporteur.post(url, {"step": "minutes", "language": "en", "notes": "", "publish": "on"})
    assert "Write the notes or decisions before publishing." in empty.content.decode()
    date = rapporteur.post(
        url, {"step": "action", "title": "x", "visibility": "public", "status": "agreed", "due_date": "3000-01-01"}
    )
    assert date.status_code == 200 and not ActionItem.objects.filter(title="x").exists()
    assert rapporteur.post(url, {"step": "rapporteur", "rapporteur": prog.rapporteur.pk}).status_code == 400
    assert rapporteur.post(url, {"step": "nonsense"}).status_code == 400
    assert Minutes.objects.get(session=prog.session).status == "draft"


def test_the_programme_page_lists_the_minutes_each_person_may_open(prog, actors):
    url = f"/programmes/minutes/session/{prog.session.pk}/"
    organiser = _client(actors.organiser).get("/programmes/dex-iraq/").content.decode()
    assert url in organiser and f"/programmes/minutes/session/{prog.other_session.pk}/" in organiser
    assert url in _client(prog.rapporteur).get("/programmes/dex-iraq/").content.decode()
    assert url not in _client(prog.delegate_iq).get("/programmes/dex-iraq/").content.decode()  # a draft
    Minutes.objects.filter(session=prog.session).update(status="published", notes="Done.")
    assert url in _client(prog.delegate_iq).get("/programmes/dex-iraq/").content.decode()
    assert url not in _client(actors.outsider).get("/programmes/dex-iraq/").content.decode()
