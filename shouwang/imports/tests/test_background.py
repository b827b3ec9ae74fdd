"""Long checks and imports run by the worker, with progress on the job that the preview
page polls; small ones still run in the request."""

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from shouwang.accounts.models import RoleAssignment
from shouwang.audit.models import AuditEvent
from shouwang.audit.services import SystemActor
from shouwang.imports import services
from shouwang.imports.models import ImportJob
from shouwang.imports.tests.sheets import good_row, workbook
from shouwang.lib.idcard import make_id_number
from shouwang.notifications.worker import TaskRunner
from shouwang.registry.models import Child
from shouwang.rules.models import Classification
from shouwang.testing.world import World

# transaction=True: the worker closes its connection between tasks, as in production
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("english_messages")]
LARGE = override_settings(SHOUWANG_IMPORT_INLINE_BYTES=0, SHOUWANG_IMPORT_INLINE_ROWS=2)


def _rows() -> list[dict]:
    import datetime as dt  # noqa: PLC0415

    born = dt.date(2015, 3, 1)
    return [
        good_row(
            name=name,
            sex="男",
            birth_date="2015-03-01",
            id_number=make_id_number("410322", born, 11 + 2 * i),
        )
        for i, name in enumerate(["钱一", "钱二", "钱三"])
    ]


def _upload(client: Client, world: World, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: PLC0415

    return client.post(
        "/imports/census/",
        {"area": world.town_a.code, "file": SimpleUploadedFile("big.xlsx", content)},
    )


@LARGE
def test_a_large_upload_is_checked_and_imported_by_the_worker_with_progress(
    world: World, client: Client, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    monkeypatch.setattr(services, "TICK_ROWS", 1)  # progress written after every row
    client.force_login(world.sam)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # she switched to English
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, world, workbook(_rows()))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert (job.status, job.phase, job.rows) == ("checking", "queued", 0)
    page = client.get(f"/imports/census/{job.public_id}/").content.decode()
    assert 'data-testid="progress"' in page
    assert "hx-get" in page
    assert 'data-testid="no-worker"' in page  # no worker has run

    TaskRunner().drain()
    job.refresh_from_db()
    assert (job.status, job.phase, job.rows, job.new_rows) == ("checked", "done", 3, 3)
    assert job.percent == 100
    # the page polls no more: htmx is told to reload it
    done = client.get(f"/imports/census/{job.public_id}/progress/", HTTP_HX_REQUEST="true")
    assert done.headers["HX-Refresh"] == "true"

    services.worker_beat(timezone.now())
    page = client.get(f"/imports/census/{job.public_id}/").content.decode()
    assert 'data-testid="background-note"' in page
    assert 'data-testid="no-worker"' not in page  # a worker ran a pass just now

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/imports/census/{job.public_id}/", {"action": "commit"})
    job.refresh_from_db()
    assert (job.status, job.phase, job.progress_total) == ("committing", "queued", 3)
    assert not Child.objects.filter(name__startswith="钱").exists()
    fragment = client.get(f"/imports/census/{job.public_id}/progress/")
    assert fragment.status_code == 200
    assert "Waiting for the worker" in fragment.content.decode()
    # a second "Import" while it waits changes nothing
    client.post(f"/imports/census/{job.public_id}/", {"action": "commit"})
    assert DBTaskResult.objects.filter(task_path__endswith="commit_census").count() == 1

    TaskRunner().drain()
    job.refresh_from_db()
    assert (job.status, job.phase, job.children_written) == ("committed", "done", 3)
    assert job.content is None
    children = Child.objects.filter(name__startswith="钱")
    assert children.count() == 3
    assert AuditEvent.objects.filter(action="census.imported", actor=world.sam).count() == 1
    assert AuditEvent.objects.filter(action="child.registered", actor=world.sam).count() == 3
    assert Classification.objects.filter(child__in=children).exists()  # the rules ran


@LARGE
def test_only_the_uploader_sees_the_progress(
    world: World, client: Client, django_capture_on_commit_callbacks
) -> None:
    client.force_login(world.sam)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, world, workbook(_rows()))
    job = ImportJob.objects.get()
    url = f"/imports/census/{job.public_id}/progress/"
    assert client.get(url).status_code == 200
    for other in (world.bob, world.carl, world.alice):  # another town, the county, a village
        client.force_login(other)
        assert client.get(url).status_code in (403, 404)
    client.logout()
    assert client.get(url).status_code in (302, 403)


