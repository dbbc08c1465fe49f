"""Registration's rules at their edges: who takes a freed seat, what counts against capacity, when
registration is open, answering invitations, status changes, and what a typed address may change.

Each test would fail if the rule it is named for were flipped, moved by one, or dropped (mutation
testing found these unguarded; docs/testing.md). Emails leave after the commit, so tests that read
them run the commit callbacks.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation
from django_q.conf import Conf
from django_q.models import OrmQ
from django_q.signing import SignedPackage

from checkin.models import Ticket
from events import services, tasks
from events.exceptions import AlreadyRegistered, InvalidTransition, RegistrationClosed
from events.models import ApiToken, Consent, Event, Membership, Organisation, Registration, User
from tests.factories import EventFactory, OrganisationFactory, UserFactory


@pytest.fixture(autouse=True)
def _english():
    # Refusals are read in English here, whatever language an earlier test left active.
    with translation.override("en"):
        yield


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a service and what it scheduled after its commit (the emails)."""

    def run(func, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(**kwargs)

    return run


def register(event, name, **kwargs) -> Registration:
    return services.registration_create(
        event=event, email=f"{name.lower()}@example.org", full_name=name.title(), **kwargs
    )


def status_of(registration: Registration) -> str:
    registration.refresh_from_db()
    return registration.status


def subjects_to(address: str) -> list[str]:
    """Subjects of the emails to `address`, leaving out calendar emails sent on their own (no HTML part:
    updates, cancellations, sessions). A confirmation that carries the event's invitation counts."""
    return [
        m.subject
        for m in mail.outbox
        if m.to == [address] and any(mimetype == "text/html" for _c, mimetype in m.alternatives)
    ]


def calendar_mails_to(address: str) -> int:
    return sum(
        1
        for m in mail.outbox
        if m.to == [address] and any(mimetype.startswith("text/calendar") for _c, mimetype in m.alternatives)
    )


# Who takes a freed seat


def test_freed_seat_goes_to_whoever_waited_longest_not_the_oldest_registration(db, commit):
    event = EventFactory(capacity=1)
    holder = register(event, "holder")
    early = register(event, "early")  # an older registration (lower id) ...
    services.registration_cancel(registration=early)
    patient = register(event, "patient")
    assert status_of(patient) == Registration.Status.WAITLISTED
    again = register(event, "early")  # ... back on the waitlist after `patient`, on its old row
    assert again.pk == early.pk and again.pk < patient.pk
    mail.outbox.clear()
    commit(services.registration_cancel, registration=holder)
    assert status_of(patient) == Registration.Status.REGISTERED
    assert status_of(again) == Registration.Status.WAITLISTED
    assert subjects_to("patient@example.org") == [f"A place opened up for you: {event.title}"]
    assert subjects_to("early@example.org") == []


def test_a_promoted_person_gets_the_calendar_invitation(db, commit):
    event = EventFactory(capacity=1)
    holder = register(event, "holder")
    register(event, "waiting")
    mail.outbox.clear()
    commit(services.registration_cancel, registration=holder)
    assert calendar_mails_to("waiting@example.org") == 1


def test_waiting_time_decides_even_against_a_lower_id(db):
    event = EventFactory(capacity=1)
    holder = register(event, "holder")
    first, second = register(event, "first"), register(event, "second")
    # The second person has waited longer (their place on the list was restored by an organiser).
    Registration.objects.filter(pk=second.pk).update(waitlisted_at=timezone.now() - timedelta(days=1))
    services.registration_cancel(registration=holder)
    assert (status_of(first), status_of(second)) == (Registration.Status.WAITLISTED, Registration.Status.REGISTERED)


def test_more_seats_promote_as_many_people_in_waiting_order(db, commit):
    event = EventFactory(capacity=1)
    register(event, "holder")
    waiting = [register(event, name) for name in ("one", "two", "three")]
    mail.outbox.clear()
    commit(services.event_update, event=event, capacity=3)
    assert [status_of(r) for r in waiting] == [
        Registration.Status.REGISTERED,
        Registration.Status.REGISTERED,
        Registration.Status.WAITLISTED,
    ]
    assert sorted(m.to[0] for m in mail.outbox if m.subject.startswith("A place opened up")) == [
        "one@example.org",
        "two@example.org",
    ]
    promoted = Registration.objects.get(pk=waiting[0].pk)
    assert promoted.waitlisted_at is None


def test_a_promotion_with_nobody_waiting_changes_nothing(db):
    event = EventFactory(capacity=1)
    holder = register(event, "holder")
    services.registration_cancel(registration=holder)
    assert list(event.registrations.values_list("status", flat=True)) == [Registration.Status.CANCELLED]


def test_cancelling_twice_promotes_nobody_the_second_time(db):
    event = EventFactory(capacity=1)
    holder = register(event, "holder")
    waiting = register(event, "waiting")
    services.registration_cancel(registration=holder)
    late = register(event, "late")
    again = services.registration_cancel(registration=holder)
    assert again.status == Registration.Status.CANCELLED
    assert (status_of(waiting), status_of(late)) == (Registration.Status.REGISTERED, Registration.Status.WAITLISTED)


def test_cancelling_a_waitlisted_person_takes_them_off_the_list(db):
    event = EventFactory(capacity=1)
    register(event, "holder")
    waiting = register(event, "waiting")
    assert waiting.waitlisted_at is not None
    cancelled = services.registration_cancel(registration=waiting)
    assert cancelled.status == Registration.Status.CANCELLED and cancelled.waitlisted_at is None


# What counts against capacity


def test_the_last_seat_is_taken_and_the_next_person_waits(db, commit):
    event = EventFactory(capacity=2)
    seated = [register(event, "one"), register(event, "two")]
    mail.outbox.clear()
    third = commit(register, event=event, name="three")
    assert [r.status for r in seated] == [Registration.Status.REGISTERED] * 2
    assert third.status == Registration.Status.WAITLISTED and third.waitlisted_at is not None
    assert subjects_to("three@example.org") == [f"You are on the waitlist: {event.title}"]


def test_a_registered_person_has_no_waitlist_time(db, commit):
    registration = commit(register, event=EventFactory(capacity=5), name="one")
    assert registration.status == Registration.Status.REGISTERED and registration.waitlisted_at is None
    assert subjects_to("one@example.org")[0].startswith("You are registered")


def test_an_event_without_capacity_never_waitlists(db):
    event = EventFactory(capacity=None)
    assert {register(event, f"p{i}").status for i in range(3)} == {Registration.Status.REGISTERED}


def test_invited_waitlisted_and_cancelled_people_hold_no_seat(db):
    event = EventFactory(capacity=1)
    invited = register(event, "guest", invited=True, by_organiser=True)
    assert invited.status == Registration.Status.INVITED
    cancelled = register(event, "gone")
    services.registration_cancel(registration=cancelled)
    assert register(event, "seated").status == Registration.Status.REGISTERED
    assert register(event, "waiting").status == Registration.Status.WAITLISTED


# When registration is open


def test_closed_registration_refuses_people_but_not_organisers_or_invitations(db):
    event = EventFactory(registration_open=False)
    with pytest.raises(RegistrationClosed, match=r"^Registration for this event is closed\.$"):
        register(event, "person")
    assert register(event, "chosen", by_organiser=True).status == Registration.Status.REGISTERED
    assert register(event, "guest", invited=True).status == Registration.Status.INVITED


def test_an_unpublished_event_refuses_people(db):
    event = EventFactory(status=Event.Status.DRAFT)
    with pytest.raises(RegistrationClosed):
        register(event, "person")
    assert register(event, "chosen", by_organiser=True).status == Registration.Status.REGISTERED


def test_an_ended_event_refuses_even_invitations_but_not_organisers(db):
    event = EventFactory(status=Event.Status.CLOSED)
    with pytest.raises(RegistrationClosed) as refused, translation.override("en"):
        register(event, "guest", invited=True)
    assert str(refused.value.message) == "This event has ended."
    assert register(event, "chosen", by_organiser=True).status == Registration.Status.REGISTERED


def test_the_public_form_is_closed_when_registration_is(db):
    event = EventFactory(registration_open=False)
    with pytest.raises(RegistrationClosed):
        services.registration_request(event=event, email="new@example.org", full_name="New")
    assert not User.objects.filter(email="new@example.org").exists()


# Registering twice


@pytest.mark.parametrize("status", [Registration.Status.REGISTERED, Registration.Status.WAITLISTED])
def test_a_person_registered_or_waiting_cannot_register_again(db, status):
    event = EventFactory()
    registration = register(event, "person")
    Registration.objects.filter(pk=registration.pk).update(status=status)
    with pytest.raises(AlreadyRegistered, match=r"^This email address is already registered for this event\.$"):
        register(event, "person")


@pytest.mark.parametrize("status", [Registration.Status.CANCELLED, Registration.Status.DECLINED])
def test_a_person_who_cancelled_or_declined_registers_again_on_the_same_row(db, status):
    event = EventFactory()
    registration = register(event, "person", delegation="IQ")
    Registration.objects.filter(pk=registration.pk).update(status=status)
    again = register(event, "person", role=Registration.Role.OFFICIAL, language="ar")
    assert again.pk == registration.pk
    assert (again.status, again.role, again.language, again.delegation) == (
        Registration.Status.REGISTERED,
        Registration.Role.OFFICIAL,
        "ar",
        "",
    )


# Invitations


def test_an_invitation_is_emailed_as_an_invitation(db, commit):
    event = EventFactory()
    invited = commit(register, event=event, name="guest", invited=True, by_organiser=True)
    assert invited.status == Registration.Status.INVITED
    assert subjects_to("guest@example.org") == [f"Invitation: {event.title}"]


def test_accepting_an_invitation_takes_a_seat_and_confirms_it(db, commit):
    event = EventFactory(capacity=1)
    invited = register(event, "guest", invited=True)
    mail.outbox.clear()
    accepted = commit(services.invitation_respond, registration=invited, accept=True)
    assert accepted.status == Registration.Status.REGISTERED and accepted.waitlisted_at is None
    assert subjects_to("guest@example.org") == [f"You are registered: {event.title}"]


def test_accepting_an_invitation_to_a_full_event_joins_the_waitlist(db, commit):
    event = EventFactory(capacity=1)
    invited = register(event, "guest", invited=True)
    register(event, "seated")
    mail.outbox.clear()
    accepted = commit(services.invitation_respond, registration=invited, accept=True)
    assert accepted.status == Registration.Status.WAITLISTED and accepted.waitlisted_at is not None
    assert subjects_to("guest@example.org") == [f"You are on the waitlist: {event.title}"]


def test_accepting_an_invitation_issues_the_ticket_and_the_calendar_invitation(db, commit):
    invited = register(EventFactory(), "guest", invited=True)
    mail.outbox.clear()
    commit(services.invitation_respond, registration=invited, accept=True)
    assert Ticket.objects.filter(registration=invited).exists()
    assert calendar_mails_to("guest@example.org") == 1


def test_invited_again_after_cancelling_accepting_confirms_again(db, commit):
    event = EventFactory()
    invited = register(event, "guest", invited=True)
    commit(services.invitation_respond, registration=invited, accept=True)
    commit(services.registration_cancel, registration=invited)
    again = register(event, "guest", invited=True)
    mail.outbox.clear()
    commit(services.invitation_respond, registration=again, accept=True)
    assert subjects_to("guest@example.org") == [f"You are registered: {event.title}"]


def test_cancelling_withdraws_the_calendar_invitation(db, commit):
    registration = commit(register, event=EventFactory(), name="person")
    sent = calendar_mails_to("person@example.org")
    assert sent >= 1
    commit(services.registration_cancel, registration=registration)
    assert calendar_mails_to("person@example.org") == sent + 1


def test_declining_an_invitation_issues_no_ticket(db, commit):
    invited = register(EventFactory(), "guest", invited=True)
    commit(services.invitation_respond, registration=invited, accept=False)
    assert not Ticket.objects.filter(registration=invited).exists()


def test_declining_an_invitation_sends_nothing(db, commit):
    invited = register(EventFactory(), "guest", invited=True)
    mail.outbox.clear()
    declined = commit(services.invitation_respond, registration=invited, accept=False)
    assert declined.status == Registration.Status.DECLINED
    assert subjects_to("guest@example.org") == []


def test_an_invitation_is_answered_once(db):
    invited = register(EventFactory(), "guest", invited=True)
    services.invitation_respond(registration=invited, accept=False)
    with pytest.raises(InvalidTransition, match=r"^This invitation has already been answered\.$"):
        services.invitation_respond(registration=invited, accept=True)
    assert status_of(invited) == Registration.Status.DECLINED


# Status changes through registration_update


def test_update_to_registered_over_capacity_is_refused(db):
    event = EventFactory(capacity=1)
    register(event, "seated")
    waiting = register(event, "waiting")
    with pytest.raises(InvalidTransition, match=r"^The event is full\.$"):
        services.registration_update(registration=waiting, status=Registration.Status.REGISTERED)
    assert status_of(waiting) == Registration.Status.WAITLISTED


def test_update_to_registered_with_room_seats_the_person(db):
    event = EventFactory(capacity=1)
    seated = register(event, "seated")
    waiting = register(event, "waiting")
    Registration.objects.filter(pk=seated.pk).update(status=Registration.Status.CANCELLED)
    updated = services.registration_update(registration=waiting, status=Registration.Status.REGISTERED)
    assert updated.status == Registration.Status.REGISTERED and updated.waitlisted_at is None
    assert status_of(waiting) == Registration.Status.REGISTERED


def test_update_to_waitlisted_starts_the_wait_now(db):
    registration = register(EventFactory(), "person")
    before = timezone.now()
    updated = services.registration_update(registration=registration, status=Registration.Status.WAITLISTED)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.WAITLISTED
    assert registration.waitlisted_at >= before and updated.waitlisted_at == registration.waitlisted_at


def test_update_to_cancelled_frees_the_seat_for_the_next(db):
    event = EventFactory(capacity=1)
    seated = register(event, "seated")
    waiting = register(event, "waiting")
    cancelled = services.registration_update(registration=seated, status=Registration.Status.CANCELLED)
    assert cancelled.status == Registration.Status.CANCELLED
    assert status_of(waiting) == Registration.Status.REGISTERED


@pytest.mark.parametrize(
    ("answer", "expected"),
    [(Registration.Status.REGISTERED, Registration.Status.REGISTERED), (Registration.Status.DECLINED, "declined")],
)
def test_update_answers_an_invitation(db, answer, expected):
    invited = register(EventFactory(capacity=1), "guest", invited=True)
    assert services.registration_update(registration=invited, status=answer).status == expected
    assert status_of(invited) == expected


def test_update_of_details_keeps_the_status(db):
    registration = register(EventFactory(), "person")
    updated = services.registration_update(registration=registration, delegation="LT", status=registration.status)
    registration.refresh_from_db()
    assert (registration.delegation, registration.status) == ("LT", Registration.Status.REGISTERED)
    assert updated.delegation == "LT"


# What a typed address may change


def test_a_known_address_is_never_renamed_by_whoever_types_it(db):
    owner = UserFactory(email="owner@example.org", full_name="Real Owner", language="lt")
    user, created = services.user_get_or_create(email="  OWNER@example.org ", full_name="Impostor", language="ar")
    assert (user.pk, created) == (owner.pk, False)
    owner.refresh_from_db()
    assert (owner.full_name, owner.language) == ("Real Owner", "lt")


def test_a_new_address_is_stored_in_lower_case_with_its_name(db):
    user, created = services.user_get_or_create(email=" New.Person@Example.org ", full_name="  New Person ")
    assert created
    assert (user.email, user.full_name, user.language) == ("new.person@example.org", "New Person", "en")


def test_the_public_form_answers_a_known_address_with_nothing_and_emails_its_owner(db, commit):
    event = EventFactory()
    UserFactory(email="known@example.org", full_name="Known Person")
    answer = commit(services.registration_request, event=event, email="Known@example.org", full_name="Someone")
    assert answer is None
    assert not Registration.objects.filter(event=event).exists()
    assert subjects_to("known@example.org") == [f"Finish or ignore: a registration for {event.title}"]


def test_the_public_form_registers_a_new_address_with_its_consents_pending(db, commit):
    event = EventFactory()
    answer = commit(
        services.registration_request,
        event=event,
        email="new@example.org",
        full_name="New Person",
        consent_share_profile=True,
    )
    assert answer is None
    registration = Registration.objects.get(event=event, user__email="new@example.org")
    assert registration.status == Registration.Status.REGISTERED
    assert list(registration.pending_consents) == ["share_profile"]
    assert registration.consent_share_profile is False
    assert subjects_to("new@example.org") == [f"You are registered: {event.title}"]


def test_the_public_form_left_blank_joins_no_organisation_consents_to_nothing_and_reads_english(db):
    event = EventFactory()
    services.registration_request(event=event, email="new@example.org", full_name="New Person")
    registration = Registration.objects.get(event=event, user__email="new@example.org")
    assert (registration.language, registration.pending_consents) == ("en", {})
    assert not Organisation.objects.exists() and not Membership.objects.exists()


def test_the_signed_in_owner_consenting_is_recorded_without_a_client_unless_told(db):
    event = EventFactory()
    owner = UserFactory(email="owner@example.org")
    services.registration_request(
        event=event, email="owner@example.org", full_name="Owner", consent_attendee_list=True, actor=owner
    )
    assert Consent.objects.get(user=owner, event=event).client == ""


def test_the_signed_in_owner_is_registered_at_once_with_their_consents(db):
    event = EventFactory()
    owner = UserFactory(email="owner@example.org")
    registration = services.registration_request(
        event=event, email="OWNER@example.org", full_name="Owner", consent_share_profile=True, actor=owner
    )
    assert registration is not None and registration.user == owner
    assert registration.consent_share_profile is True and registration.pending_consents == {}


def test_someone_signed_in_as_another_person_is_answered_like_a_stranger(db):
    event = EventFactory()
    UserFactory(email="owner@example.org")
    other = UserFactory(email="other@example.org")
    answer = services.registration_request(event=event, email="owner@example.org", full_name="Owner", actor=other)
    assert answer is None
    assert not Registration.objects.filter(event=event).exists()


def test_a_person_registering_without_ticking_a_box_consents_to_nothing_and_reads_english(db):
    person = UserFactory(email="person@example.org")
    registration = services.registration_create(
        event=EventFactory(), email="person@example.org", full_name="Person", actor=person
    )
    assert (registration.consent_share_profile, registration.consent_attendee_list) == (False, False)
    assert registration.language == "en"
    assert not Consent.objects.filter(user=person).exists()


def test_a_person_consenting_while_registering_is_recorded_without_a_client_unless_told(db):
    person = UserFactory(email="person@example.org")
    event = EventFactory()
    services.registration_create(
        event=event, email="person@example.org", full_name="Person", actor=person, consent_share_profile=True
    )
    assert Consent.objects.get(user=person, event=event).client == ""


def test_an_organiser_cannot_consent_for_anyone(db):
    organiser = UserFactory(email="organiser@example.org", is_staff=True)
    registration = register(EventFactory(), "person", by_organiser=True, actor=organiser, consent_share_profile=True)
    assert registration.consent_share_profile is False and registration.pending_consents == {}


def test_confirming_the_address_applies_what_waited_for_it(db):
    event = EventFactory()
    services.registration_request(event=event, email="new@example.org", full_name="New", consent_attendee_list=True)
    user = User.objects.get(email="new@example.org")
    assert user.email_confirmed_at is None
    services.email_confirm(user=user)
    user.refresh_from_db()
    registration = Registration.objects.get(event=event, user=user)
    assert user.email_confirmed_at is not None
    assert registration.consent_attendee_list is True and registration.pending_consents == {}


def test_confirming_records_the_consent_without_a_client_unless_told(db):
    event = EventFactory()
    services.registration_request(event=event, email="new@example.org", full_name="New", consent_share_profile=True)
    services.email_confirm(user=User.objects.get(email="new@example.org"))
    assert Consent.objects.get(user__email="new@example.org", event=event).client == ""


def test_confirming_records_the_client_it_was_told(db):
    event = EventFactory()
    services.registration_request(event=event, email="new@example.org", full_name="New", consent_share_profile=True)
    services.email_confirm(user=User.objects.get(email="new@example.org"), client="Firefox on Android")
    assert Consent.objects.get(user__email="new@example.org", event=event).client == "Firefox on Android"


def test_confirming_grants_the_membership_its_verified_domain_vouches_for(db):
    OrganisationFactory(name="Baltic Code UAB", email_domain="baltic.example")
    services.registration_request(
        event=EventFactory(), email="aiste@baltic.example", full_name="Aiste", organisation_name="Baltic Code UAB"
    )
    user = User.objects.get(email="aiste@baltic.example")
    assert Membership.objects.get(user=user).status == Membership.Status.PENDING
    services.email_confirm(user=user)
    assert Membership.objects.get(user=user).status == Membership.Status.GRANTED


def test_confirming_one_address_confirms_no_other(db):
    person, other = UserFactory(email="person@example.org"), UserFactory(email="other@example.org")
    services.email_confirm(user=person)
    assert User.objects.get(pk=person.pk).email_confirmed_at is not None
    assert User.objects.get(pk=other.pk).email_confirmed_at is None


def test_a_confirmation_from_a_stale_copy_keeps_the_first_confirmation_time(db):
    user = UserFactory(email="person@example.org")
    stale = User.objects.get(pk=user.pk)
    services.email_confirm(user=user)
    first = User.objects.get(pk=user.pk).email_confirmed_at
    services.email_confirm(user=stale)  # a second link opened in a tab loaded before the first
    assert User.objects.get(pk=user.pk).email_confirmed_at == first


def test_confirming_twice_keeps_the_first_confirmation_time(db):
    user = UserFactory(email="person@example.org")
    services.email_confirm(user=user)
    first = User.objects.get(pk=user.pk).email_confirmed_at
    services.email_confirm(user=User.objects.get(pk=user.pk))
    assert User.objects.get(pk=user.pk).email_confirmed_at == first


def test_a_new_person_naming_an_organisation_asks_to_join_it(db):
    registration = register(EventFactory(), "official", role=Registration.Role.OFFICIAL, organisation_name="Socmin")
    organisation = Organisation.objects.get(name="Socmin")
    assert organisation.kind == Organisation.Kind.GOVERNMENT
    membership = Membership.objects.get(user=registration.user, organisation=organisation)
    assert membership.status == Membership.Status.PENDING


def test_a_candidate_naming_an_organisation_asks_to_join_an_employer(db):
    register(EventFactory(), "candidate", organisation_name="Nemunas")
    assert Organisation.objects.get(name="Nemunas").kind == Organisation.Kind.EMPLOYER


def test_an_organisation_typed_for_a_known_address_by_someone_else_is_ignored(db):
    UserFactory(email="known@example.org")
    register(EventFactory(), "known", organisation_name="Nemunas", by_organiser=True)
    assert not Organisation.objects.filter(name="Nemunas").exists()
    assert not Membership.objects.exists()


def test_an_organiser_registering_a_new_person_gives_the_account_their_language_and_organisation(db):
    organisation = OrganisationFactory(name="Tigris Tech")
    registration = register(EventFactory(), "newcomer", by_organiser=True, organisation=organisation, language="ar")
    user = registration.user
    assert (user.language, user.organisation_id) == ("ar", organisation.pk)


def test_the_signed_in_owner_registering_through_the_api_records_that_source_and_client(db):
    event = EventFactory()
    owner = UserFactory(email="owner@example.org")
    services.registration_request(
        event=event,
        email="owner@example.org",
        full_name="Owner",
        consent_attendee_list=True,
        actor=owner,
        source=Consent.Source.API,
        client="explorers-cli/1.0",
    )
    consent = Consent.objects.get(user=owner, event=event)
    assert (consent.source, consent.client) == (Consent.Source.API, "explorers-cli/1.0")


def test_the_public_form_puts_a_new_address_in_no_delegation(db):
    event = EventFactory()
    services.registration_request(event=event, email="new@example.org", full_name="New Person")
    assert Registration.objects.get(event=event, user__email="new@example.org").delegation == ""


def _offer_choices(address: str) -> dict:
    # The "finish your registration" link in the notice carries what was typed, signed.
    from events.links import registration_offer_from_token

    (message,) = [m for m in mail.outbox if m.to == [address]]
    token = re.search(r"/me/finish/([^/\s]+)/", message.body).group(1)
    offer = registration_offer_from_token(token)
    assert offer is not None
    return offer.choices


def test_the_owners_notice_offers_to_finish_with_what_was_typed(db, commit):
    event = EventFactory()
    UserFactory(email="known@example.org", full_name="Known Person")
    commit(
        services.registration_request,
        event=event,
        email="known@example.org",
        full_name="Typed Name",
        role=Registration.Role.EMPLOYER,
        organisation_name="Nemunas",
        language="lt",
        consent_share_profile=True,
    )
    assert _offer_choices("known@example.org") == {
        "full_name": "Typed Name",
        "role": Registration.Role.EMPLOYER,
        "organisation_name": "Nemunas",
        "language": "lt",
        "consent_share_profile": True,
        "consent_attendee_list": False,
    }


def test_each_request_for_a_known_address_tells_its_owner_again(db, commit):
    event = EventFactory()
    UserFactory(email="known@example.org")
    commit(services.registration_request, event=event, email="known@example.org", full_name="Someone")
    commit(services.registration_request, event=event, email="known@example.org", full_name="Someone")
    assert len(subjects_to("known@example.org")) == 2


def test_a_person_promoted_a_second_time_is_told_again(db, commit):
    event = EventFactory(capacity=1)
    holder = register(event, "holder")
    waiting = register(event, "waiting")
    commit(services.registration_cancel, registration=holder)
    assert status_of(waiting) == Registration.Status.REGISTERED
    # An organiser puts them back on the waitlist and gives the seat to someone else, who cancels.
    services.registration_update(registration=waiting, status=Registration.Status.WAITLISTED)
    other = register(event, "other", by_organiser=True)
    assert status_of(other) == Registration.Status.REGISTERED
    commit(services.registration_cancel, registration=other)
    assert status_of(waiting) == Registration.Status.REGISTERED
    promoted = f"A place opened up for you: {event.title}"
    assert subjects_to("waiting@example.org").count(promoted) == 2


# Which email queue (urgent: one person is waiting for it; bulk: an organiser's action)


@pytest.fixture
def queued(monkeypatch):
    # The suite runs tasks inline (Q_CLUSTER sync); here they wait in the ORM broker to be read.
    monkeypatch.setattr(Conf, "SYNC", False)


def queued_tasks(cluster: str) -> list[str]:
    """The email tasks waiting on a cluster's queue (calendar updates travel on their own)."""
    payloads = OrmQ.objects.filter(key=cluster).values_list("payload", flat=True)
    names = [SignedPackage.loads(payload)["func"].rsplit(".", 1)[1] for payload in payloads]
    return [name for name in names if name.startswith("send_")]


def test_what_one_person_waits_for_goes_on_the_urgent_queue(db, commit, queued):
    event = EventFactory(capacity=1)
    UserFactory(email="known@example.org")
    commit(services.registration_request, event=event, email="known@example.org", full_name="Someone")
    holder = register(event, "holder", by_organiser=True)
    register(event, "waiting", by_organiser=True)
    invited = register(EventFactory(), "invited", invited=True)
    OrmQ.objects.all().delete()
    commit(services.registration_cancel, registration=holder)
    commit(services.invitation_respond, registration=invited, accept=True)
    assert sorted(queued_tasks(tasks.URGENT_CLUSTER)) == ["send_registration_confirmation", "send_waitlist_promotion"]
    assert queued_tasks(Conf.CLUSTER_NAME) == []


def test_the_notice_to_a_known_address_is_urgent(db, commit, queued):
    UserFactory(email="known@example.org")
    commit(services.registration_request, event=EventFactory(), email="known@example.org", full_name="Someone")
    assert queued_tasks(tasks.URGENT_CLUSTER) == ["send_registration_notice"]


def test_an_organisers_registrations_and_invitations_go_behind_the_bulk(db, commit, queued):
    event = EventFactory()
    commit(register, event=event, name="seated", by_organiser=True)
    commit(register, event=event, name="invited", by_organiser=True, invited=True)
    assert queued_tasks(tasks.URGENT_CLUSTER) == []
    assert sorted(queued_tasks(Conf.CLUSTER_NAME)) == ["send_invitation", "send_registration_confirmation"]


def test_a_persons_own_registration_is_confirmed_on_the_urgent_queue(db, commit, queued):
    commit(register, event=EventFactory(), name="person")
    assert queued_tasks(tasks.URGENT_CLUSTER) == ["send_registration_confirmation"]


# registration_update: what else a status change or a consent through it does


def test_update_puts_an_invited_person_on_the_waitlist_without_declining(db):
    invited = register(EventFactory(capacity=1), "guest", invited=True)
    services.registration_update(registration=invited, status=Registration.Status.WAITLISTED)
    assert status_of(invited) == Registration.Status.WAITLISTED


def test_update_to_registered_issues_the_ticket_and_to_waitlisted_none(db, commit):
    invited = register(EventFactory(capacity=2), "guest", invited=True)
    commit(services.registration_update, registration=invited, status=Registration.Status.WAITLISTED)
    assert not Ticket.objects.filter(registration=invited).exists()
    commit(services.registration_update, registration=invited, status=Registration.Status.REGISTERED)
    assert Ticket.objects.filter(registration=invited).exists()


def test_a_consent_given_through_an_update_records_its_client_or_none(db):
    person = UserFactory(email="person@example.org")
    event = EventFactory()
    registration = register(event, "person", by_organiser=True)
    services.registration_update(registration=registration, actor=person, consent_share_profile=True)
    services.registration_update(
        registration=registration, actor=person, consent_attendee_list=True, client="explorers-app/2"
    )
    clients = dict(Consent.objects.filter(user=person, event=event).values_list("purpose", "client"))
    assert clients == {"share_profile": "", "attendee_list": "explorers-app/2"}


def test_an_organiser_seating_a_waiting_person_sends_the_calendar_invitation(db, commit):
    event = EventFactory(capacity=2)
    register(event, "seated", by_organiser=True)
    waiting = register(event, "waiting", by_organiser=True)
    services.registration_update(registration=waiting, status=Registration.Status.WAITLISTED)
    mail.outbox.clear()
    commit(services.registration_update, registration=waiting, status=Registration.Status.REGISTERED)
    assert calendar_mails_to("waiting@example.org") == 1


def test_saving_an_event_unchanged_sends_no_calendar_update(db, commit):
    event = EventFactory(venue="Vilnius Tech Park")
    register(event, "person", by_organiser=True)
    mail.outbox.clear()
    commit(services.event_update, event=event, venue="Vilnius Tech Park", title=event.title)
    assert calendar_mails_to("person@example.org") == 0
    commit(services.event_update, event=event, venue="Compensa Concert Hall")
    assert calendar_mails_to("person@example.org") == 1


# An API token's "last used", written at most once a minute


def test_a_tokens_last_use_is_written_again_exactly_a_minute_later_and_not_before(db):
    token, _raw = services.api_token_create(user=UserFactory())
    start = timezone.now()
    assert services.api_token_used(token=token, now=start) is True
    assert services.api_token_used(token=token, now=start + timedelta(seconds=59)) is False
    assert ApiToken.objects.get(pk=token.pk).last_used_at == start
    assert services.api_token_used(token=token, now=start + timedelta(minutes=1)) is True
    assert ApiToken.objects.get(pk=token.pk).last_used_at == start + timedelta(minutes=1)


# What a registration stores and sends at its edges


def test_a_registration_with_no_language_reads_english(db):
    assert register(EventFactory(), "person", language="").language == "en"


def test_a_new_person_without_a_name_gets_none(db):
    user, _created = services.user_get_or_create(email="nameless@example.org")
    assert user.full_name == ""


def test_the_organisation_typed_is_kept_to_200_characters_and_only_from_its_owner(db):
    event = EventFactory()
    assert register(event, "newcomer", organisation_name="N" * 250).organisation_name == "N" * 200
    UserFactory(email="known@example.org")
    assert register(event, "known", organisation_name="Nemunas", by_organiser=True).organisation_name == ""


def test_registering_issues_a_ticket_to_the_seated_and_none_to_the_waiting(db, commit):
    event = EventFactory(capacity=1)
    seated = commit(register, event=event, name="seated")
    waiting = commit(register, event=event, name="waiting")
    assert Ticket.objects.filter(registration=seated).exists()
    assert not Ticket.objects.filter(registration=waiting).exists()


def test_a_new_registrant_gets_one_email_with_the_calendar_invitation(db, commit):
    event = EventFactory()
    commit(register, event=event, name="person")
    assert [m.subject for m in mail.outbox if m.to == ["person@example.org"]] == [f"You are registered: {event.title}"]
    assert calendar_mails_to("person@example.org") == 1


def test_invited_again_after_declining_is_invited_again(db, commit):
    event = EventFactory()
    invited = commit(register, event=event, name="guest", invited=True, by_organiser=True)
    services.invitation_respond(registration=invited, accept=False)
    commit(register, event=event, name="guest", invited=True, by_organiser=True)
    first, second = subjects_to("guest@example.org")  # two invitations (calendar emails aside)
    assert first == second
