"""On a phone, in Arabic and in Lithuanian: an official opens the invitation email, accepts, states a
bilateral wish (meeting a validation error on the way), an organiser runs the scheduler, and the
official sees the booked meeting; it went to both sides as a calendar invitation."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from events import memberships
from events.invitations import Invitee, invitation_create_many
from events.models import CalendarDelivery, Registration, User
from matching.models import BilateralWish, Meeting
from tests.a11y.test_axe import TAGS, _axe, _blocking
from tests.browser import phone_page
from tests.conftest import requires_chromium
from tests.matching.dialogue_setup import build_dialogue

SHOTS = "/tmp/explorers-pages"
PASSWORD = "scheduler-pass-1"

# (language, the new official's delegation and institution, the institution they ask to meet, what
# "this field is required" reads like in that language, the label of the accept button)
CASES = {
    "ar": ("IQ", "molsa", "socmin", "هذا الحقل مطلوب"),
    "lt": ("LT", "migration", "moc", "Šis laukas yra privalomas"),
}


@requires_chromium
@pytest.mark.browser
@pytest.mark.parametrize("language", ["ar", "lt"])
def test_an_official_goes_from_the_invitation_to_a_booked_meeting(live_server, transactional_db, settings, language):
    delegation, own, wanted, required = CASES[language]
    settings.SITE_URL = live_server.url
    d = build_dialogue()
    d.organiser.set_password(PASSWORD)
    d.organiser.save()
    mail.outbox.clear()
    invitation_create_many(
        event=d.event,
        invitees=[Invitee(email="new.official@gov.example", full_name="Dana Official")],
        role=Registration.Role.OFFICIAL,
        delegation=delegation,
        organisation=d.orgs[own],
        language=language,
    )
    official = User.objects.get(email="new.official@gov.example")
    # The organiser confirms the invited official as a member of their institution.
    memberships.membership_grant(user=official, organisation=d.orgs[own], by=d.organiser)
    invitation = next(m for m in mail.outbox if "new.official@gov.example" in m.to and "/me/link/" in m.body)
    link = re.search(r"https?://\S+/me/link/\S+/", invitation.body).group(0)
    assert link.startswith(live_server.url)
    target = d.orgs[wanted]
    slug = d.event.slug
    axe = _axe()
    problems: dict[str, list[str]] = {}

    def check(page, name: str) -> None:
        # axe-core on the page as the person sees it: no serious or critical violation.
        if found := _blocking(axe.run(page, options={"runOnly": {"type": "tag", "values": TAGS}}).response):
            problems[name] = found

    with phone_page(locale=language) as page:
        page.goto(link)
        assert page.evaluate("document.documentElement.lang") == language
        assert page.evaluate("document.documentElement.dir") == ("rtl" if language == "ar" else "ltr")
        page.click("button[name=answer][value=accept]")
        page.wait_for_selector(".messages")
        page.click(f"a[href='/matching/{slug}/dialogue/']")
        page.wait_for_selector("#delegations-title")
        delegations = page.inner_text("section[aria-labelledby=delegations-title]")
        assert "Rūta Kazlauskienė" in delegations and "Tomas Petrauskas" not in delegations
        page.screenshot(path=f"{SHOTS}/dialogue-official-{language}.png", full_page=True)
        check(page, "dialogue page")
        page.click(f"a[href='/matching/{slug}/dialogue/wishes/']")
        # Sent without choosing whom: the form says what is missing, in the reader's language.
        page.click("#wish-form button[type=submit]")
        page.wait_for_selector("#wish-form .error")
        assert required in page.inner_text("#wish-form")
        check(page, "wishes form with an error")
        page.select_option("#id_target", f"org:{target.pk}")
        page.check(f"#wish-form input[name=topics][value='{d.topics[0].pk}']")
        page.select_option("#id_weight", "5")
        page.click("#wish-form button[type=submit]")
        page.wait_for_selector("#wish-list")
        assert target.name in page.inner_text("#wish-list")
        page.screenshot(path=f"{SHOTS}/dialogue-wishes-{language}.png", full_page=True)

    wish = BilateralWish.objects.get(official=official)
    assert (wish.counterpart, wish.weight, list(wish.topics.all())) == (target, 5, [d.topics[0]])

    with phone_page(locale=language, viewport={"width": 1280, "height": 900}, is_mobile=False) as page:
        page.goto(f"{live_server.url}/me/sign-in/?next=/matching/{slug}/dialogue/scheduler/")
        page.fill("#id_username", d.organiser.email)
        page.fill("#id_password", PASSWORD)
        page.click("form[action='/me/sign-in/'] button[type=submit]")
        page.wait_for_selector("#published-slots")
        page.click("#run-scheduler")
        page.wait_for_selector("#booked", timeout=20_000)
        assert "Dana Official" in page.inner_text("#booked")
        page.screenshot(path=f"{SHOTS}/dialogue-scheduler-{language}.png", full_page=True)
        check(page, "scheduler")

    assert problems == {}, problems
    booked = list(Meeting.objects.filter(event=d.event, source="bilateral", status="booked"))
    published = {(s.starts_at, s.ends_at, s.room_id) for s in d.slots}
    assert [(m.candidate, m.organisation) for m in booked] == [(official, target)]
    # Only the published bilateral slots and their rooms: never the Plenary Hall, never another time.
    assert {(m.starts_at, m.ends_at, m.room_id) for m in booked} <= published
    meeting = booked[0]
    # Both sides got the meeting as a calendar invitation.
    invited = set(CalendarDelivery.objects.filter(method="REQUEST", uid__startswith=f"meeting-{meeting.pk}@"))
    assert {c.recipient for c in invited} >= {official.email}
    assert len({c.recipient for c in invited}) == 2
    room = meeting.room.name

    with phone_page(locale=language) as page:
        page.goto(link)
        page.goto(f"{live_server.url}/matching/{slug}/dialogue/")
        mine = page.inner_text("#my-meetings")
        assert target.name in mine and room in mine
        page.screenshot(path=f"{SHOTS}/dialogue-booked-{language}.png", full_page=True)
