"""``shouwang rules list`` and ``shouwang rules evaluate``: output, bad input (exit status 2),
no database, and the documented examples reproduced exactly."""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test.utils import modify_settings

from shouwang.rules.engine import CATALOGUE

REPO = Path(__file__).resolve().parents[3]
EXAMPLES_DIR = REPO / "docs" / "rules-examples"
EXAMPLES = sorted(
    path
    for path in EXAMPLES_DIR.glob("*.json")
    if not path.name.endswith((".expected.json", ".params.json"))
)


@pytest.fixture(autouse=True)
def _rules_app() -> Iterator[None]:
    """The command lives in the rules app; install it for these tests if settings do not."""
    if "shouwang.rules" in settings.INSTALLED_APPS:
        yield
        return
    with modify_settings(INSTALLED_APPS={"append": "shouwang.rules"}):
        yield


def _run(*args: str) -> str:
    out = StringIO()
    call_command("rules", *args, stdout=out)
    return out.getvalue()


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_list_prints_every_rule_with_version_citation_and_grade() -> None:
    output = _run("list", "--language", "en")

    for rule in CATALOGUE:
        assert f"{rule.rule_id}  {rule.spec.version}" in output
    assert "国发〔2016〕13号 《国务院关于加强农村留守儿童关爱保护工作的意见》 [V2]" in output
    assert "2021-06-01 – …  national  [V1]" in output


def test_list_as_json() -> None:
    rules = json.loads(_run("list", "--json", "--language", "en"))

    assert [r["rule_id"] for r in rules] == [rule.rule_id for rule in CATALOGUE]
    fuc = rules[3]
    assert fuc["version"] == "2019.1"
    assert fuc["effective_from"] == "2020-01-01"
    assert fuc["jurisdiction"] == "national"
    assert fuc["grade"] == "V2"
    assert fuc["title"] == "De facto unsupported child (pre-screening)"
    assert [c["number"] for c in fuc["citations"]] == ["民发〔2019〕62号", "民发〔2020〕125号"]
    assert "fuc.lost_contact_min_days" in fuc["parameters"]


def test_evaluate_prints_codes_params_and_messages() -> None:
    data = json.loads(_run("evaluate", str(EXAMPLES[0]), "--language", "en"))

    reason = data["outcomes"][0]["reasons"][0]
    assert reason == {
        "code": "age_under",
        "params": {"age": 9, "limit": 16},
        "message": "The child's age is 9, under 16.",
    }
    assert [o["rule_id"] for o in data["outcomes"]] == [rule.rule_id for rule in CATALOGUE]


def test_evaluate_reads_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", StringIO('{"asof": "2016-03-01"}'))

    data = json.loads(_run("evaluate", "-"))

    assert [o["rule_id"] for o in data["outcomes"]] == ["left_behind", "care_arrangement"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"asof": "2026-03-01",', "not valid JSON: Expecting property name"),
        ("[1, 2]", "situation: is not a JSON object"),
        ('{"asof": "2026-03-01", "father": {"situation": "away"}}', "father.situation: 'away'"),
        ('{"father": {}}', "asof: is required"),
        ('{"asof": "2026-03-01", "hukou": "rural"}', "hukou: unknown field"),
    ],
    ids=["malformed", "not-an-object", "bad-value", "no-asof", "unknown-field"],
)
def test_bad_input_is_a_clear_error_with_status_2(tmp_path: Path, text: str, expected: str) -> None:
    path = _write(tmp_path, "situation.json", text)

    with pytest.raises(CommandError) as raised:
        _run("evaluate", str(path))

    assert raised.value.returncode == 2
    assert expected in str(raised.value)
    assert str(path) in str(raised.value)


def test_every_bad_field_is_named_on_its_own_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "situation.json",
        '{"asof": "2026-03-01", "birth_date": "yesterday", "mother": {"deported": "no"}}',
    )

    with pytest.raises(CommandError) as raised:
        _run("evaluate", str(path))

    assert str(raised.value).splitlines()[1:] == [
        "  birth_date: 'yesterday' is not a date in the form YYYY-MM-DD",
        "  mother.deported: 'no' is not true, false or null",
    ]


