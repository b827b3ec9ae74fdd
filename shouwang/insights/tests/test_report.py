"""The diagnostic report: the rules (problems → causes → recommendations), the page and the
PDF, and who may open them."""

import datetime as dt
import os
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest
from django.test import Client

from shouwang.insights import report
from shouwang.insights.report_rules import COVERAGE, PARTICIPATION, diagnose, family_of
from shouwang.insights.tests.report_fakes import (
    fake_api,
    healthy_indicators,
    ind,
    s_town_indicators,
)
from shouwang.testing.world import World

URL = "/insights/report/"
PDF = "/insights/report/pdf/"
S_TOWN = "410322100000"
Q_TOWN = "410322200000"


@pytest.fixture
def s_town_api(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    api = fake_api({S_TOWN: s_town_indicators(), Q_TOWN: healthy_indicators()})
    monkeypatch.setattr(report, "indicator_api", lambda: api)
    return api


# ---- the rules, without a database ---------------------------------------------------


def test_participation_is_its_own_heading_though_it_shares_the_coverage_key() -> None:
    data = s_town_indicators()
    assert family_of("coverage_90d", data["coverage_90d"].threshold) == COVERAGE
    assert family_of("participation_12m", data["participation_12m"].threshold) == PARTICIPATION


def test_only_flagged_indicators_become_problems_with_their_numbers(english_messages: None) -> None:
    diagnosis = diagnose(s_town_indicators())
    headings = [p.heading for p in diagnosis.problems]
    assert "Limited coverage" in headings
    assert "Family upbringing function weakened" not in headings  # 90% ≥ 80%: not a problem
    coverage = next(p for p in diagnosis.problems if p.heading == "Limited coverage")
    assert coverage.lines == ["Coverage: 38% (19 of 50); a problem below 80%."]
    narrow = next(p for p in diagnosis.problems if p.heading == "Single service content")
    assert narrow.lines == ["Narrow mix: 78% (31 of 40); a problem above 50%."]


def test_low_coverage_with_idle_volunteers_is_a_resource_cause(english_messages: None) -> None:
    rules = {c.rule for c in diagnose(s_town_indicators()).causes}
    assert {"C-COM", "C-GOV", "P-RESP", "P-CONT", "R-IDLE", "R-RIGID"} <= rules
    assert "R-SHORT" not in rules  # resources lie idle: not a shortage
    assert "C-FAM" not in rules


def test_low_coverage_without_idle_resources_is_a_shortage(english_messages: None) -> None:
    only = {"coverage_90d": ind("coverage_90d", 10, 50, limit=0.8, problem_key="limited_coverage")}
    causes = diagnose(only).causes
    assert [c.rule for c in causes] == ["C-COM", "R-SHORT"]
    assert "40 of 50 registered children" in causes[0].text


def test_recommendations_answer_the_problems_found(english_messages: None) -> None:
    recs = diagnose(s_town_indicators()).recommendations
    by_rule = {r.rule: r for r in recs}
    assert set(by_rule) == {"S-LEAD", "S-CYCLE", "S-INTEGRATE", "M-BUY", "V-HOME"}
    assert "31 children without service" in by_rule["S-INTEGRATE"].text
    assert by_rule["M-BUY"].group == "market"
    assert "Single service content" in by_rule["M-BUY"].because
    assert "I-FAMILY" not in by_rule  # weekly contact is fine in S-town


def test_a_town_without_problems_gets_no_cause_and_no_recommendation() -> None:
    diagnosis = diagnose(healthy_indicators())
    assert diagnosis.problems == [] and diagnosis.causes == [] and diagnosis.recommendations == []


# ---- the period -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2026-13", "2026-06", "is not a month"),
        ("06/2026", None, "is not a month"),
        ("2026-06", "2026-01", "must not come after"),
        ("2023-01", "2026-01", "at most 24 months"),
        (None, "2999-01", "must not end in the future"),
    ],
)
def test_a_bad_period_is_refused_with_a_clear_message(
    english_messages: None, start: str | None, end: str | None, message: str
) -> None:
    with pytest.raises(report.ValidationFailed) as exc:
        report.parse_period(start, end)
    assert message in str(exc.value.message)


# ---- the page -------------------------------------------------------------------------------


def test_sam_reads_the_diagnosis_of_s_town(world: World, client: Client, s_town_api) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.sam)
    client.cookies["django_language"] = "en"
    response = client.get(URL, {"area": S_TOWN, "from": "2026-06", "to": "2026-09"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "S-town" in body
    assert "Coverage: 38% (19 of 50); a problem below 80%." in body
    assert "In 2026-06: 38%." in body  # the first month of the period, for the change
    assert "R-IDLE" in body and "Market (purchased professional services)" in body
    assert (S_TOWN, dt.date(2026, 9, 1)) in s_town_api.calls
    assert "张红梅" not in body  # the report names no child


def test_a_town_with_no_problem_says_so(world: World, client: Client, s_town_api) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.bob)
    client.cookies["django_language"] = "en"
    response = client.get(URL, {"area": Q_TOWN, "to": "2026-09"})
    assert response.status_code == 200
    assert "No problem found" in response.content.decode()


def test_the_page_is_in_chinese_by_default(world: World, client: Client, s_town_api) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.sam)
    response = client.get(URL, {"area": S_TOWN, "to": "2026-09"})
    assert response.status_code == 200
    assert "S镇" in response.content.decode()


