"""Routes of "what the fair led to", included by matching/urls.py (same `matching:` namespace)."""

from django.urls import path

from matching import outcome_views

urlpatterns = [
    path("<slug:slug>/outcomes/", outcome_views.outcomes_page, name="outcomes"),
    path("<slug:slug>/my-outcomes/", outcome_views.my_outcomes_page, name="my_outcomes"),
]
