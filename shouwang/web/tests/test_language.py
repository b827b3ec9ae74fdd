from django.test import Client
from django.urls import reverse


def test_it_speaks_chinese_even_to_an_english_browser(client: Client) -> None:
    response = client.get(reverse("login"), headers={"Accept-Language": "en-US,en;q=0.9"})
    assert response["Content-Language"] == "zh-hans"
    assert "登录" in response.content.decode()


def test_the_switch_to_english_is_remembered(client: Client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    response = client.get(reverse("login"))
    assert response["Content-Language"] == "en"
    assert "Log in" in response.content.decode()


def test_an_unknown_language_cookie_falls_back_to_chinese(client: Client) -> None:
    client.cookies["django_language"] = "fr"
    assert client.get(reverse("login"))["Content-Language"] == "zh-hans"


def test_the_health_check_needs_no_login(client: Client) -> None:
    assert client.get("/healthz").content == b"ok"