@LARGE
def test_an_import_the_uploader_may_no_longer_make_stops_and_writes_nothing(
    world: World, client: Client, django_capture_on_commit_callbacks
) -> None:
    job = services.census_check(
        actor=world.sam, area=world.town_a, content=workbook(_rows()), filename="a.xlsx"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.census_commit_start(actor=world.sam, job=job) is None
    RoleAssignment.objects.filter(user=world.sam).delete()  # her grant ends meanwhile
    TaskRunner().drain()
    job.refresh_from_db()
    assert (job.status, job.phase) == ("checked", "failed")
    assert job.message
    assert not Child.objects.filter(name__startswith="钱").exists()


def test_a_small_sheet_is_imported_in_the_request(world: World, client: Client) -> None:
    client.force_login(world.sam)
    _upload(client, world, workbook(_rows()))
    job = ImportJob.objects.get()
    assert job.status == "checked"  # checked in the request
    client.post(f"/imports/census/{job.public_id}/", {"action": "commit"})
    job.refresh_from_db()
    assert job.status == "committed"
    assert Child.objects.filter(name__startswith="钱").count() == 3


@LARGE
def test_the_rules_for_a_large_command_line_import_run_in_the_worker(
    world: World, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    analyzed: list[tuple] = []
    monkeypatch.setattr(
        services, "analyze", lambda *models, **options: analyzed.append((models, options))
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = services.import_census(
            actor=SystemActor("census-import"),
            area=world.town_a,
            content=workbook(_rows()),
            filename="a.xlsx",
        )
    # planner statistics (of the indexed columns) after a large import
    assert analyzed == [(services.WRITTEN_MODELS, {"keys_only": True})]
    children = Child.objects.filter(pk__in=result.child_ids)
    assert not Classification.objects.filter(child__in=children).exists()  # not in the request
    TaskRunner().drain()
    assert Classification.objects.filter(child__in=children).count() >= 3
    job = ImportJob.objects.get(pk=result.job.pk)
    assert (job.phase, job.progress_done) == ("done", 3)


@LARGE
def test_a_large_bad_file_is_refused_by_the_worker_with_its_message(
    world: World, client: Client
) -> None:
    client.force_login(world.sam)
    _upload(client, world, "姓名,性别\n张三,男\n".encode())  # a CSV renamed .xlsx
    job = ImportJob.objects.get()
    assert job.status == "checking"
    TaskRunner().drain()
    job.refresh_from_db()
    assert (job.status, job.phase, job.content) == ("discarded", "failed", None)
    assert job.message
    page = client.get(f"/imports/census/{job.public_id}/").content.decode()
    assert 'data-testid="task-failed"' in page
    assert "hx-get" not in page  # nothing left to poll


@LARGE
def test_an_import_task_that_crashes_leaves_nothing_written_and_the_page_not_waiting(
    world: World, monkeypatch
) -> None:
    job = services.census_check(
        actor=world.sam, area=world.town_a, content=workbook(_rows()), filename="a.xlsx"
    )
    services.census_commit_start(actor=world.sam, job=job)

    def crash(**kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "import_census", crash)
    TaskRunner().drain()
    job.refresh_from_db()
    assert (job.status, job.phase) == ("checked", "failed")
    assert not job.running
    assert DBTaskResult.objects.get(task_path__endswith="commit_census").status == "FAILED"
    assert not Child.objects.filter(name__startswith="钱").exists()
