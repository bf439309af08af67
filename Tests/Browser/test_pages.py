"""Journey 6's sweep: axe-core on every page the masthead links to, as the
administrator who can see them all (the journeys cover the pages behind them)."""
from support import a11y


def test_every_masthead_page_passes_axe(sign_in):
    page = sign_in("demo-administrator")
    links = page.get_by_role("navigation", name="Main").get_by_role("link")
    targets = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert len(targets) >= 8, targets
    for href in ["/", *targets]:
        response = page.goto(href)
        assert response.ok, f"{href}: {response.status}"
        a11y.check(page, href)
