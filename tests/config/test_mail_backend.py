"""Development email files (config/mail_backend.py): an .eml and a .txt a person can read."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives, get_connection


def test_each_email_is_an_eml_and_a_readable_txt_with_the_subject_decoded(tmp_path):
    message = EmailMultiAlternatives(
        subject="رابطك: معرض الوظائف – Vilniaus mugė",
        body="مرحبًا زينب،\nhttp://127.0.0.1:8101/me/link/abc/\n",
        from_email="Explorers Events <events@explorers.example>",
        to=["zainab@example.org"],
    )
    message.attach_alternative("<p>مرحبًا</p>", "text/html")
    message.attach("invite.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    connection = get_connection("config.mail_backend.ReadableFileBackend", file_path=str(tmp_path / "mail"))

    assert connection.send_messages([message]) == 1

    (eml,) = (tmp_path / "mail").glob("*.eml")
    (txt,) = (tmp_path / "mail").glob("*.txt")
    assert eml.stem == txt.stem and "zainab@example.org" in eml.stem
    raw = eml.read_bytes()
    assert b"=?utf-8?" in raw  # the .eml is the real message, its subject encoded for mail programs
    text = txt.read_text(encoding="utf-8")
    assert "Subject: رابطك: معرض الوظائف – Vilniaus mugė" in text
    assert "To: zainab@example.org" in text
    assert "مرحبًا زينب،" in text
    assert "http://127.0.0.1:8101/me/link/abc/" in text
    assert "[attachment: invite.ics (text/calendar)]" in text
    assert "=?utf-8?" not in text


def test_the_suite_itself_keeps_the_in_memory_backend(settings):
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"
