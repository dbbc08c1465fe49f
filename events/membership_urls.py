from django.urls import path

from events import membership_views as views

app_name = "memberships"

urlpatterns = [
    path("requests/", views.requests_page, name="requests"),
    path("memberships/<int:pk>/decide/", views.decide, name="decide"),
    path("registrations/<int:pk>/confirm/", views.confirm_registration, name="confirm_registration"),
    path("<int:pk>/verify/", views.verify_organisation, name="verify"),
    path("<int:pk>/members/", views.members_page, name="members"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]