def test_a_missing_file_is_status_2(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot read") as raised:
        _run("evaluate", str(tmp_path / "nope.json"))

    assert raised.value.returncode == 2


def test_a_bad_overlay_is_status_2_naming_the_field(tmp_path: Path) -> None:
    overlay = _write(
        tmp_path,
        "overlay.json",
        json.dumps(
            {
                "parameters": [
                    {
                        "key": "fuc.lost_contact_min_days",
                        "value": "six months",
                        "effective_from": "2024-01-01",
                        "jurisdiction": "41",
                        "citation": {"title": "t", "issuer": "i", "grade": "V2"},
                    }
                ]
            }
        ),
    )

    with pytest.raises(CommandError) as raised:
        _run("evaluate", str(EXAMPLES[0]), "--params", str(overlay))

    assert raised.value.returncode == 2
    assert "parameters[0].value: 'six months' is not a whole number" in str(raised.value)


def test_a_subcommand_is_required() -> None:
    with pytest.raises(CommandError):
        _run()


def test_the_examples_are_documented_with_expected_outputs() -> None:
    assert 4 <= len(EXAMPLES) <= 6
    for example in EXAMPLES:
        assert example.with_name(f"{example.stem}.expected.json").exists(), example
        assert f"rules-examples/{example.name}" in (REPO / "docs" / "rules.md").read_text(
            encoding="utf-8"
        )


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_the_cli_reproduces_each_documented_example(example: Path) -> None:
    args = ["evaluate", str(example), "--language", "en"]
    overlay = example.with_name(f"{example.stem}.params.json")
    if overlay.exists():
        args += ["--params", str(overlay)]
    expected = json.loads(
        example.with_name(f"{example.stem}.expected.json").read_text(encoding="utf-8")
    )

    assert json.loads(_run(*args)) == expected


# -------------------------------------------------------------------------------------
# The real console script, in a subprocess, with no reachable database.


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """Test settings (with the rules app) and a database URL nothing listens on."""
    (tmp_path / "rules_cli_settings.py").write_text(
        "from shouwang.config.test_settings import *  # noqa: F403\n"
        "if 'shouwang.rules' not in INSTALLED_APPS:  # noqa: F405\n"
        "    INSTALLED_APPS = [*INSTALLED_APPS, 'shouwang.rules']  # noqa: F405\n",
        encoding="utf-8",
    )
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(REPO)]),
        "DJANGO_SETTINGS_MODULE": "rules_cli_settings",
        "SECRET_KEY": "test-only",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/nowhere",
    }


def _shouwang(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  (our own console script, fixed arguments)
        [sys.executable, "-m", "shouwang", "rules", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_console_script_exits_2_on_malformed_json(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    path = _write(tmp_path, "broken.json", '{"asof": ')

    result = _shouwang(cli_env, "evaluate", str(path))

    assert result.returncode == 2
    assert result.stdout == ""
    assert "not valid JSON" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_console_script_exits_2_naming_a_bad_field(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    path = _write(tmp_path, "bad.json", '{"asof": "2026-03-01", "caregiver": {"age": "old"}}')

    result = _shouwang(cli_env, "evaluate", str(path))

    assert result.returncode == 2
    assert "caregiver.age: 'old' is not a whole number" in result.stderr


def test_the_console_script_evaluates_without_a_database(cli_env: dict[str, str]) -> None:
    example = EXAMPLES_DIR / "04-fuc-lost-contact.json"

    result = _shouwang(cli_env, "evaluate", str(example), "--language", "en")

    assert result.returncode == 0, result.stderr
    expected = json.loads(
        example.with_name("04-fuc-lost-contact.expected.json").read_text(encoding="utf-8")
    )
    assert json.loads(result.stdout) == expected
