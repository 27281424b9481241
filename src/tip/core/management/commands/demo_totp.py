"""Print the current two-factor code for a demo account, for trying the demo without a phone."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, email: str, **options: Any) -> None:
        if not settings.TIP_DEMO:
            raise CommandError("This command only works in the demo.")
        device = TOTPDevice.objects.filter(user__email=email.lower()).order_by("-confirmed").first()
        if device is None:
            raise CommandError(
                f"{email} has no authenticator yet. Sign in once to reach the set-up page."
            )
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        self.stdout.write(f"{totp.token():0{device.digits}d}")
