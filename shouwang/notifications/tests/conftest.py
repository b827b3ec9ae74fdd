import pytest
from django.db import close_old_connections, connection
from django_tasks_db.management.commands import db_worker

from shouwang.notifications import worker


def _close_old_connections_outside_tests() -> None:
    """The worker closes stale connections between tasks, as Django does between requests.
    Inside a test's transaction that would close the test's own connection (PostgreSQL):
    skip it there, as Django's TestCase does for the request signals."""
    if not connection.in_atomic_block:
        close_old_connections()


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db_worker, "close_old_connections", _close_old_connections_outside_tests)
    monkeypatch.setattr(worker, "close_old_connections", _close_old_connections_outside_tests)
