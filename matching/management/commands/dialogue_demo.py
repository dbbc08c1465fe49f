"""`manage.py dialogue_demo`: the demo dialogue's bilateral part, on top of `seed_demo` and `matching_demo`.

Topics on the table (in the four languages), wishes that name topics (and, where an official of
the other delegation is listed, whom they hope to meet), and a bilateral timetable planned by the
scheduler into the dialogue's published bilateral slots. Idempotent: topics and wishes are written
once, and the scheduler runs again only with `--reschedule` (or when it never ran).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from events.models import Event, Registration, User
from matching import dialogue, timetable
from matching.models import BilateralWish, DialogueSettings, DialogueTopic, ScheduleRun

DIALOGUE = "lt-iq-policy-dialogue-vilnius"

# (English, Arabic, Lithuanian, Kurdish Sorani)
TOPICS = [
    (
        "Labour-migration management",
        "إدارة هجرة العمالة",
        "Darbo migracijos valdymas",
        "بەڕێوەبردنی کۆچی کار",
    ),
    (
        "Recognition of qualifications",
        "الاعتراف بالمؤهلات",
        "Kvalifikacijų pripažinimas",
        "ناسینەوەی بڕوانامەکان",
    ),
    (
        "Digital-economy cooperation",
        "التعاون في الاقتصاد الرقمي",
        "Bendradarbiavimas skaitmeninėje ekonomikoje",
        "هاوکاری لە ئابووریی دیجیتاڵیدا",
    ),
    (
        "Data exchange",
        "تبادل البيانات",
        "Keitimasis duomenimis",
        "ئاڵوگۆڕی داتا",
    ),
]

# Which topics an institution's wishes are about, by a word in its name.
TOPICS_BY_WORD = {"Labour": [0, 1], "Migration": [0, 3], "Economy": [2], "Communications": [2, 3], "Higher": [1]}


class Command(BaseCommand):
    help = "Add dialogue topics, wish details and a bilateral timetable to the demo dialogue (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--reschedule", action="store_true", help="Run the bilateral scheduler again.")

    def handle(self, *args: Any, **options: Any) -> None:
        event = Event.objects.filter(slug=DIALOGUE).first()
        if event is None:
            raise CommandError("Run `manage.py seed_demo` and `manage.py matching_demo` first.")
        with transaction.atomic():
            topics = self.topics(event)
            self.wishes(event, topics)
        ran = ScheduleRun.objects.filter(event=event, kind=ScheduleRun.Kind.BILATERAL, status=ScheduleRun.Status.DONE)
        if options["reschedule"] or not ran.exists():
            organiser = User.objects.filter(is_superuser=True).order_by("pk").first()
            run = ScheduleRun.objects.create(
                event=event, kind=ScheduleRun.Kind.BILATERAL, fair=True, created_by=organiser
            )
            # Inline rather than queued: the demo's timetable is there as soon as the command ends.
            timetable.run_timetable(run.pk)
            run.refresh_from_db()
            self.stdout.write(f"bilateral timetable: {run.message}")
        self.stdout.write("dialogue demo ready")

    def topics(self, event: Event) -> list[DialogueTopic]:
        DialogueSettings.objects.get_or_create(event=event)
        out = []
        for i, (en, ar, lt, ckb) in enumerate(TOPICS):
            topic, _created = DialogueTopic.objects.get_or_create(
                event=event, name=en, defaults={"name_ar": ar, "name_lt": lt, "name_ckb": ckb, "position": i}
            )
            out.append(topic)
        return out

    def wishes(self, event: Event, topics: list[DialogueTopic]) -> None:
        officials = Registration.objects.filter(
            event=event, role=Registration.Role.OFFICIAL, status=Registration.Status.REGISTERED
        ).select_related("user", "organisation")
        for reg in officials:
            if (found := dialogue.official_registration(user=reg.user, event=event)) is None:
                continue
            others = dialogue.counterparts_for(event=event, registration=found)
            present = {o.pk for o in others.institutions}
            # Wishes for institutions nobody of the other delegation represents cannot be met: drop them.
            BilateralWish.objects.filter(event=event, official=reg.user).exclude(counterpart_id__in=present).delete()
            for wish in BilateralWish.objects.filter(event=event, official=reg.user).select_related("counterpart"):
                if wish.topics.exists():
                    continue  # written once: the official may have changed it since
                words = [w for w in TOPICS_BY_WORD if w in wish.counterpart.name]
                wish.topics.set({topics[i] for w in words for i in TOPICS_BY_WORD[w]} or {topics[0]})
                person = next((u for u, o in others.people if o.pk == wish.counterpart_id), None)
                if person is not None and wish.weight == 5:
                    BilateralWish.objects.filter(pk=wish.pk).update(person=person)
