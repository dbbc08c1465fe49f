"""Admin for accounts and machinery: people (email as the login), consents, API tokens, the email ledger.

Imported from events/admin.py, since Django autodiscovers only admin.py.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events import lost_links, privacy, services
from events.admin_forms import EmailUserChangeForm, EmailUserCreationForm
from events.models import ApiToken, Consent, EmailLedger, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = EmailUserChangeForm
    add_form = EmailUserCreationForm
    list_display = ("email", "full_name", "organisation", "language", "is_staff", "is_active", "last_login")
    list_filter = ("is_staff", "is_superuser", "is_active", "language")
    search_fields = ("email", "full_name", "organisation__name")
    list_select_related = ("organisation",)
    ordering = ("email",)
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name", "organisation", "language")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("email", "full_name", "usable_password", "password1", "password2")},
        ),
    )
    readonly_fields = ("last_login", "date_joined")
    actions = ["send_link_again", "erase_people"]

    @admin.action(description=_("Send the selected people their link again"), permissions=["change"])
    def send_link_again(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        # Their link to their next (or latest) event, as "email me my link" picks it. Staff sign in
        # with their password, so none is sent to them; nor to erased or deactivated accounts, nor to
        # people registered for nothing (there is no link to send).
        may_receive = queryset.filter(
            is_staff=False, is_superuser=False, is_active=True, erased_at__isnull=True, registrations__isnull=False
        ).distinct()
        sent = 0
        for person in may_receive:
            lost_links.link_request(email=person.email)
            sent += 1
        skipped = queryset.count() - sent
        message = ngettext("%d link is on its way.", "%d links are on their way.", sent) % sent
        if skipped:
            message += (
                " "
                + ngettext(
                    "%d person was skipped: staff sign in with their password, and erased, deactivated or "
                    "unregistered accounts get no link.",
                    "%d people were skipped: staff sign in with their password, and erased, deactivated or "
                    "unregistered accounts get no link.",
                    skipped,
                )
                % skipped
            )
        self.message_user(request, message, messages.WARNING if skipped else messages.SUCCESS)

    @admin.action(description=_("Erase the selected people (GDPR)"), permissions=["delete"])
    def erase_people(self, request: HttpRequest, queryset: QuerySet[User]) -> HttpResponse | None:
        # Asks first, on a page listing who will be erased; the form posts the action back with "confirm".
        people = list(queryset.filter(erased_at__isnull=True).exclude(pk=request.user.pk))
        if request.POST.get("confirm") != "yes":
            context = {**self.admin_site.each_context(request), "people": people, "opts": self.model._meta}
            return TemplateResponse(request, "events/privacy_admin_confirm.html", context)
        for person in people:
            privacy.person_erase(user=person, by=request.user)
        self.message_user(request, ngettext("%d person erased.", "%d people erased.", len(people)) % len(people))
        return None


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "name", "user", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("prefix", "name", "user__email")
    list_select_related = ("user",)
    readonly_fields = ("user", "name", "prefix", "key_hash", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Tokens are made with `manage.py create_api_token`, which shows the token once.
        return False

    def has_change_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = 0
        for token in queryset.filter(revoked_at__isnull=True).select_related("user"):
            count += services.api_token_revoke(user=token.user, prefix=token.prefix)
        self.message_user(request, ngettext("%d token revoked.", "%d tokens revoked.", count) % count)


@admin.register(EmailLedger)
class EmailLedgerAdmin(admin.ModelAdmin):
    """What the email tasks have sent. Deleting a row lets its task send that email again."""

    list_display = ("key", "recipient", "sent_at")
    search_fields = ("key", "recipient")
    date_hierarchy = "sent_at"
    readonly_fields = ("key", "recipient", "sent_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: EmailLedger | None = None) -> bool:
        return False


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    """Every consent people gave and withdrew, with the text version they saw. Read only: a consent is
    given or withdrawn by the person alone (events/consents.py), never by an organiser."""

    list_display = ("user", "event", "purpose", "text_version", "source", "given_at", "withdrawn_at")
    list_filter = ("purpose", "source", "event")
    search_fields = ("user__email", "user__full_name", "event__title")
    list_select_related = ("user", "event")
    date_hierarchy = "given_at"
    readonly_fields = ("user", "event", "purpose", "text_version", "source", "client", "given_at", "withdrawn_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Consent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Consent | None = None) -> bool:
        return False
