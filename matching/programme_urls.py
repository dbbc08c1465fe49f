"""A programme's needs-assessment pages served by matching (they need skills, openings and profiles)."""

from django.urls import path

from matching import programme_gap_views as views

app_name = "needs_assessment"

urlpatterns = [
    path("skills-gap", views.skills_gap_page, name="skills_gap"),
    path("skills-gap.csv", views.skills_gap_csv, name="skills_gap_csv"),
    path("needs-assessment.pdf", views.needs_assessment_pdf, name="pdf"),
    path("needs-assessment.csv", views.needs_assessment_csv, name="csv"),
]
