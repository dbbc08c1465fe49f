from django.apps import AppConfig


class CheckinConfig(AppConfig):
    name = "checkin"
    verbose_name = "Checkin"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from checkin import selectors
        from checkin.models import EventCheckinSettings
        from events.models import Event

        # What the door keeps of each event follows every change to it (selectors.event_for_scanning).
        for model in (Event, EventCheckinSettings):
            post_save.connect(selectors.events_changed, sender=model, dispatch_uid=f"door-events-{model.__name__}-save")
            post_delete.connect(
                selectors.events_changed, sender=model, dispatch_uid=f"door-events-{model.__name__}-delete"
            )
