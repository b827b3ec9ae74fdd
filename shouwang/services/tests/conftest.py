import pytest
from django.test import Client


@pytest.fixture
def english_pages(client: Client, english_messages: None) -> None:
    """Pages in English for this test's client (the default language is zh-Hans)."""
    client.cookies["django_language"] = "en"
