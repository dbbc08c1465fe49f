"""The PDF's QR opens the public check page, which says genuine; revoked after revocation; a forged code is
not found. The page shows only what the certificate states, to anyone, in their language."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
import zxingcpp
from django.test import Client
from pypdf import PdfReader

from matching import certificates
from matching.certificate_models import Certificate
from tests.certificates.course import completed_course
from tests.factories import UserFactory


@pytest.fixture
def issued(actors):
    course = completed_course(actors)
    certificate, _ = certificates.certificate_issue(
        registration=course.zainab, by=actors.organiser, name_arabic="زينب الحسيني"
    )
    return course, certificate


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _qr_urls(pdf: bytes) -> list[str]:
    """Every QR in the PDF's images, decoded as a phone would read it."""
    texts = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for image in page.images:
            texts += [r.text for r in zxingcpp.read_barcodes(image.image)]
    return texts


def _status(response) -> str:
    return response.content.decode().split('data-status="')[1].split('"')[0]


def test_the_qr_in_the_trainees_pdf_opens_the_page_that_says_genuine_then_revoked(actors, issued):
    _course, certificate = issued
    trainee = _client(actors.candidate)
    assert 'href="/certificates/mine/"' in trainee.get("/me/").content.decode()  # the way there
    mine = trainee.get("/certificates/mine/").content.decode()
    code = certificates.grouped(certificate.code)
    assert f'href="/certificates/{code}.pdf"' in mine
    pdf = trainee.get(f"/certificates/{code}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert actors.candidate.get_full_name() in text and "ICT Training" in text and code in text

    [url] = _qr_urls(pdf.content)
    assert url == certificates.verify_url(certificate.code)
    employer = Client()  # nobody signed in: an employer in Vilnius
    page = employer.get(urlsplit(url).path)
    assert page.status_code == 200 and _status(page) == "valid"
    body = page.content.decode()
    assert "Genuine and valid" in body and actors.candidate.get_full_name() in body and "زينب الحسيني" in body
    assert actors.candidate.email not in body  # only what the certificate states
    assert page["Cache-Control"] == "no-store" and page["X-Robots-Tag"] == "noindex, nofollow"

    certificates.certificate_revoke(certificate=certificate, by=actors.organiser, reason="Issued by mistake")
    revoked = employer.get(urlsplit(url).path)
    assert revoked.status_code == 200 and _status(revoked) == "revoked"
    assert "Revoked" in revoked.content.decode() and "Issued by mistake" not in revoked.content.decode()
    # The trainee no longer downloads a revoked certificate.
    assert trainee.get(f"/certificates/{code}.pdf").status_code == 404


def test_a_forged_or_mistyped_code_is_not_found(issued):
    _course, certificate = issued
    client = Client()
    forged = certificate.code[:-1] + ("0" if certificate.code[-1] != "0" else "1")
    for raw in (forged, certificates.new_code(), "NOT-A-CODE", "x" * 300):
        page = client.get(f"/certificates/{raw}")
        assert page.status_code == 404 and _status(page) == "not_found", raw
        assert certificate.name not in page.content.decode()
    # Typed in another case with Crockford's look-alikes: still the certificate.
    lower = certificates.grouped(certificate.code).lower().replace("0", "o").replace("1", "l")
    assert _status(client.get(f"/certificates/{lower}")) == "valid"


def test_the_code_form_leads_to_the_page_and_refuses_what_is_not_a_code(issued):
    _course, certificate = issued
    client = Client()
    assert client.get("/certificates/").status_code == 200
    typed = client.get("/certificates/", {"code": certificate.code.lower()})
    assert typed.status_code == 302 and typed["Location"] == f"/certificates/{certificates.grouped(certificate.code)}"
    assert client.get("/certificates/", {"code": "a/b?c"}).status_code == 400


def test_the_page_speaks_the_visitors_language(issued):
    _course, certificate = issued
    client = Client()
    arabic = client.get(f"/certificates/{certificate.code}", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'lang="ar" dir="rtl"' in arabic
    client.cookies["django_language"] = "lt"
    assert 'lang="lt"' in client.get(f"/certificates/{certificate.code}").content.decode()


def test_misses_are_rate_limited_per_address_but_found_codes_are_not(issued, settings):
    _course, certificate = issued
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "certificate_lookup": {"address": (3, 3600), "account": (3, 3600)}}
    client = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [client.get(f"/certificates/{certificates.new_code()}").status_code for _ in range(5)]
    assert statuses == [404, 404, 404, 429, 429]
    assert client.get(f"/certificates/{certificate.code}").status_code == 200
    assert Client(REMOTE_ADDR="203.0.113.10").get(f"/certificates/{certificates.new_code()}").status_code == 404


def test_only_the_trainee_and_organisers_download_the_pdf(actors, issued):
    _course, certificate = issued
    path = f"/certificates/{certificate.code}.pdf"
    assert _client().get(path).status_code == 302  # to the sign-in page
    assert _client(actors.employer_a).get(path).status_code == 404
    assert _client(UserFactory(email="other@example.org")).get(path).status_code == 404
    assert _client(actors.organiser).get(path).status_code == 200


def test_organisers_issue_to_all_and_revoke_from_the_training_page(actors, issued):
    course, certificate = issued
    certificates.certificate_revoke(certificate=certificate, by=actors.organiser, reason="Reprint")
    path = f"/certificates/training/{course.event.slug}/"
    assert _client(actors.candidate).get(path).status_code == 403
    assert _client(course.trainer).get(path).status_code == 403
    organiser = _client(actors.organiser)
    assert f'href="{path}"' in organiser.get(f"/events/{course.event.slug}/").content.decode()
    page = organiser.get(path).content.decode()
    assert "1 trainee completed the training and has no certificate yet." in page
    done = organiser.post(path, {"action": "issue_all"})
    assert done.status_code == 302
    assert "1 certificate issued." in organiser.get(done["Location"]).content.decode()
    new = Certificate.objects.get(revoked_at__isnull=True)
    refused = organiser.post(path, {"action": "revoke", "certificate": str(new.pk), "reason": ""})
    assert refused.status_code == 422 and 'data-code="reason_required"' in refused.content.decode()
    too_big = {"action": "revoke", "certificate": "99999999999999999999", "reason": "x"}
    assert organiser.post(path, too_big).status_code == 404
    revoke = {"action": "revoke", "certificate": str(new.pk), "reason": "Wrong dates"}
    assert organiser.post(path, revoke).status_code == 302
    assert not Certificate.objects.filter(revoked_at__isnull=True).exists()
    assert organiser.post(path, {"action": "nonsense"}).status_code == 400
    assert organiser.post(path, {"action": "issue", "registration": str(course.ali.pk)}).status_code == 409


def test_the_check_page_reads_one_row(issued, django_assert_num_queries):
    _course, certificate = issued
    client = Client()
    with django_assert_num_queries(1):
        assert client.get(f"/certificates/{certificate.code}").status_code == 200
    # A mistyped code is answered from its check characters, without the database.
    mistyped = certificate.code[:-1] + ("0" if certificate.code[-1] != "0" else "1")
    with django_assert_num_queries(0):
        assert client.get(f"/certificates/{mistyped}").status_code == 404
