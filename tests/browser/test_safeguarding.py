"""End to end in a real browser (issue 5, "Done when"): a teacher files a mandatory report
for a child found living alone and sees her police task; nobody acknowledges; the township
supervisor and then the county officer are told on schedule; the county officer
acknowledges, records the response and closes the report with a reason. And a child
director's flagged concern opens the report form prefilled.

The escalation worker is run in-process between page loads, each pass given the time at
which it runs (the report's own deadline), so no real hours pass.
"""

import pytest
from playwright.sync_api import Browser, Page, expect

from shouwang.notifications.models import Notification
from shouwang.notifications.services import deliver_due
from shouwang.safeguarding.domain import State
from shouwang.safeguarding.models import Report
from shouwang.safeguarding.services import escalate_due
from shouwang.safeguarding.vocabulary import Kind
from shouwang.testing.world import PASSWORD, World
from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(browser: Browser, base: str, username: str) -> Page:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{base}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("button[type=submit].primary").click()
    return page


def _no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"page is {width}px wide on a 360px phone"


def _pass_at_deadline(report: Report) -> None:
    """One worker pass (escalate, then deliver) at the moment the report falls due."""
    report.refresh_from_db()
    when = report.next_escalation_at
    assert when is not None
    escalate_due(when)
    deliver_due(when)


def _escalated_to(user: object) -> int:
    return Notification.objects.filter(
        kind=Kind.ESCALATED, recipient=user, channel="in_app"
    ).count()


def test_a_report_no_one_acknowledges_climbs_until_the_county_closes_it(  # noqa: PLR0915
    world: World, live_server: object, browser: Browser
) -> None:
    base = live_server.url  # type: ignore[attr-defined]

    # The teacher files, from the nav link, for her pupil found living alone.
    tina = _as(browser, base, "tina")
    tina.locator("a.report-concern").click()
    tina.locator("#id_child").select_option(str(world.xiaoming.public_id))
    tina.locator("#id_trigger").select_option("living_alone")
    tina.locator("#id_immediate_danger").select_option("yes")
    tina.locator("#id_what_seen").fill("他一个人在家住了一周，家里没有吃的。")
    _no_sideways_scroll(tina)
    shot(tina, "sg-01-form")
    with tina.expect_navigation():
        tina.locator("#report-form button[type=submit]").click()
    expect(tina.locator("#police-task")).to_be_visible()
    expect(tina.locator("#police-task .alertbox")).to_be_visible()  # not done, no dismiss
    _no_sideways_scroll(tina)
    shot(tina, "sg-02-police-task")
    report = Report.objects.get()
    assert report.reporter == world.tina and report.child == world.xiaoming

    # She records her report to the police.
    tina.locator("#id_police_station").fill("S镇派出所")
    tina.locator("#id_receipt_no").fill("2025-0042")
    with tina.expect_navigation():
        tina.locator("#police-task button[type=submit]").click()
    expect(tina.locator("#police-task")).to_contain_text("2025-0042")

    # Nobody acknowledges: at the deadline the township supervisor is told…
    assert _escalated_to(world.sam) == 0
    _pass_at_deadline(report)
    assert _escalated_to(world.sam) == 1
    assert _escalated_to(world.carl) == 0
    sam = _as(browser, base, "sam")
    sam.goto(f"{base}/notifications/")
    expect(sam.locator(".notifications")).to_contain_text(world.village_a2.name_zh)
    shot(sam, "sg-03-sam-notified")

    # …and at the next deadline, the county officer.
    _pass_at_deadline(report)
    assert _escalated_to(world.carl) == 1
    report.refresh_from_db()
    assert report.escalation_level == 2

    carl = _as(browser, base, "carl")
    carl.goto(f"{base}/notifications/")
    expect(carl.locator("#unread-count")).to_be_visible()
    carl.locator(".notifications li a").first.click()
    expect(carl.locator("#report")).to_contain_text("李小明")
    expect(carl.locator("#reporter")).to_contain_text("Tina")  # carl may know who reported
    _no_sideways_scroll(carl)
    shot(carl, "sg-04-carl-report")

    # The county officer acknowledges…
    with carl.expect_navigation():
        carl.locator("#action-acknowledge button[type=submit]").click()
    report.refresh_from_db()
    assert report.state == State.ACKNOWLEDGED

    # …records the response and the assessment…
    carl.locator("#action-respond summary").click()
    carl.locator("#id_respond_attended_by").fill("县民政局卡尔、S镇派出所民警")
    carl.locator("input[name=measures][value=temporary_placement]").check()
    carl.locator("input[name=measures][value=parents_told_to_return]").check()
    carl.locator("#id_respond_safety_assessment").fill("独自在家，不安全")
    carl.locator("#id_respond_guardianship_assessment").fill("父母在外务工，祖母住院")
    carl.locator("#id_respond_health_assessment").fill("饥饿，无外伤")
    carl.locator("#id_respond_follow_up_plan").fill("母亲返乡前每周家访")
    with carl.expect_navigation():
        carl.locator("#action-respond button[type=submit]").click()
    expect(carl.locator("#response")).to_contain_text("独自在家")
    shot(carl, "sg-05-response")

    # …and closes it with a reason. It stays, closed, in the history.
    carl.locator("#action-close summary").click()
    carl.locator("#id_close_reason").fill("母亲已返乡照料")
    with carl.expect_navigation():
        carl.locator("#action-close button[type=submit]").click()
    report.refresh_from_db()
    assert report.state == State.CLOSED and report.close_reason == "母亲已返乡照料"
    expect(carl.locator("#report")).to_contain_text("母亲已返乡照料")
    expect(carl.locator("#history")).to_be_visible()
    shot(carl, "sg-06-closed")

    # No more escalation after acknowledgement.
    escalate_due(report.filed_at.replace(year=report.filed_at.year + 1))
    assert _escalated_to(world.carl) == 1

    for page in (tina, sam, carl):
        page.context.close()


def test_a_child_directors_concern_opens_the_form_prefilled(
    world: World, live_server: object, browser: Browser
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    alice = _as(browser, base, "alice")
    alice.goto(
        f"{base}/safeguarding/report/new/?child={world.hongmei.public_id}"
        "&trigger=living_alone&seen=家访时发现孩子独自在家"
    )
    expect(alice.locator("#id_child")).to_have_value(str(world.hongmei.public_id))
    expect(alice.locator("#id_trigger")).to_have_value("living_alone")
    expect(alice.locator("#id_what_seen")).to_have_value("家访时发现孩子独自在家")
    _no_sideways_scroll(alice)
    alice.context.close()


def test_a_supervisor_of_another_town_is_refused_the_report(
    world: World, live_server: object, browser: Browser
) -> None:
    from django.db import transaction  # noqa: PLC0415

    from shouwang.safeguarding.services import report_file  # noqa: PLC0415

    with transaction.atomic():
        report = report_file(
            actor=world.tina,
            child=world.xiaoming,
            trigger="living_alone",
            immediate_danger=True,
            what_seen="Alone",
            duty_basis="mpl_art_11",
        )
    base = live_server.url  # type: ignore[attr-defined]
    bob = _as(browser, base, "bob")
    response = bob.goto(f"{base}/safeguarding/{report.public_id}/")
    assert response is not None and response.status == 404
    assert "李小明" not in bob.content()
    bob.context.close()
