"""The GOV.UK Notify email backend: each recipient gets the template with the subject and body;
attachments are left out with a note; refusals raise unless told to fail silently."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.test import override_settings
from notifications_python_client.errors import APIError

from tip.core import mail_notify


class FakeClient:
    def __init__(self, api_key: str) -> None:
        self.sent: list[dict[str, Any]] = []
        self.refuse = False

    def send_email_notification(self, **kwargs: Any) -> dict[str, str]:
        if self.refuse:
            response = type("R", (), {"status_code": 400, "json": lambda self: {}})()
            raise APIError(response)
        self.sent.append(kwargs)
        return {"id": "x"}


@pytest.fixture
def backend(monkeypatch: pytest.MonkeyPatch) -> mail_notify.NotifyEmailBackend:
    monkeypatch.setattr(mail_notify, "NotificationsAPIClient", FakeClient)
    with override_settings(TIP_NOTIFY_API_KEY="key", TIP_NOTIFY_TEMPLATE_ID="template-1"):
        return mail_notify.NotifyEmailBackend()


def test_each_recipient_gets_the_template_with_subject_and_body(
    backend: mail_notify.NotifyEmailBackend,
) -> None:
    message = EmailMessage("Your place", "See you on Monday.", to=["a@example.org"])
    message.cc = ["b@example.org"]
    assert backend.send_messages([message]) == 1
    client: Any = backend.client
    assert [s["email_address"] for s in client.sent] == ["a@example.org", "b@example.org"]
    assert client.sent[0]["template_id"] == "template-1"
    assert client.sent[0]["personalisation"] == {
        "subject": "Your place",
        "body": "See you on Monday.",
    }


def test_attachments_are_left_out_and_the_email_says_so(
    backend: mail_notify.NotifyEmailBackend,
) -> None:
    message = EmailMessage("Invitation", "Details inside.", to=["a@example.org"])
    message.attach("invite.ics", "BEGIN:VCALENDAR", "text/calendar")
    backend.send_messages([message])
    body = backend.client.sent[0]["personalisation"]["body"]  # type: ignore[attr-defined]
    assert body.startswith("Details inside.") and "calendar invitation" in body


def test_a_refusal_raises_unless_failing_silently(
    backend: mail_notify.NotifyEmailBackend,
) -> None:
    backend.client.refuse = True  # type: ignore[attr-defined]
    message = EmailMessage("x", "y", to=["a@example.org"])
    with pytest.raises(APIError):
        backend.send_messages([message])
    backend.fail_silently = True
    assert backend.send_messages([message]) == 0


def test_it_needs_a_key_and_a_template() -> None:
    with (
        override_settings(TIP_NOTIFY_API_KEY="", TIP_NOTIFY_TEMPLATE_ID=""),
        pytest.raises(ImproperlyConfigured, match="TIP_NOTIFY_API_KEY"),
    ):
        mail_notify.NotifyEmailBackend()
