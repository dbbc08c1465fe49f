"""A training's skill assessments, included by matching/urls.py under <event>/training/assessments/."""

from django.urls import path

from matching import assessment_views

urlpatterns = [
    path("", assessment_views.index, name="training_assessments"),
    path("curriculum/", assessment_views.curriculum_page, name="training_curriculum"),
    path("progression/", assessment_views.progression_page, name="training_progression"),
    path("progression/<int:registration_id>/", assessment_views.trainee_page, name="training_trainee_progression"),
    path("<str:round>/", assessment_views.round_page, name="training_assessment_round"),
    path("<str:round>/self/", assessment_views.self_page, name="training_self_assessment"),
]
