"""Certificates of attendance: their codes, the address that checks them, how their hours and
dates read, and the PDF.

* A code is 22 characters from ``secrets.token_urlsafe(16)``: 128 random bits, so guessing one
  is hopeless, and unique (checked, and enforced by the database).
* The PDF is rendered by WeasyPrint from ``training/certificate_pdf.html`` as tagged PDF/UA-1,
  with programmes' renderer, which fetches nothing: the page is drawn from its own HTML.
* The public check page shows the course, the date and the hours, and nothing about the person.
"""

from __future__ import annotations

import secrets
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from tip.training.models_delivery import Certificate

CODE_BYTES = 16  # 22 characters of URL-safe base64


def new_code() -> str:
    """A fresh, unguessable code no certificate has yet. It starts with a letter or digit, so
    no spreadsheet takes it for a formula and nobody misreads a leading dash."""
    while True:
        code = secrets.token_urlsafe(CODE_BYTES)
        if code[0].isalnum() and not Certificate.objects.filter(code=code).exists():
            return code


def check_url(code: str = "") -> str:
    """The public page that checks a certificate, with the code filled in when given."""
    url = settings.TIP_BASE_URL + reverse("training:certificate-check")
    return url + ("?" + urlencode({"code": code}) if code else "")


def hours_text(hours: Decimal) -> str:
    """ "6 hours", "1 hour", "3.5 hours", in the reader's language and number format."""
    hours = Decimal(hours)
    whole = hours == hours.to_integral_value()
    shown = formats.number_format(int(hours) if whole else hours.normalize())
    count = int(hours) if whole else 10
    return ngettext("%(hours)s hour", "%(hours)s hours", count) % {"hours": shown}


def dates_text(first: date | None, last: date | None) -> str:
    """ "12 March 2026", or "12 to 13 March 2026" for a session over several days."""
    if first is None:
        return ""
    if last is None or last == first:
        return formats.date_format(first, "j F Y")
    return _("%(first)s to %(last)s") % {
        "first": formats.date_format(first, "j F Y"),
        "last": formats.date_format(last, "j F Y"),
    }


def certificate_dates(certificate: Certificate) -> tuple[date | None, date | None]:
    """The first and last day of the certificate's session, in Europe/London (parts
    prefetched)."""
    parts = list(certificate.booking.session.parts.all())
    if not parts:
        return None, None
    first = min(p.starts_at for p in parts)
    last = max(p.ends_at for p in parts)
    return timezone.localdate(first), timezone.localdate(last)


def pdf_filename(certificate: Certificate) -> str:
    course = slugify(certificate.booking.session.course.name) or "course"
    return f"certificate-{course}-{certificate.code[:8]}.pdf"


def certificate_context(certificate: Certificate) -> dict[str, Any]:
    first, last = certificate_dates(certificate)
    session = certificate.booking.session
    return {
        "language": get_language() or "en",
        "name": certificate.booking.membership.user.full_name,
        "course": session.course.name,
        "version": session.course_version.number,
        "dates": dates_text(first, last),
        "hours": hours_text(certificate.hours),
        "partnership": certificate.partnership.name,
        "code": certificate.code,
        "check_url": check_url(),
        "check_url_with_code": check_url(certificate.code),
        "issued_at": certificate.issued_at,
        "revoked": certificate.revoked_at is not None,
    }


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate as a tagged PDF. Callers audit who downloads it (services_attendance)."""
    from tip.programmes.exports import html_to_pdf

    html = render_to_string("training/certificate_pdf.html", certificate_context(certificate))
    return html_to_pdf(html)
