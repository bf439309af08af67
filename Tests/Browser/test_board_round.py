"""The daily board round: a ward nurse marks today's patients green or red
(with a reason), keyboard and mouse alike, and a red day without a reason is
refused beside its row with what was chosen kept."""
from support import a11y


def test_ward_runs_todays_board_round(sign_in):
    page = sign_in("demo-ward")
    page.get_by_role("link", name="Wards", exact=True).click()
    page.locator("main table a").first.click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Today's board round (red and green days)").click()
    page.wait_for_load_state()
    a11y.check(page, "board round")
    rows = page.locator("input[type=radio][value=green]:not([disabled])")
    assert rows.count() >= 1, "today's patients can be marked"

    # A red day with no reason is refused beside its row, and the choice is kept.
    page.locator("#s0-red").check()
    page.locator("#r0").select_option("")
    page.get_by_role("button", name="Save the board round").click()
    page.wait_for_load_state()
    a11y.check(page, "board round with a refused row")
    assert page.locator(".error-summary").count() == 1
    assert page.locator("#s0-red").is_checked()

    # Every patient green (no reason) but the first, red for a reason: saved, and said so.
    for index in range(rows.count()):
        page.locator(f"#s{index}-green").check()
        page.locator(f"#r{index}").select_option("")
    page.locator("#s0-red").check()
    page.locator("#r0").select_option(index=1)
    page.get_by_role("button", name="Save the board round").click()
    page.wait_for_load_state()
    a11y.check(page, "board round saved")
    assert page.get_by_role("status").count() == 1, page.locator(".error-summary, .field-error").all_inner_texts()
    assert page.locator("#s0-red").is_checked()
