"""The delivery task (django-tasks, database backend in production).

``notify`` enqueues one ``deliver_notification`` per outbox row when its transaction commits
(``services.enqueue_deliveries``). The task is only a prompt: the row is claimed with the
same conditional UPDATE as every other delivery (``services.deliver_one``), so a duplicate
task, a late one, or one for a row already sent, failed or claimed by another worker does
nothing. A failed attempt re-enqueues the task to run at the row's ``next_attempt_at``
(the backoff) when the backend can defer; a lost task is made good by the worker's sweep
(``services.sweep``).
"""

from django_tasks import task

from shouwang.notifications import services


@task()
def deliver_notification(notification_id: int) -> str | None:
    """One attempt at one outbox row: ``sent``, ``retry``, ``failed``, or None (nothing to
    do: the row is gone, no longer pending, not yet due, or another worker has it)."""
    return services.deliver_by_id(notification_id)
