"""Send TIP's email through GOV.UK Notify instead of SMTP.

Notify sends only from templates made in its own web interface. Make one email template whose
subject is ``((subject))`` and whose body is ``((body))``, and set:

    TIP_NOTIFY_API_KEY=<the service's API key>
    TIP_NOTIFY_TEMPLATE_ID=<that template's id>

The production settings then use this backend; without them TIP sends through SMTP. Notify
cannot attach files such as calendar invitations to an email: attachments are left out and the
email says so, and the message's text is the same as by SMTP.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

logger = logging.getLogger(__name__)

ATTACHMENTS_LEFT_OUT = (
    "\n\n(This email had attachments, such as a calendar invitation, which could not be sent "
    "with it. Sign in to TIP to see the details.)"
)


class NotifyEmailBackend(BaseEmailBackend):
    """A Django email backend that sends each recipient a GOV.UK Notify email."""

    def __init__(self, fail_silently: bool = False, **kwargs: Any) -> None:
        super().__init__(fail_silently=fail_silently, **kwargs)
        api_key = getattr(settings, "TIP_NOTIFY_API_KEY", "")
        self.template_id = getattr(settings, "TIP_NOTIFY_TEMPLATE_ID", "")
        if not api_key or not self.template_id:
            raise ImproperlyConfigured(
                "The GOV.UK Notify email backend needs TIP_NOTIFY_API_KEY and "
                "TIP_NOTIFY_TEMPLATE_ID."
            )
        # The client library has no type hints for its calls.
        client_class: Any = NotificationsAPIClient
        self.client: Any = client_class(api_key)

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        for message in email_messages:
            body = str(message.body)
            if message.attachments:
                body += ATTACHMENTS_LEFT_OUT
            recipients = [*message.to, *message.cc, *message.bcc]
            try:
                for address in recipients:
                    self.client.send_email_notification(
                        email_address=address,
                        template_id=self.template_id,
                        personalisation={"subject": str(message.subject), "body": body},
                    )
            except APIError as exc:
                # Never log the message itself: it may be about someone's training or safety.
                logger.error("GOV.UK Notify refused an email (status %s).", exc.status_code)
                if not self.fail_silently:
                    raise
                continue
            if recipients:
                sent += 1
        return sent
