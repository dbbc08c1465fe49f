"""An erased trainee: their certificate stays counted but names nobody, on its page or in its PDF; their data
export lists it until then."""

from __future__ import annotations

from django.test import Client

from events import privacy
from events.personal_data import ENTRIES
from matching import certificates
from matching.certificate_models import Certificate
from tests.certificates.course import completed_course


def test_erasure_takes_the_name_off_the_certificate_and_its_page(actors):
    course = completed_course(actors)
    certificate, _ = certificates.certificate_issue(
        registration=course.zainab, by=actors.organiser, name_arabic="زينب الحسيني"
    )
    entry = next(e for e in ENTRIES if e.label == "matching.Certificate")
    assert list(entry.rows(actors.candidate)) == [certificate]
    name = actors.candidate.get_full_name()

    privacy.person_erase(user=actors.candidate, by=None)

    certificate.refresh_from_db()
    assert (certificate.name, certificate.name_arabic) == ("[erased]", "")
    page = Client().get(f"/certificates/{certificate.code}").content.decode()
    assert name not in page and "زينب" not in page
    assert Certificate.objects.filter(revoked_at__isnull=True).count() == 1
