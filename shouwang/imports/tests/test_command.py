"""`shouwang import census FILE --area CODE [--user] [--commit]`."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from shouwang.imports.tests.sheets import good_row, workbook
from shouwang.registry.models import Child
from shouwang.testing.world import World

pytestmark = pytest.mark.django_db


def test_it_checks_then_commits_and_a_second_commit_changes_nothing(
    world: World, tmp_path: Path
) -> None:
    path = tmp_path / "c.xlsx"
    path.write_bytes(workbook([good_row()]))
    call_command("import", "census", str(path), "--area", world.town_a.code, "--user", "sam")
    assert not Child.objects.filter(name="赵小燕").exists()
    call_command("import", "census", str(path), "--area", world.town_a.code, "--commit")
    call_command("import", "census", str(path), "--area", world.town_a.code, "--commit")
    assert Child.objects.filter(name="赵小燕").count() == 1


def test_it_fails_on_errors_and_on_a_user_outside_the_area(world: World, tmp_path: Path) -> None:
    path = tmp_path / "c.xlsx"
    path.write_bytes(workbook([good_row(birth_date="明天")]))
    with pytest.raises(CommandError):
        call_command("import", "census", str(path), "--area", world.town_a.code, "--commit")
    path.write_bytes(workbook([good_row()]))
    with pytest.raises(CommandError):
        call_command(
            "import", "census", str(path), "--area", world.town_a.code, "--user", "bob", "--commit"
        )
    assert not Child.objects.filter(name="赵小燕").exists()
