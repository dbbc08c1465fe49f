from django.urls import path

from events import questionnaire_tracking_views as views

app_name = "questionnaire_tracking"

urlpatterns = [
    path("tracking", views.tracking, name="tracking"),
    path("tracking/send", views.send, name="send"),
    path("tracking/<int:invitation_id>/revoke", views.revoke, name="revoke"),
    path("tracking/<int:invitation_id>/resend", views.resend, name="resend"),
]
