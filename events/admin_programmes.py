"""Admin for programmes (with their partners), and a read-only view of minutes and action items.

Action items and minutes change only through events.actions and events.minutes (the API and the
pages), so their history and live roadmap stay whole; the admin shows them for organisers to look up.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from events.models import ActionItem, ActionItemUpdate, Minutes, Programme, ProgrammePartner


class ProgrammePartnerInline(admin.TabularInline):
    model = ProgrammePartner
    extra = 1
    autocomplete_fields = ["organisation"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "starts_on", "ends_on"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ProgrammePartnerInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ActionItemUpdateInline(admin.TabularInline):
    model = ActionItemUpdate
    fields = ["created_at", "author", "changes", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ActionItem)
class ActionItemAdmin(ReadOnlyAdmin):
    list_display = ["title", "programme", "theme", "lead_organisation", "due_date", "status", "visibility"]
    list_filter = ["programme", "status", "visibility", "lead_country"]
    search_fields = ["title", "theme", "lead_organisation__name"]
    inlines = [ActionItemUpdateInline]


@admin.register(Minutes)
class MinutesAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "rapporteur", "language", "status", "published_at", "updated_at"]
    list_filter = ["status", "language"]
