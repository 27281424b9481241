"""Build the fictional demo: Northshire VRP with ten partners and a user per role, and a smaller
second partnership so isolation can be seen. Running it again changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from tip.core.extensions import demo_seeders
from tip.core.models import (
    Membership,
    MembershipRole,
    Nation,
    Organisation,
    Partnership,
    Sector,
    User,
)
from tip.core.roles import Role

DEMO_PASSWORD = "demo-password-123"  # noqa: S105 - fictional demo accounts only

NORTHSHIRE: dict[str, Any] = {
    "name": "Northshire Violence Reduction Partnership",
    "area": "Northshire",
    "nation": Nation.ENGLAND,
    "organisations": [
        ("Northshire Police", Sector.POLICE),
        ("Northshire Integrated Care Board", Sector.HEALTH),
        ("Riverside Academy Trust", Sector.EDUCATION),
        ("Northshire County Council Children's Services", Sector.CHILDRENS_SERVICES),
        ("Northshire Youth Justice Service", Sector.YOUTH_JUSTICE),
        ("Northshire Probation Delivery Unit", Sector.PROBATION),
        ("Open Doors Youth Charity", Sector.VOLUNTARY),
        ("Northshire Homes", Sector.HOUSING),
        ("Northshire Fire and Rescue", Sector.OTHER),
        ("St Brigid's Hospital A&E", Sector.HEALTH),
    ],
    "people": [
        ("admin@northshire.example", "Asha Patel", "Northshire Police", [Role.PARTNERSHIP_ADMIN]),
        (
            "lead@northshire.example",
            "Ben Okafor",
            "Northshire County Council Children's Services",
            [Role.PROGRAMME_LEAD],
        ),
        ("trainer@northshire.example", "Carys Evans", "Open Doors Youth Charity", [Role.TRAINER]),
        (
            "evaluator@northshire.example",
            "Dev Sharma",
            "Northshire Integrated Care Board",
            [Role.EVALUATOR],
        ),
        ("champion@northshire.example", "Erin Walsh", "Riverside Academy Trust", [Role.CHAMPION]),
        (
            "practitioner@northshire.example",
            "Farid Haddad",
            "Northshire Youth Justice Service",
            [Role.PRACTITIONER],
        ),
        (
            "auditor@northshire.example",
            "Grace Lin",
            "Northshire County Council Children's Services",
            [Role.AUDITOR],
        ),
    ],
}

GLANNAU: dict[str, Any] = {
    "name": "Glannau Violence Prevention Unit",
    "area": "Glannau",
    "nation": Nation.WALES,
    "organisations": [
        ("Heddlu Glannau", Sector.POLICE),
        ("Bwrdd Iechyd Glannau", Sector.HEALTH),
        ("Ysgol Uwchradd Glannau", Sector.EDUCATION),
    ],
    "people": [
        ("admin@glannau.example", "Huw Morgan", "Heddlu Glannau", [Role.PARTNERSHIP_ADMIN]),
        (
            "practitioner@glannau.example",
            "Iola Price",
            "Ysgol Uwchradd Glannau",
            [Role.PRACTITIONER],
        ),
        # The programme lead of Northshire also sits in Glannau, to show switching.
        ("lead@northshire.example", "Ben Okafor", "Bwrdd Iechyd Glannau", [Role.PRACTITIONER]),
    ],
}


class Command(BaseCommand):
    help = __doc__

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        for spec in (NORTHSHIRE, GLANNAU):
            partnership, _ = Partnership.objects.update_or_create(
                name=spec["name"], defaults={"area": spec["area"], "nation": spec["nation"]}
            )
            orgs = {}
            for name, sector in spec["organisations"]:
                orgs[name], _ = Organisation.objects.update_or_create(
                    partnership=partnership, name=name, defaults={"sector": sector}
                )
            for email, full_name, org_name, roles in spec["people"]:
                user = User.objects.filter(email=email).first()
                if user is None:
                    user = User.objects.create_user(email, DEMO_PASSWORD, full_name=full_name)
                membership, _ = Membership.objects.update_or_create(
                    partnership=partnership, user=user, defaults={"organisation": orgs[org_name]}
                )
                for role in roles:
                    MembershipRole.objects.get_or_create(membership=membership, role=role)
        for seeder in demo_seeders():
            self.stdout.write(seeder())
        self.stdout.write(self.style.SUCCESS("Demo partnerships are ready."))
        self.stdout.write(
            "Sign in at http://127.0.0.1:8000/accounts/sign-in/ with any of these "
            f"(password for all: {DEMO_PASSWORD}):"
        )
        for spec in (NORTHSHIRE, GLANNAU):
            self.stdout.write(f"  {spec['name']}")
            for email, _n, _o, roles in spec["people"]:
                self.stdout.write(f"    {email:<34} {', '.join(str(Role(r).label) for r in roles)}")
        self.stdout.write(
            "Admins, programme leads, evaluators and auditors link an authenticator app at first "
            "sign-in. Without a phone, `tip demo-totp EMAIL` prints the current code."
        )
