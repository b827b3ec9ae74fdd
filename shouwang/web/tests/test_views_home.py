from django.test import Client
from django.urls import reverse


def test_after_login_each_role_lands_on_its_first_page(client: Client, world: object) -> None:
    response = client.post(reverse("login"), {"username": "pat", "password": "pw-for-tests"})
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home"))["Location"] == reverse("referrals:inbox")
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": "alice", "password": "pw-for-tests"})
    assert client.get(reverse("home"))["Location"] == reverse("cases:worklist")
