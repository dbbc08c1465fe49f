"""Factories for the domain models (factory_boy)."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from events import hooks
from events.models import Consent, Event, Membership, Organisation, Registration, Room, Session, User


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.EMPLOYER
    country = "LT"
    city = "Vilnius"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    slug = factory.Sequence(lambda n: f"event-{n}")
    title = factory.Sequence(lambda n: f"Event {n}")
    kind = Event.Kind.JOB_FAIR
    timezone = "Europe/Vilnius"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=8))
    venue = "Vilnius Tech Park"
    address = "Antakalnio g. 17, Vilnius"
    status = Event.Status.PUBLISHED
    registration_open = True


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Room {n}")


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    starts_at = factory.LazyAttribute(lambda o: o.event.starts_at + timedelta(hours=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))
    audience = Session.Audience.PUBLIC


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    role = Registration.Role.CANDIDATE
    status = Registration.Status.REGISTERED

    @factory.post_generation
    def membership(obj: Registration, create: bool, extracted: str | None, **kwargs: object) -> None:
        """A registration naming an organisation comes with a granted membership, as after an organiser's
        approval; pass `membership="none"` for none or a status ("pending", "refused", …) for that state."""
        if not create or obj.organisation_id is None:
            return
        status = Membership.Status.GRANTED if extracted is None else extracted
        if status == "none":
            return
        Membership.objects.update_or_create(
            user=obj.user, organisation_id=obj.organisation_id, defaults={"status": status, "via": "organiser"}
        )

    @factory.post_generation
    def seat(obj: Registration, create: bool, extracted: object, **kwargs: object) -> None:
        """A seated registration comes with what the apps do once a seat is taken (checkin: its ticket),
        as after the registration service's commit (events.hooks)."""
        if create and obj.status in Registration.SEATED:
            hooks.notify_seated(registration_ids=[obj.pk])

    @factory.post_generation
    def consent_rows(obj: Registration, create: bool, extracted: object, **kwargs: object) -> None:
        """Consent flags set on a registration come with the rows the person would have made."""
        if not create:
            return
        for purpose, flag in (
            ("share_profile", obj.consent_share_profile),
            ("attendee_list", obj.consent_attendee_list),
        ):
            if flag:
                Consent.objects.get_or_create(
                    user=obj.user,
                    event=obj.event,
                    purpose=purpose,
                    withdrawn_at=None,
                    defaults={"text_version": "test", "source": Consent.Source.PAGE},
                )
