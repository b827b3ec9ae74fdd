"""Exports: the indicator workbook and the de-identified workbook for researchers."""

import datetime as dt
import io
from collections import Counter

import openpyxl
import pytest
from django.test import Client

from shouwang.accounts.models import RoleAssignment
from shouwang.audit.models import AuditEvent
from shouwang.insights import exports, report
from shouwang.insights.tests.report_fakes import fake_api, s_town_indicators
from shouwang.registry.models import Child
from shouwang.testing.factories import (
    ChildFactory,
    RoleAssignmentFactory,
    UserFactory,
    make_area,
)
from shouwang.testing.world import World

IND_URL = "/insights/exports/indicators.xlsx"
DEID_URL = "/insights/exports/deidentified.xlsx"
S_TOWN, COUNTY = "410322100000", "410322000000"


def _cells(content: bytes) -> list[list[object]]:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


@pytest.fixture
def s_town_api(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    api = fake_api({}, default=s_town_indicators())
    monkeypatch.setattr(report, "indicator_api", lambda: api)
    return api


# ---- indicators -------------------------------------------------------------------------


def test_sam_exports_one_row_per_area_month_and_indicator(
    world: World,
    client: Client,
    s_town_api,  # type: ignore[no-untyped-def]
) -> None:
    client.force_login(world.sam)
    response = client.get(IND_URL, {"area": S_TOWN, "from": "2026-07", "to": "2026-09"})
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX
    _header, *rows = _cells(response.content)
    # S-town and its two villages × 3 months × 7 indicators
    assert len(rows) == 3 * 3 * 7
    areas = Counter(r[0] for r in rows)
    assert set(areas) == {S_TOWN, "410322100201", "410322100202"}
    coverage = next(
        r for r in rows if r[0] == S_TOWN and r[2] == "2026-09" and r[3] == "coverage_90d"
    )
    assert coverage[5:8] == [19, 50, 0.38]
    event = AuditEvent.objects.get(action="indicators.exported")
    assert event.actor == world.sam
    assert event.area == world.town_a
    assert event.extra == {"rows": 63, "from": "2026-07", "to": "2026-09"}


def test_another_town_is_not_found_and_nothing_is_audited(
    world: World,
    client: Client,
    s_town_api,  # type: ignore[no-untyped-def]
) -> None:
    client.force_login(world.bob)
    assert client.get(IND_URL, {"area": S_TOWN}).status_code == 404
    assert client.get(IND_URL, {"area": "999999999999"}).status_code == 404
    assert not AuditEvent.objects.filter(action="indicators.exported").exists()


@pytest.mark.parametrize("persona", ["alice", "tina", "rita", "nora"])
def test_users_without_the_export_capability_are_refused(
    world: World, client: Client, persona: str
) -> None:
    client.force_login(getattr(world, persona))
    assert client.get(IND_URL, {"area": S_TOWN}).status_code == 403


def test_a_bad_period_is_refused_with_a_message(
    world: World,
    client: Client,
    s_town_api,
    english_messages: None,  # type: ignore[no-untyped-def]
) -> None:
    client.force_login(world.carl)
    client.cookies["django_language"] = "en"
    response = client.get(IND_URL, {"area": COUNTY, "from": "2022-01", "to": "2026-01"})
    assert response.status_code == 400
    assert "at most 24 months" in response.content.decode()
    assert not AuditEvent.objects.filter(action="indicators.exported").exists()


# ---- de-identified ----------------------------------------------------------------------


@pytest.fixture
def crowd(world: World) -> list[Child]:
    """Six girls aged 8 in village A1 (a group of 6 ≥ 5), two boys aged 13 in A2 (a group of
    2 < 5: they are merged or suppressed), plus the world's three children."""
    today = dt.date.today()  # noqa: DTZ011
    born_8 = today.replace(year=today.year - 8) - dt.timedelta(days=40)
    born_13 = today.replace(year=today.year - 13) - dt.timedelta(days=40)
    kids = [
        ChildFactory(
            name=f"赵{'一二三四五六'[i]}妹",
            sex="female",
            village=world.village_a1,
            birth_date=born_8 - dt.timedelta(days=i),
            id_number=f"41032220180101{i:03d}X",
            residence_address=f"东王村{i}组{i}号",
        )
        for i in range(6)
    ]
    kids += [
        ChildFactory(
            name=f"钱{n}",
            sex="male",
            village=world.village_a2,
            birth_date=born_13,
            id_number=f"41032220130101{i:03d}1",
        )
        for i, n in enumerate(["大", "二"])
    ]
    return kids


def test_rita_gets_no_name_id_birth_date_or_address(
    world: World, client: Client, crowd: list[Child]
) -> None:
    client.force_login(world.rita)
    response = client.get(DEID_URL, {"area": COUNTY})
    assert response.status_code == 200
    header, *rows = _cells(response.content)
    keys = {str(r[0]) for r in rows}
    # the key column is random hex: checked for identity, not for substrings
    cells = [str(c) for row in [header, *(r[1:] for r in rows)] for c in row if c is not None]
    children = list(Child.objects.all())
    forbidden = set()
    for child in children:
        forbidden |= {child.name, child.name_pinyin, str(child.public_id)}
        assert str(child.public_id) not in keys and str(child.pk) not in keys
        forbidden |= {child.birth_date.isoformat(), child.birth_date.strftime("%Y%m%d")}
        forbidden |= {str(child.birth_date.year), child.village.code, child.village.name_zh}
        if child.id_number:
            forbidden.add(child.id_number)
        if child.residence_address:
            forbidden.add(child.residence_address)
    for cell in cells:
        assert cell not in forbidden
        assert not any(f in cell for f in forbidden if len(f) >= 4)


def test_groups_smaller_than_k_are_absent(world: World, client: Client, crowd: list[Child]) -> None:
    client.force_login(world.rita)
    _header, *rows = _cells(client.get(DEID_URL, {"area": COUNTY}).content)
    assert len(rows) == 6  # the six girls; the boys (2), hongmei, xiaoming, qiang are out
    groups = Counter(tuple(r[1:6]) for r in rows)
    assert all(n >= 5 for n in groups.values())
    assert {r[3] for r in rows} == {"female"} and {r[4] for r in rows} == {"6-11"}
    assert len({r[0] for r in rows}) == 6  # one key per child
    event = AuditEvent.objects.get(action="deidentified.exported")
    assert event.actor == world.rita
    assert event.extra == {"rows": 6, "generalised": 5, "suppressed": 5, "k": 5}


def test_child_keys_and_village_codes_change_between_exports(
    world: World, client: Client, crowd: list[Child]
) -> None:
    client.force_login(world.rita)
    first = {r[0] for r in _cells(client.get(DEID_URL, {"area": COUNTY}).content)[1:]}
    second = {r[0] for r in _cells(client.get(DEID_URL, {"area": COUNTY}).content)[1:]}
    assert first.isdisjoint(second)


def test_a_smaller_k_keeps_smaller_groups(
    world: World,
    client: Client,
    crowd: list[Child],
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.SHOUWANG_DEID_MIN_GROUP = 2
    client.force_login(world.carl)  # the county officer holds the capability too
    _header, *rows = _cells(client.get(DEID_URL, {"area": COUNTY}).content)
    assert len(rows) == 8  # the girls and the two boys; the three singletons are out
    assert Counter(r[3] for r in rows) == {"female": 6, "male": 2}


def test_a_researcher_of_another_county_sees_nothing(
    world: World, client: Client, crowd: list[Child]
) -> None:
    other = make_area(world.county.parent, "county", "410323000000", "M县", "M County")
    make_area(other, "township", "410323100000", "T镇", "T-town")
    ruth = UserFactory(username="ruth")
    RoleAssignmentFactory(user=ruth, role=RoleAssignment.Role.RESEARCHER, area=other)
    client.force_login(ruth)
    assert client.get(DEID_URL, {"area": COUNTY}).status_code == 404
    assert client.get(DEID_URL, {"area": S_TOWN}).status_code == 404
    response = client.get(DEID_URL, {"area": other.code})
    assert response.status_code == 200
    assert _cells(response.content)[1:] == []
    assert AuditEvent.objects.get(actor=ruth).extra["rows"] == 0


@pytest.mark.parametrize("persona", ["sam", "bob", "alice", "tina", "pat", "nora"])
def test_other_roles_are_refused_the_deidentified_export(
    world: World, client: Client, persona: str
) -> None:
    client.force_login(getattr(world, persona))
    assert client.get(DEID_URL, {"area": COUNTY}).status_code == 403
    assert not AuditEvent.objects.filter(action="deidentified.exported").exists()


def test_k_anonymise_merges_villages_before_suppressing() -> None:
    def row(village: str, sex: str) -> exports.DeidRow:
        return exports.DeidRow("k", "S", village, sex, "6-11", "left_behind", "", False, 0)

    rows = [row("V01", "female") for _ in range(3)]
    rows += [row("V02", "female") for _ in range(2)] + [row("V02", "male")]
    kept, generalised, suppressed = exports.k_anonymise(rows, 5)
    assert len(kept) == 5 and {r.village for r in kept} == {"*"}  # 3 + 2 girls, merged
    assert (generalised, suppressed) == (6, 1)  # the lone boy is left out


# ---- the exports page -------------------------------------------------------------------


def test_the_exports_page_offers_what_the_user_may_take(world: World, client: Client) -> None:
    client.force_login(world.carl)
    body = client.get("/insights/exports/").content.decode()
    assert "/insights/exports/indicators.xlsx" in body
    assert "/insights/exports/deidentified.xlsx" in body
    assert "/imports/census/export/" in body  # the registry export, scope-respecting
    client.force_login(world.rita)
    body = client.get("/insights/exports/").content.decode()
    assert "deidentified.xlsx" in body and "/imports/census/export/" not in body
    assert "indicators.xlsx" not in body
    client.force_login(world.nora)
    assert client.get("/insights/exports/").status_code == 403


def test_the_indicator_export_reads_the_real_indicators(world: World, client: Client) -> None:
    from shouwang.insights.indicators import indicators_for  # noqa: PLC0415

    count = len(indicators_for(area=world.town_a, month=dt.date(2026, 9, 1)))
    client.force_login(world.sam)
    response = client.get(IND_URL, {"area": S_TOWN, "from": "2026-08", "to": "2026-09"})
    assert response.status_code == 200
    _header, *rows = _cells(response.content)
    assert len(rows) == 2 * 3 * count  # 2 months × (S-town + 2 villages) × indicators
