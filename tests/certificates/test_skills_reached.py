"""The skills on a certificate: those the trainer assessed at level 3 or more at the end round, as issued."""

from __future__ import annotations

import io

from django.test import Client
from pypdf import PdfReader

from matching import assessments, certificates
from matching.models import Skill
from tests.certificates.course import completed_course


def test_skills_at_level_three_or_more_at_the_end_are_on_the_certificate_page_and_pdf(actors):
    course = completed_course(actors)
    python, sql, java = (Skill.objects.get(name=name) for name in ("Python", "SQL", "Java"))
    assessments.curriculum_set(event=course.event, skill_ids=[python.pk, sql.pk, java.pk], by=course.trainer)
    zainab = course.zainab.pk
    # Intake levels do not count; at the end Python 4, SQL 3, Java 2.
    assessments.trainer_levels_record(
        event=course.event, round="intake", levels={(zainab, python.pk): 5, (zainab, java.pk): 5}, by=course.trainer
    )
    assessments.trainer_levels_record(
        event=course.event,
        round="end",
        levels={(zainab, python.pk): 4, (zainab, sql.pk): 3, (zainab, java.pk): 2},
        by=course.trainer,
    )
    certificate, _ = certificates.certificate_issue(registration=course.zainab, by=actors.organiser)
    assert [(s["name"], s["level"]) for s in certificate.skills] == [("Python", 4), ("SQL", 3)]

    page = Client().get(f"/certificates/{certificate.code}").content.decode()
    skills = page.split('data-field="skills"')[1].split("</ul>")[0]
    assert "Python: level 4 of 5" in skills and "SQL: level 3 of 5" in skills and "Java" not in skills

    organiser = Client()
    organiser.force_login(actors.organiser)
    pdf = organiser.get(f"/certificates/{certificate.code}.pdf").content
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Python: level 4 of 5" in text and "Java" not in text

    # A later reassessment does not change what was issued.
    assessments.trainer_levels_record(event=course.event, round="end", levels={(zainab, java.pk): 5}, by=course.trainer)
    certificate.refresh_from_db()
    assert [s["name"] for s in certificate.skills] == ["Python", "SQL"]
