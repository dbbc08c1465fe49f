from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = "Matching"

    def ready(self) -> None:
        # Arrivals and departures at the door keep the employer boards live.
        try:
            from checkin.hooks import on_checkin
        except ImportError:
            pass
        else:
            from matching.live_worker import on_arrivals

            on_checkin(on_arrivals, batch=True)
        # Meetings appear in each side's personal calendar feed.
        try:
            from events.calendar_items import register_provider
        except ImportError:
            return
        from matching.calendar import MeetingsProvider

        register_provider(MeetingsProvider())
