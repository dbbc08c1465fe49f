"""Admin for calendars: calendar emails (failures visible, retry), feed tokens (rotate), per-event settings.

Imported from events/admin.py, since Django autodiscovers only admin.py.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.calendar_mail import delivery_retry_now
from events.feeds import feed_token_rotate
from events.models import CalendarDelivery, EventCalendarSettings, FeedToken


@admin.register(CalendarDelivery)
class CalendarDeliveryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "method", "subject", "sequence", "status", "attempts", "short_error")
    list_filter = ("status", "method", "event")
    search_fields = ("recipient", "uid", "subject")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in CalendarDelivery._meta.fields]
    actions = ["retry_now"]

    @admin.display(description=_("last error"))
    def short_error(self, obj: CalendarDelivery) -> str:
        return obj.last_error[:80]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Send the selected calendar emails again now"))
    def retry_now(self, request: HttpRequest, queryset: QuerySet[CalendarDelivery]) -> None:
        n = delivery_retry_now(delivery_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request, ngettext("%(n)d email queued.", "%(n)d emails queued.", n) % {"n": n}, messages.SUCCESS
        )


@admin.register(FeedToken)
class FeedTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "rotated_at")
    search_fields = ("user__email", "user__full_name")
    readonly_fields = ("user", "key", "created_at", "rotated_at")
    actions = ["rotate"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Rotate: the old feed addresses stop working"))
    def rotate(self, request: HttpRequest, queryset: QuerySet[FeedToken]) -> None:
        tokens = list(queryset.select_related("user"))
        for token in tokens:
            feed_token_rotate(user=token.user)
        self.message_user(request, _("Feed addresses rotated."), messages.SUCCESS)


@admin.register(EventCalendarSettings)
class EventCalendarSettingsAdmin(admin.ModelAdmin):
    list_display = ("event", "send_invitations", "reminder_offsets", "revision")
    readonly_fields = ("revision",)
    autocomplete_fields: tuple[str, ...] = ()
