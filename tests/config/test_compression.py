"""Text responses are gzip-compressed; calendar feeds keep their ETag, 304 and HEAD; static files come compressed."""

from __future__ import annotations

import gzip
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from tests.factories import EventFactory, SessionFactory

pytestmark = pytest.mark.django_db

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


@pytest.fixture
def fair():
    start = timezone.now() + timedelta(days=3)
    end = start + timedelta(hours=8)
    event = EventFactory(slug="zip-fair", title="Compressed Job Fair", starts_at=start, ends_at=end)
    for i in range(40):
        SessionFactory(
            event=event,
            title=f"Session {i}: cloud careers",
            starts_at=start + timedelta(minutes=10 * i),
            ends_at=start + timedelta(minutes=10 * i + 9),
        )
    return event


def test_a_page_is_gzipped_for_a_browser_that_accepts_it(fair):
    plain = Client().get("/events/zip-fair/")
    zipped = Client().get("/events/zip-fair/", headers=GZIP)
    assert zipped.status_code == 200
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert "Compressed Job Fair" in gzip.decompress(zipped.content).decode()
    assert len(zipped.content) < len(plain.content) / 2
    assert "Content-Encoding" not in plain


def test_the_api_answers_gzipped_json(fair):
    response = Client().get("/api/v1/events/zip-fair/sessions", headers=GZIP)
    assert response["Content-Encoding"] == "gzip"
    assert b"cloud careers" in gzip.decompress(response.content)


def test_a_feed_is_gzipped_and_its_etag_and_304_still_work(fair):
    url = "/calendar/events/zip-fair.ics"
    plain = Client().get(url)
    zipped = Client().get(url, headers=GZIP)
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    # Same representation, compressed: a weak ETag for the same validator.
    assert zipped["ETag"] == "W/" + plain["ETag"]
    for etag in (zipped["ETag"], plain["ETag"]):
        again = Client().get(url, headers={**GZIP, "If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
    assert Client().get(url, headers={**GZIP, "If-Modified-Since": zipped["Last-Modified"]}).status_code == 304


def test_head_on_a_feed_answers_the_gets_length_and_encoding(fair):
    url = "/calendar/events/zip-fair.ics"
    for headers in (GZIP, {}):
        get = Client().get(url, headers=headers)
        head = Client().head(url, headers=headers)
        assert head.status_code == 200 and head.content == b""
        assert head["Content-Length"] == get["Content-Length"] == str(len(get.content))
        assert head.get("Content-Encoding") == get.get("Content-Encoding")
    # Feeds compress the same way every time (no random padding), so a HEAD can know the length.
    assert Client().get(url, headers=GZIP).content == Client().get(url, headers=GZIP).content


def test_static_files_are_served_precompressed(tmp_path):
    with override_settings(STATIC_ROOT=tmp_path, WHITENOISE_USE_FINDERS=False, WHITENOISE_AUTOREFRESH=False):
        call_command("collectstatic", interactive=False, verbosity=0)
        assert (tmp_path / "css" / "site.css.gz").exists()
        client = Client()
        zipped = client.get("/static/css/site.css", headers=GZIP)
        assert zipped.status_code == 200
        assert zipped["Content-Encoding"] == "gzip"
        body = gzip.decompress(b"".join(zipped.streaming_content))
        assert body == (tmp_path / "css" / "site.css").read_bytes()
