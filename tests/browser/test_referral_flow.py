"""End to end in a real browser on a 360 px phone (issue 6, "Done when"): a child director
refers hongmei to the NGO from her profile; pat, the NGO's social worker, lands on her
referral inbox, sees only the need before accepting, accepts, then sees the child's name and
the caregiver's phone, records the delivery and completes the referral with an outcome;
afterwards the referral and the child are closed to her."""

import pytest
from playwright.sync_api import Browser, Page, expect

from shouwang.referrals.models import Referral
from shouwang.registry.models import CareArrangement
from shouwang.services.models import OrganisationService, ServiceDelivery, ServiceType
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


def test_a_referral_from_the_village_to_the_ngo_and_closed_again(  # noqa: PLR0915
    world: World, live_server: object, browser: Browser
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    # The catalogue is seeded by a migration; a browser test's database is flushed between
    # tests (transaction=True), so make sure the one service used here is there.
    counselling, _ = ServiceType.objects.get_or_create(
        code="psych_counselling",
        defaults={
            "name_zh": "心理辅导",
            "name_en": "Psychological counselling",
            "domain": "psychological",
            "mode": "individual",
            "one_to_one": True,
        },
    )
    OrganisationService.objects.create(
        organisation=world.ngo, service_type=counselling, area=world.county
    )
    granny = CareArrangement.objects.get(child=world.hongmei, ended_on__isnull=True).caregiver
    granny.phone = "13800001111"
    granny.save(update_fields=["phone"])
    child_url = f"{base}/children/{world.hongmei.public_id}/"

    # The director refers hongmei from her profile.
    alice = _as(browser, base, "alice")
    alice.goto(child_url)
    with alice.expect_navigation():
        alice.locator("#referrals a.button").click()
    alice.locator("#id_service_type").select_option(str(counselling.public_id))
    alice.locator("#id_to_organisation").select_option(str(world.ngo.public_id))
    alice.locator("#id_need").fill("父母外出后情绪低落，需要心理辅导")
    _no_sideways_scroll(alice)
    shot(alice, "ref-01-form")
    with alice.expect_navigation():
        alice.locator("form button[type=submit].primary").click()
    referral = Referral.objects.get()
    assert (referral.status, referral.created_by) == ("pending", world.alice)
    expect(alice.locator(".child-name")).to_have_text("张红梅")  # the sender sees her name
    alice.context.close()

    # pat lands on her inbox: the need, no name.
    pat = _as(browser, base, "pat")
    assert pat.url.endswith("/referrals/inbox/")
    row = pat.locator("ul.referrals li").first
    expect(row).to_contain_text("心理辅导")
    expect(pat.locator("main")).not_to_contain_text("张红梅")
    _no_sideways_scroll(pat)
    shot(pat, "ref-02-inbox")
    with pat.expect_navigation():
        row.locator("a").click()
    expect(pat.locator("#referral")).to_contain_text("父母外出后情绪低落")
    expect(pat.locator("main")).not_to_contain_text("张红梅")
    expect(pat.locator("main")).not_to_contain_text("13800001111")
    shot(pat, "ref-03-pending")

    # She accepts, and now sees the name and the caregiver's phone.
    with pat.expect_navigation():
        pat.locator("#step-accept button").click()
    expect(pat.locator(".child-name")).to_have_text("张红梅")
    expect(pat.locator("#child")).to_contain_text("13800001111")
    _no_sideways_scroll(pat)
    shot(pat, "ref-04-accepted")

    # She records the delivery, then completes with an outcome.
    pat.locator("#id_duration_minutes").fill("50")
    pat.locator("#id_notes").fill("第一次心理辅导，和奶奶一起")
    with pat.expect_navigation():
        pat.locator("#deliveries form button[type=submit]").click()
    expect(pat.locator("#deliveries")).to_contain_text("第一次心理辅导")
    pat.locator("#id_complete_outcome").fill("情绪明显好转，学校老师继续关注")
    shot(pat, "ref-05-delivered")
    with pat.expect_navigation():
        pat.locator("#step-complete button").click()
    assert pat.url.endswith("/referrals/inbox/")
    expect(pat.locator("main")).not_to_contain_text("张红梅")
    shot(pat, "ref-06-done")
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == ("completed", "情绪明显好转，学校老师继续关注")
    delivery = ServiceDelivery.objects.get()
    assert (delivery.referral, delivery.duration_minutes) == (referral, 50)

    # Closed: the referral is not found, and the child's profile never opens to her.
    response = pat.goto(f"{base}/referrals/{referral.public_id}/")
    assert response is not None and response.status == 404
    expect(pat.locator("main")).not_to_contain_text("张红梅")
    shot(pat, "ref-07-not-found")
    response = pat.goto(child_url)
    assert response is not None and response.status in (403, 404)
    expect(pat.locator("main")).not_to_contain_text("张红梅")
    pat.context.close()
