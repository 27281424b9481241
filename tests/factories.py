"""Factories for tests. Every object belongs to a partnership passed in or made here."""

from __future__ import annotations

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from tip.core.models import Membership, MembershipRole, Organisation, Partnership, Sector, User
from tip.core.roles import Role

PASSWORD = "correct-horse-battery-staple"


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Partnership {n} VRU")
    area = factory.Sequence(lambda n: f"Area {n}")
    nation = "england"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Organisation {n}")
    sector = Sector.POLICE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person Number{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.LazyAttribute(lambda o: OrganisationFactory(partnership=o.partnership))
    user = factory.SubFactory(UserFactory)

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        for role in extracted or [Role.PRACTITIONER]:
            MembershipRole.objects.create(membership=self, role=role)


def verified_device(user: User) -> TOTPDevice:
    device: TOTPDevice = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return device
