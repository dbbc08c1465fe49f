from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = "Matching"

    def ready(self) -> None:
        from django.apps import apps
        from django.db.models.signals import post_delete, post_save

        from checkin.hooks import on_checkin
        from events import hooks
        from events.calendar_items import register_provider
        from matching import board, selectors
        from matching.calendar import MeetingsProvider
        from matching.live_worker import on_arrivals
        from matching.skill_names import skill_taxonomy

        # What the boards keep of each candidate follows every change to it, admin and imports included.
        for label in board.ROSTER_MODELS:
            model = apps.get_model(label)
            post_save.connect(board._candidate_data_saved, sender=model, dispatch_uid=f"roster-{label}-save")
            post_delete.connect(board._candidate_data_saved, sender=model, dispatch_uid=f"roster-{label}-delete")
        for label in board.MARKS_MODELS:
            model = apps.get_model(label)
            post_save.connect(board._marks_saved, sender=model, dispatch_uid=f"marks-{label}-save")
            post_delete.connect(board._marks_saved, sender=model, dispatch_uid=f"marks-{label}-delete")
        # Arrivals and departures at the door keep the employer boards live.
        on_checkin(on_arrivals, batch=True)
        # Meetings appear in each side's personal calendar feed, and their figures on the live pages.
        register_provider(MeetingsProvider())
        hooks.provide_figure("meeting_counts", selectors.meeting_counts)
        # The questionnaires' skill picker (events) lists the taxonomy through this figure.
        hooks.provide_figure("skill_taxonomy", skill_taxonomy)
        # A trainee's skill progression on their "my progress" page (checkin), which may not import matching.
        from matching.assessment_progress import trainee_skill_progression

        hooks.provide_figure("trainee_skill_progression", trainee_skill_progression)
