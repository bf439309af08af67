"""The learning loop: Level 2 opens a prevention theme, raises a plan action
from it and lands on the action's outcome chart; the evaluation metrics and
their import page. axe-core on every page on the way."""
from support import a11y


def test_level2_raises_a_plan_action_from_a_theme(sign_in):
    page = sign_in("demo-level2")
    page.get_by_role("link", name="Themes", exact=True).click()
    a11y.check(page, "/themes")
    page.get_by_role("link", name="Therapy assessment late").click()
    page.wait_for_load_state()
    a11y.check(page, "a prevention theme")
    page.locator("#raise-priority").select_option("H")
    page.locator("#raise-text").fill("Therapy in-reach on the day of admission")
    page.get_by_role("button", name="Raise the action").click()
    page.wait_for_load_state()
    assert "/plan/actions/H" in page.url
    assert "Therapy in-reach on the day of admission" in page.locator("main").inner_text()
    assert page.locator("#outcome").count() == 1
    a11y.check(page, "a plan action with its outcome chart")


def test_the_evaluation_metrics_and_their_import(sign_in):
    page = sign_in("demo-administrator")
    page.goto("/plan/metrics")
    a11y.check(page, "/plan/metrics")
    page.goto("/plan/metrics/import")
    page.locator("#csv").fill("metric,period,value,source\nweekend-discharges,April,12,Sitrep\n")
    page.get_by_role("button", name="Import").click()
    page.wait_for_load_state()
    assert "Nothing was imported" in page.locator("main").inner_text()
    a11y.check(page, "/plan/metrics/import with a problem")
