"""Admin for organisers: extend the skills taxonomy, set up the fair, manage openings and meetings."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from matching import board, meeting_mail, services
from matching.models import (
    BilateralWish,
    Booth,
    CandidateLanguage,
    CandidateProfile,
    CandidateSkill,
    DialogueSettings,
    DialogueTopic,
    FairConfig,
    Lead,
    Meeting,
    MeetingRequest,
    Opening,
    OpeningLanguage,
    OpeningSkill,
    ScheduleRun,
    Skill,
)


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "group", "esco_uri"]
    list_filter = ["group"]
    search_fields = ["name", "slug", "aliases"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["related"]

    def save_model(self, request: HttpRequest, obj: Skill, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # Related skills feed every event's scoring: indexes rebuild on next use.
        for event_id in Opening.objects.values_list("event_id", flat=True).distinct():
            transaction.on_commit(lambda eid=event_id: board.invalidate(event_id=eid))


class CandidateSkillInline(admin.TabularInline):
    model = CandidateSkill
    extra = 0
    autocomplete_fields = ["skill"]


class CandidateLanguageInline(admin.TabularInline):
    model = CandidateLanguage
    extra = 0


@admin.register(CandidateProfile)
class CandidateProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "seeking", "years_experience", "relocate_lithuania", "updated_at"]
    search_fields = ["user__email", "user__full_name"]
    list_filter = ["seeking", "relocate_lithuania", "remote"]
    inlines = [CandidateSkillInline, CandidateLanguageInline]
    raw_id_fields = ["user"]


class OpeningSkillInline(admin.TabularInline):
    model = OpeningSkill
    extra = 1
    autocomplete_fields = ["skill"]


class OpeningLanguageInline(admin.TabularInline):
    model = OpeningLanguage
    extra = 0


@admin.register(Opening)
class OpeningAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "event", "kind", "seats", "is_active"]
    list_filter = ["event", "kind", "is_active", "remote_policy"]
    search_fields = ["title", "organisation__name"]
    inlines = [OpeningSkillInline, OpeningLanguageInline]
    autocomplete_fields = ["organisation"]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.opening_saved(opening=form.instance)


@admin.register(FairConfig)
class FairConfigAdmin(admin.ModelAdmin):
    list_display = ["event", "starts_at", "ends_at", "slot_minutes", "request_expiry_minutes"]


@admin.register(Booth)
class BoothAdmin(admin.ModelAdmin):
    list_display = ["organisation", "event", "tables", "location"]
    list_filter = ["event"]
    autocomplete_fields = ["organisation"]


@admin.action(description=_("Lock: keep these meetings when the timetable is re-run"))
def lock_meetings(modeladmin: Any, request: HttpRequest, queryset: Any) -> None:
    queryset.update(locked=True)


@admin.action(description=_("Unlock"))
def unlock_meetings(modeladmin: Any, request: HttpRequest, queryset: Any) -> None:
    queryset.update(locked=False)


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["starts_at", "organisation", "candidate", "table", "room", "status", "source", "locked"]
    list_filter = ["event", "status", "source", "locked"]
    search_fields = ["candidate__email", "organisation__name"]
    raw_id_fields = ["candidate", "request", "opening"]
    actions = [lock_meetings, unlock_meetings]

    def save_model(self, request: Any, obj: Meeting, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # Moved or cancelled here: both sides' calendars hear of it as from the services (an edit
        # that changes nothing a calendar shows sends nothing: Meeting.sequence does not move).
        meeting_mail.meetings_changed([obj.pk])


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    list_display = ["created_at", "organisation", "candidate", "sent_by", "status", "expires_at"]
    list_filter = ["event", "status", "sent_by"]
    raw_id_fields = ["candidate", "requested_by", "opening"]


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = ["organisation", "candidate", "rating", "updated_at"]
    list_filter = ["event"]
    raw_id_fields = ["candidate", "captured_by"]


@admin.register(BilateralWish)
class BilateralWishAdmin(admin.ModelAdmin):
    list_display = ["event", "official", "counterpart", "person", "weight"]
    list_filter = ["event"]
    raw_id_fields = ["official", "person"]
    filter_horizontal = ["topics"]


@admin.register(DialogueTopic)
class DialogueTopicAdmin(admin.ModelAdmin):
    list_display = ["name", "name_ar", "name_lt", "name_ckb", "event", "position"]
    list_filter = ["event"]
    list_editable = ["position"]


@admin.register(DialogueSettings)
class DialogueSettingsAdmin(admin.ModelAdmin):
    """Where organisers close bilateral wishes (by hand or at a time) before the final scheduler run."""

    list_display = ["event", "wishes_open", "wishes_close_at"]


@admin.register(ScheduleRun)
class ScheduleRunAdmin(admin.ModelAdmin):
    list_display = ["created_at", "event", "kind", "status", "progress", "meetings_created", "message"]
    list_filter = ["event", "status"]
    readonly_fields = [f.name for f in ScheduleRun._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
