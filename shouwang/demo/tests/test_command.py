"""``shouwang demo``: generates once, prints the logins, and is safe to re-run with --if-empty."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shouwang.demo.generator import DEMO_PASSWORD, DEMO_USERS
from shouwang.registry.models import Child

USERNAMES = [spec.username for spec in DEMO_USERS]


def _run(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_generates_and_prints_a_summary_and_the_logins() -> None:
    output = _run("--children=40", "--seed=3", "--today=2026-03-01")

    assert Child.objects.count() == 40
    assert "demo data generated" in output
    assert "2026-03-01" in output
    assert DEMO_PASSWORD in output
    for username in USERNAMES:
        assert f"  {username} " in output


@pytest.mark.django_db
def test_it_only_prints_the_logins_with_if_empty_when_data_is_present() -> None:
    _run("--children=30", "--today=2026-03-01")

    output = _run("--if-empty")

    assert "demo data already present" in output
    assert DEMO_PASSWORD in output
    for username in USERNAMES:
        assert f"  {username} " in output
    assert Child.objects.count() == 30


@pytest.mark.django_db
def test_it_generates_with_if_empty_on_an_empty_database() -> None:
    output = _run("--if-empty", "--children=25", "--today=2026-03-01")

    assert "demo data generated" in output
    assert Child.objects.count() == 25


@pytest.mark.django_db
def test_it_fails_without_if_empty_when_data_is_present() -> None:
    _run("--children=20", "--today=2026-03-01")

    with pytest.raises(CommandError, match="already holds children"):
        _run("--children=20")


@pytest.mark.django_db
def test_it_rejects_a_malformed_date_or_count() -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _run("--today=2026-13-01")
    with pytest.raises(CommandError, match="at least 1"):
        _run("--children=0")
    assert not Child.objects.exists()
