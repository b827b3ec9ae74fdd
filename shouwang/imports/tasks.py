"""The census's background tasks (django-tasks, run by ``shouwang worker``).

A large upload is checked, a large checked upload imported, and the rules for a large
import's new children evaluated by the worker, each writing its progress on the
``ImportJob`` (``phase``, ``progress_done`` / ``progress_total``, ``children_written``),
which the preview page polls. Each task does nothing unless the job is still in the state
that enqueued it, so a duplicate or late task changes nothing.
"""

from django_tasks import task

from shouwang.imports import services


@task()
def check_census(job_id: int) -> str:
    return services.run_check(job_id)


@task()
def commit_census(job_id: int, user_id: int) -> str:
    return services.run_commit(job_id, user_id)


@task()
def evaluate_census(job_id: int, ranges: list[list[int]]) -> str:
    return services.run_rules(job_id, ranges)
