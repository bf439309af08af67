"""axe-core on every page a journey visits: no serious or critical violation,
and headings that never skip a level (axe rates a skip only "moderate")."""
from axe_playwright_python.sync_playwright import Axe

_axe = Axe()
# Every page checked in this run, for the summary printed at the end.
RESULTS: list[tuple[str, int, list[str]]] = []
BLOCKING = {"serious", "critical"}


def _axe_results(page) -> dict:
    # axe is JavaScript: on a page whose context has JavaScript off, the same
    # URL is checked in a JavaScript context carrying the same session.
    if getattr(page.context, "javascript_off", False):
        browser = page.context.browser
        twin = browser.new_context(storage_state=page.context.storage_state())
        try:
            twin_page = twin.new_page()
            twin_page.goto(page.url)
            return _axe.run(twin_page).response
        finally:
            twin.close()
    return _axe.run(page).response


def check(page, label: str | None = None) -> None:
    where = label or page.url
    response = _axe_results(page)
    violations = response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING or v["id"] == "heading-order"]
    RESULTS.append((where, len(response["passes"]), [f"{v['id']} ({v['impact']})" for v in violations]))
    detail = "\n".join(
        f"  {v['id']} ({v['impact']}): {v['help']} — e.g. {v['nodes'][0]['target']} {v['nodes'][0].get('failureSummary', '')}"
        for v in blocking)
    assert not blocking, f"axe on {where}:\n{detail}"
