from django.apps import AppConfig


class CheckinConfig(AppConfig):
    name = "checkin"
    verbose_name = "Checkin"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from checkin import selectors, services, timeline
        from checkin.models import EventCheckinSettings
        from events import hooks
        from events.models import Event

        # What the door keeps of each event follows every change to it (selectors.event_for_scanning).
        for model in (Event, EventCheckinSettings):
            post_save.connect(selectors.events_changed, sender=model, dispatch_uid=f"door-events-{model.__name__}-save")
            post_delete.connect(
                selectors.events_changed, sender=model, dispatch_uid=f"door-events-{model.__name__}-delete"
            )
        # events knows nothing of tickets: it announces seats, and shows what checkin provides.
        hooks.on_registration_seated(services.tickets_issue_seated)
        hooks.provide_registration_ticket(selectors.registration_ticket)
        hooks.provide_figure("present_count", selectors.present_count)
        hooks.provide_figure("session_attendance", selectors.session_attendance_counts)
        hooks.provide_figure("arrival_counts", selectors.counts_snapshot)
        hooks.provide_figure("first_arrivals", timeline.first_arrivals)
