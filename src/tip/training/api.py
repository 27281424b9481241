"""The training part of the JSON API, under /api/training.

One router for the app, registered from TrainingConfig.ready() through core's `register_router`;
each area attaches its operations to it from its own module (api_courses.py, ...), imported
before the router is registered. The same services as the pages do the work, so the API refuses
what the pages refuse, with the same messages, and writes the same audit entries.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router

router = Router(tags=["training"])


@contextmanager
def naming_codes(**codes: Sequence[str]) -> Iterator[None]:
    """A service's refusal of a coded field (a sector, a group of staff), with the codes a script
    may send added to the message: the page offers them as a list to choose from, which a script
    cannot see. Other refusals pass through unchanged."""
    try:
        yield
    except ValidationError as exc:
        if not getattr(exc, "error_dict", {}).keys() & codes.keys():
            raise
        errors = exc.message_dict
        for field, values in codes.items():
            if field in errors:
                errors[field] = [
                    *errors[field],
                    _("Use one of: %(values)s.") % {"values": ", ".join(values)},
                ]
        raise ValidationError(errors) from exc
