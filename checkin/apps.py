from django.apps import AppConfig


class CheckinConfig(AppConfig):
    name = "checkin"
    verbose_name = "Checkin"

    def ready(self) -> None:
        from django.db import transaction
        from django.db.models.signals import post_delete, post_save

        from checkin import selectors
        from checkin.models import EventCheckinSettings
        from events.models import Event

        def changed(sender, **kwargs) -> None:
            selectors.events_changed()
            # Again after the commit: a door that read the event between the two saw the old row.
            transaction.on_commit(selectors.events_changed, robust=True)

        # What the door keeps of each event follows every change to it (selectors.event_for_scanning).
        for model in (Event, EventCheckinSettings):
            post_save.connect(changed, sender=model, dispatch_uid=f"door-events-{model.__name__}-save", weak=False)
            post_delete.connect(changed, sender=model, dispatch_uid=f"door-events-{model.__name__}-delete", weak=False)
