from django.contrib import admin

from checkin.models import BadgeJob, EventCheckinSettings, Scan, ScannerDevice, SessionAttendance, Ticket


@admin.register(EventCheckinSettings)
class EventCheckinSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "event",
        "opens_minutes_before",
        "closes_minutes_after",
        "completion_threshold",
        "final_assessment_required",
    ]


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ["code", "version", "registration", "inside", "first_in_at", "first_in_gate"]
    list_filter = ["event", "inside"]
    search_fields = ["code", "registration__user__email", "registration__user__full_name"]
    raw_id_fields = ["registration"]
    readonly_fields = ["code", "version", "issued_at", "inside", "first_in_at", "first_in_gate", "last_scan_at"]


@admin.register(Scan)
class ScanAdmin(admin.ModelAdmin):
    """The audit log is read-only: undo goes through the check-in log page, which audits it."""

    list_display = ["created_at", "event", "action", "result", "reason", "gate", "direction", "scanned_by", "device"]
    list_filter = ["event", "action", "result", "reason"]
    search_fields = ["client_scan_id", "ticket__code", "ticket__registration__user__email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ScannerDevice)
class ScannerDeviceAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "prefix", "created_at", "last_seen_at", "revoked_at"]
    list_filter = ["event"]
    readonly_fields = ["prefix", "key_hash", "created_by", "created_at", "last_seen_at"]


admin.site.register(SessionAttendance)
admin.site.register(BadgeJob)
