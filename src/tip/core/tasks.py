"""Background tasks, run by the database-backed worker (`tip worker`)."""

from __future__ import annotations

from django.core.mail import send_mail
from django_tasks import task


@task()
def send_email(*, subject: str, body: str, to: list[str]) -> int:
    return send_mail(subject=subject, message=body, from_email=None, recipient_list=to)
