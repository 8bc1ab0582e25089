"""The development page of sent emails: what the web process and the worker sent, instead of reading worker logs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.mail import EmailMultiAlternatives, get_connection
from django.test import Client


@pytest.mark.django_db  # the page's header reads the branding
def test_the_page_lists_the_last_emails_sent_in_development(settings: Any, tmp_path: Path) -> None:
    settings.DEBUG = True
    settings.DEV_MAIL_DIR = tmp_path
    settings.EMAIL_BACKEND = "burenhulp.core.devmail.EmailBackend"
    message = EmailMultiAlternatives(
        "Kan je helpen met boodschappen?",
        "Ja of nee: http://127.0.0.1:8000/p/abc/accept/",
        to=["jonas@wakken.example"],
        connection=get_connection(),
    )
    message.attach_alternative("<p>Ja of nee</p>", "text/html")
    assert message.send() == 1
    assert len(list(tmp_path.glob("*.eml"))) == 1
    page = Client().get("/dev/emails/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Kan je helpen met boodschappen?" in page
    assert "jonas@wakken.example" in page
    assert '<a href="http://127.0.0.1:8000/p/abc/accept/"' in page


@pytest.mark.django_db
def test_the_page_does_not_exist_in_production(settings: Any) -> None:
    settings.DEBUG = False
    assert Client().get("/dev/emails/").status_code == 404
