from django.urls import path

from checkin import final_assessment_views, training_views, views

app_name = "checkin"

urlpatterns = [
    path("sw.js", views.service_worker, name="service_worker"),
    path("tickets/<int:registration_id>.<str:fmt>", views.ticket_qr, name="ticket_qr"),
    path("badges/<int:registration_id>.pdf", views.badge_pdf, name="badge_pdf"),
    path("badge-jobs/<int:job_id>.pdf", views.badge_job_pdf, name="badge_job_pdf"),
    path("<slug:slug>/scan", views.scan, name="scan"),
    path("<slug:slug>/here/<str:token>/", views.self_checkin, name="self"),
    path("<slug:slug>/poster/", views.poster, name="poster"),
    path("<slug:slug>/attendance/", views.attendance, name="attendance"),
    path("<slug:slug>/attendance.csv", views.attendance_csv, name="attendance_csv"),
    path("<slug:slug>/training/", training_views.grid, name="training"),
    path("<slug:slug>/training.csv", training_views.grid_csv, name="training_csv"),
    path("<slug:slug>/training.xlsx", training_views.grid_xlsx, name="training_xlsx"),
    path("<slug:slug>/training/final/", final_assessment_views.final_page, name="training_final"),
    path("<slug:slug>/training/<int:registration_id>/<int:session_id>/", training_views.mark, name="training_mark"),
    path("<slug:slug>/progress/", training_views.progress, name="training_progress"),
    path("<slug:slug>/badges/", views.badges, name="badges"),
    path("<slug:slug>/log/", views.scan_log, name="log"),
    path("<slug:slug>/log/<int:scan_id>/undo", views.scan_undo, name="undo"),
]