def test_without_an_area_the_page_offers_the_towns_in_reach(world: World, client: Client) -> None:
    client.force_login(world.carl)
    body = client.get(URL).content.decode()
    assert S_TOWN in body and Q_TOWN in body
    client.force_login(world.sam)
    body = client.get(URL).content.decode()
    assert S_TOWN in body and Q_TOWN not in body


@pytest.mark.parametrize("persona", ["bob", "alice"])
def test_a_town_out_of_reach_is_not_found(
    world: World,
    client: Client,
    s_town_api,
    persona: str,  # type: ignore[no-untyped-def]
) -> None:
    client.force_login(getattr(world, persona))  # bob: other town; alice: only her village
    for url in (URL, PDF):
        assert client.get(url, {"area": S_TOWN, "to": "2026-09"}).status_code == 404
    assert s_town_api.calls == []


def test_a_made_up_or_village_code_is_not_found(world: World, client: Client) -> None:
    client.force_login(world.carl)
    for code in ("999999999999", "410322100201", "x"):
        assert client.get(URL, {"area": code}).status_code == 404


@pytest.mark.parametrize("persona", ["nora", "pat", "rita", "tina"])
def test_users_without_the_insights_capability_are_refused(
    world: World, client: Client, persona: str
) -> None:
    client.force_login(getattr(world, persona))
    for url in (URL, PDF):
        assert client.get(url, {"area": S_TOWN}).status_code == 403


def test_a_bad_month_gets_a_message_and_no_report(
    world: World,
    client: Client,
    s_town_api,
    english_messages: None,  # type: ignore[no-untyped-def]
) -> None:
    client.force_login(world.sam)
    client.cookies["django_language"] = "en"
    response = client.get(URL, {"area": S_TOWN, "from": "2026-09", "to": "2026-01"})
    assert response.status_code == 400
    assert "The first month must not come after the last month." in response.content.decode()
    assert s_town_api.calls == []


# ---- the PDF --------------------------------------------------------------------------------


def _pdf(client: Client, lang: str = "zh-hans") -> bytes:
    client.cookies["django_language"] = lang
    response = client.get(PDF, {"area": S_TOWN, "from": "2026-06", "to": "2026-09"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_the_pdf_embeds_a_cjk_font(world: World, client: Client, s_town_api) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.sam)
    content = _pdf(client)
    assert content.startswith(b"%PDF")
    assert b"/FontFile" in content  # embedded, not referenced
    assert b"CJK" in content or b"WenQuanYi" in content or b"DroidSans" in content


def test_page_one_of_the_pdf_renders_to_an_image(
    world: World,
    client: Client,
    s_town_api,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    client.force_login(world.sam)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(_pdf(client))
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        message = "#### SKIPPED: pdftoppm missing (Debian: apt-get install poppler-utils) ####"
        warnings.warn(message, stacklevel=1)
        pytest.skip(message)
    subprocess.run(  # noqa: S603 (a fixed tool on a file we wrote)
        [pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    png = next(tmp_path.glob("page*.png"))
    assert png.read_bytes().startswith(b"\x89PNG")
    assert png.stat().st_size > 10_000  # a page with text, not a blank one
    keep = os.environ.get("SHOUWANG_SCREENSHOTS")  # to look at it: the test cannot read it
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(png, Path(keep) / "report-page1.png")


def test_the_pdf_follows_the_language_of_the_request(
    world: World, client: Client, s_town_api
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.sam)
    assert _pdf(client, "en").startswith(b"%PDF")


def test_without_a_font_the_pdf_is_an_error_page_not_empty_boxes(
    world: World,
    client: Client,
    s_town_api,
    settings,
    english_messages: None,  # type: ignore[no-untyped-def]
) -> None:
    settings.SHOUWANG_PDF_FONT = "/nonexistent/font.ttf"
    client.force_login(world.sam)
    client.cookies["django_language"] = "en"
    response = client.get(PDF, {"area": S_TOWN, "to": "2026-09"})
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert "The PDF cannot be made: no Chinese font." in response.content.decode()


def test_the_report_reads_the_real_indicators(world: World, client: Client) -> None:
    """No stand-in: the indicators module computes S-town's numbers from the database."""
    client.force_login(world.sam)
    response = client.get(URL, {"area": S_TOWN, "to": "2026-09"})
    pdf = client.get(PDF, {"area": S_TOWN, "to": "2026-09"})
    assert response.status_code == 200
    assert "S镇" in response.content.decode()
    assert pdf.content.startswith(b"%PDF")
