from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from config.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("calendar/", include("events.calendar_urls")),
    path("checkin/", include("checkin.urls")),
    path("matching/", include("matching.urls")),
    path("certificates/", include("matching.certificate_urls")),
    path("organisations/", include("events.membership_urls")),
    path("me/privacy/", include("events.privacy_urls")),
    path("programmes/<slug:slug>/stakeholders/", include("events.stakeholder_urls")),
    path("programmes/<slug:slug>/questionnaires/", include("events.questionnaire_urls")),
    path(
        "programmes/<slug:slug>/questionnaires/<int:questionnaire_id>/",
        include("events.questionnaire_tracking_urls"),
    ),
    path("programmes/<slug:slug>/questionnaires/", include("events.questionnaire_analysis_urls")),
    path("programmes/<slug:slug>/", include("matching.programme_urls")),
    path("programmes/<slug:slug>/indicators", include("matching.indicator_urls")),
    path("programmes/", include("events.programme_urls")),
    path("q/", include("events.questionnaire_answer_urls")),
    path("", include("events.live_urls")),
    path("", include("events.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
