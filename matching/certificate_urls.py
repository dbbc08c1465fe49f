"""Certificates: /certificates/<code> is public (anyone verifies); the rest needs a sign-in."""

from django.urls import path

from matching import certificate_views

app_name = "certificates"

urlpatterns = [
    path("", certificate_views.verify_form, name="verify_form"),
    path("mine/", certificate_views.mine, name="mine"),
    path("training/<slug:slug>/", certificate_views.manage, name="manage"),
    path("<str:code>.pdf", certificate_views.pdf, name="pdf"),
    path("<str:code>", certificate_views.verify, name="verify"),
]
