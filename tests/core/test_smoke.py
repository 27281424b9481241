import pytest

from tests.conftest import World


@pytest.mark.django_db
def test_start_page_renders(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Sign in" in response.content


def test_dashboard_for_admin(world_a: World, client_for):
    client = client_for(world_a.user("partnership_admin"))
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert world_a.partnership.name.encode() in response.content


def test_pages_render(world_a: World, client_for):
    client = client_for(world_a.user("partnership_admin"))
    org = world_a.organisations[0]
    for url in [
        "/organisations/",
        f"/organisations/{org.pk}/",
        "/organisations/new/",
        "/people/",
        f"/people/{world_a.members['trainer'].pk}/",
        "/account/api-tokens/",
        "/support/",
        "/accessibility/",
        "/privacy/",
        "/cookies/",
        "/accounts/password-reset/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    response = client.post("/organisations/new/", {"name": "", "sector": "nope"})
    assert response.status_code == 200
    assert b"There is a problem" in response.content


def test_navigation_waits_for_the_second_factor(world_a: World, client) -> None:
    client.force_login(world_a.user("partnership_admin"))
    response = client.get("/accounts/two-factor/set-up/")
    assert response.status_code == 200
    assert b'href="/people/"' not in response.content
