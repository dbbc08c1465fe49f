from django.urls import include, path, register_converter
from django.urls.converters import IntConverter

from matching import dialogue_views, views


class DatabaseIdConverter(IntConverter):
    """An id that fits a 64-bit database integer; a longer number is no route (404).

    SQLite cannot bind a larger integer in a foreign-key lookup and would raise OverflowError: a 500.
    """

    regex = "[0-9]{1,18}"


register_converter(DatabaseIdConverter, "dbid")

app_name = "matching"

urlpatterns = [
    path("cv/<dbid:user_id>/", views.cv_download, name="cv"),
    path("answer/<str:token>/", views.answer_page, name="answer"),
    path("notices/", views.notices_fragment, name="notices"),
    path("<slug:slug>/board/", views.board_page, name="board"),
    path("<slug:slug>/board/fragment/", views.board_fragment, name="board_fragment"),
    path("<slug:slug>/board/action/", views.board_action, name="board_action"),
    path("<slug:slug>/me/", views.me_page, name="me"),
    path("<slug:slug>/me/fragment/", views.me_fragment, name="me_fragment"),
    path("<slug:slug>/me/action/", views.me_action, name="me_action"),
    path("<slug:slug>/profile/", views.profile_page, name="profile"),
    path("<slug:slug>/scan/", views.scan_page, name="scan"),
    path("<slug:slug>/leads/<dbid:candidate_id>/", views.lead_page, name="lead"),
    path("<slug:slug>/leads.csv", views.leads_csv, name="leads_csv"),
    path("<slug:slug>/gap-report", views.gap_report_page, name="gap_report"),
    path("<slug:slug>/gap-report.csv", views.gap_report_csv_view, name="gap_report_csv"),
    path("<slug:slug>/timetable/", views.timetable_page, name="timetable"),
    path("<slug:slug>/dialogue/", dialogue_views.official_page, name="dialogue"),
    path("<slug:slug>/dialogue/wishes/", dialogue_views.wishes_page, name="dialogue_wishes"),
    path("<slug:slug>/dialogue/scheduler/", dialogue_views.scheduler_page, name="dialogue_scheduler"),
    path("", include("matching.outcome_urls")),
    path("<slug:slug>/training/assessments/", include("matching.assessment_urls")),
]
