"""The data team finds the hospital feeds' health from the menu."""
from support import a11y


def test_data_clerk_opens_the_feed_health_page(sign_in):
    page = sign_in("demo-data")
    page.get_by_role("link", name="Feeds", exact=True).click()
    page.wait_for_load_state()
    assert page.url.endswith("/feeds")
    a11y.check(page, "/feeds")
    assert page.get_by_role("heading", name="Hospital feeds").count() >= 1
    # The demo's sites send files; the page says how to give one a feed.
    assert page.get_by_text("stranded sites feed-map").count() == 1 or page.locator("table").count() == 1
