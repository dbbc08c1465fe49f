"""Issuing (only to those who completed, once), revoking with a reason, issuing again after a revocation."""

from __future__ import annotations

import pytest

from matching import certificates
from matching.certificate_models import Certificate
from tests.certificates.course import completed_course


@pytest.fixture
def course(actors):
    return completed_course(actors)


def test_only_a_trainee_who_completed_gets_a_certificate_and_only_once(actors, course):
    certificate, created = certificates.certificate_issue(registration=course.zainab, by=actors.organiser)
    assert created
    again, created_again = certificates.certificate_issue(registration=course.zainab, by=actors.organiser)
    assert (again.pk, created_again) == (certificate.pk, False)
    assert certificate.name == actors.candidate.get_full_name()
    assert certificate.training == "ICT Training"
    assert certificate.starts_on == course.event.starts_at.astimezone(course.event.tzinfo).date()
    with pytest.raises(certificates.CertificateError) as refused:
        certificates.certificate_issue(registration=course.ali, by=actors.organiser)
    assert (refused.value.code, refused.value.status) == ("not_completed", 409)
    assert Certificate.objects.count() == 1


def test_issuing_to_all_who_completed_is_one_click_and_repeatable(actors, course):
    made = certificates.certificates_issue_completed(event=course.event, by=actors.organiser)
    assert [c.user_id for c in made] == [actors.candidate.pk]
    assert certificates.certificates_issue_completed(event=course.event, by=actors.organiser) == []
    assert Certificate.objects.count() == 1


def test_only_organisers_issue_and_revoke(actors, course):
    for who in (course.trainer, actors.candidate, actors.employer_a):
        with pytest.raises(certificates.CertificateError) as refused:
            certificates.certificates_issue_completed(event=course.event, by=who)
        assert refused.value.code == "forbidden"
    certificate, _ = certificates.certificate_issue(registration=course.zainab, by=actors.organiser)
    with pytest.raises(certificates.CertificateError):
        certificates.certificate_revoke(certificate=certificate, by=actors.candidate, reason="Mine")


def test_revoking_needs_a_reason_and_happens_once_then_a_new_code_replaces_it(actors, course):
    first, _ = certificates.certificate_issue(
        registration=course.zainab, by=actors.organiser, name_arabic="زينب الحسيني"
    )
    for reason, code in (("", "reason_required"), ("x" * 301, "reason_too_long"), ("a\u202eb", "bidi_controls")):
        with pytest.raises(certificates.CertificateError) as refused:
            certificates.certificate_revoke(certificate=first, by=actors.organiser, reason=reason)
        assert refused.value.code == code
    revoked = certificates.certificate_revoke(certificate=first, by=actors.organiser, reason="Name misspelt")
    assert revoked.revoked_at is not None and revoked.revoked_reason == "Name misspelt"
    with pytest.raises(certificates.CertificateError) as twice:
        certificates.certificate_revoke(certificate=first, by=actors.organiser, reason="Again")
    assert twice.value.code == "already_revoked"
    assert certificates.certificate_lookup(raw=first.code).status == "revoked"

    second, created = certificates.certificate_issue(registration=course.zainab, by=actors.organiser)
    assert created and second.code != first.code and second.replaces_id == first.pk
    assert second.name_arabic == "زينب الحسيني"  # kept from the certificate it replaces
    assert certificates.certificate_lookup(raw=second.code).status == "valid"
    assert certificates.certificate_lookup(raw=first.code).status == "revoked"


def test_an_arabic_name_with_hidden_controls_is_refused(actors, course):
    with pytest.raises(certificates.CertificateError) as refused:
        certificates.certificate_issue(registration=course.zainab, by=actors.organiser, name_arabic="زينب\u202e")
    assert refused.value.status == 422
    assert not Certificate.objects.exists()


def test_the_trainee_is_emailed_in_their_language_once(actors, course, mailoutbox, django_capture_on_commit_callbacks):
    actors.candidate.language = "ar"
    actors.candidate.save()
    with django_capture_on_commit_callbacks(execute=True):
        certificate, _ = certificates.certificate_issue(registration=course.zainab, by=actors.organiser)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [actors.candidate.email]
    assert certificates.grouped(certificate.code) in message.body
    assert certificates.verify_url(certificate.code) in message.body
    assert certificates.send_certificate_issued(certificate.pk) is False  # a second run sends nothing
    assert len(mailoutbox) == 1


def test_a_trainee_without_a_name_gets_no_certificate_naming_their_email(actors, course):
    actors.candidate.full_name = ""
    actors.candidate.save()
    with pytest.raises(certificates.CertificateError) as refused:
        certificates.certificate_issue(registration=course.zainab, by=actors.organiser)
    assert refused.value.code == "name_missing"
    assert certificates.certificates_issue_completed(event=course.event, by=actors.organiser) == []
    assert not Certificate.objects.exists()
