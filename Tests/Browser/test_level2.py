"""Journey 3: the Level 2 chair runs the meeting: opens this week's agenda,
filters it, records a decision and an agreed action on one case, refers
another to the chief executive call and finds it on the call's list at once;
prints the index for attendees and the whole agenda."""
import re
from datetime import date, timedelta

from support import a11y, pdf, report

# Dates ahead of whenever the suite runs, so a form never refuses them as past.
DUE = (date.today() + timedelta(days=28)).isoformat()


def _latest_agenda(page) -> str:
    page.get_by_role("link", name="Level 2", exact=True).click()
    a11y.check(page, "/level2")
    agendas = page.locator("main a[href^='/level2/20']")
    return sorted(agendas.evaluate_all("links => links.map(a => a.getAttribute('href'))"))[-1]


def _record(page, decision: str, ask: str = "", notes: str = "") -> None:
    form = page.locator("form#decision")
    form.locator("select[name=decision]").select_option(decision)
    if ask:
        form.locator("textarea[name=ask]").fill(ask)
    if notes:
        form.locator("textarea[name=notes]").fill(notes)
    form.get_by_role("button", name="Record decision", exact=True).click()
    page.wait_for_load_state()


def test_level2_chair_runs_the_meeting(sign_in):
    page = sign_in("demo-level2")
    agenda = _latest_agenda(page)
    page.goto(agenda)
    a11y.check(page, "Level 2 agenda index")
    size = len(page.request.get(agenda).body())
    total = int(re.search(r"(\d+) of (\d+) decided", page.locator(".tally").inner_text()).group(2))
    report.PRINTS.append(f"Level 2 index w/c {agenda[-10:]}: {total} cases, first view {size / 1024:.1f} KB")
    assert size < 150 * 1024, f"{size} bytes"

    # Filter: undecided cases of one agency.
    page.locator("#filter-undecided").check()
    page.locator("#filter-agency").select_option(index=1)
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    a11y.check(page, "Level 2 index, filtered")
    assert "undecided=1" in page.url and "agency=" in page.url
    rows = page.locator("table.agenda-index tbody tr")
    assert rows.count() >= 1
    assert all("Undecided" in row.inner_text() for row in rows.all())

    # One case: a decision, then an agreed action; each save comes back to it.
    rows.first.locator("a").click()
    page.wait_for_load_state()
    a11y.check(page, "Level 2 case")
    reference = page.locator("article.agenda-case").get_attribute("id")
    assert re.fullmatch(r"C-\d{6}", reference)
    _record(page, "keep-at-level2", notes="Brokerage to report back next week.")
    assert f"/cases/{reference}?" in page.url and "undecided=1" in page.url
    case = page.locator(f"article#{reference}")
    assert f"{reference}: decision recorded: Keep at Level 2." in case.inner_text()
    assert "Brokerage to report back next week." in case.inner_text()

    form = page.locator("form#add-action")
    form.locator("input[name=description]").fill("Find a care provider with capacity")
    form.locator("input[name=owner]").fill("Brokerage lead")
    form.locator("select[name=agency]").select_option(index=1)
    form.locator("input[name=due_date]").fill(DUE)
    form.get_by_role("button", name="Add action").click()
    page.wait_for_load_state()
    a11y.check(page, "Level 2 case after an action")
    assert "Agreed: Find a care provider with capacity (Brokerage lead" in page.locator(f"article#{reference}").inner_text()

    # Another case, referred to the chief executive call: on the call's list at once.
    page.goto(f"{agenda}?undecided=1")
    others = [a for a in page.locator("table.agenda-index tbody tr a").all() if a.inner_text() != reference]
    assert others, "a second undecided case"
    referred = others[0].inner_text()
    others[0].click()
    page.wait_for_load_state()
    _record(page, "refer-to-ce", ask="Fund a nursing home bed this week")
    assert "referred to the chief executive call" in page.locator(f"article#{referred}").inner_text()
    page.get_by_role("link", name="Open the case on the chief executive call's list").click()
    page.wait_for_load_state()
    a11y.check(page, "chief executive call list")
    assert page.locator(f"[id='{referred}']").count() == 1, f"{referred} on /ce"

    # The index shows both decided; printed for attendees it is the index only.
    page.goto(agenda)
    decided = page.locator("table.agenda-index tbody")
    assert "Keep at Level 2" in decided.locator(f"tr#{reference}").inner_text()
    assert "Refer to the chief executive call" in decided.locator(f"tr#{referred}").inner_text()
    data = pdf.print_pdf(page)
    index_pages = pdf.page_count(data)
    report.PRINTS.append(f"Level 2 index w/c {agenda[-10:]}: {total} cases, {index_pages} A4 page(s)")
    assert index_pages == 1 if total <= 100 else index_pages <= 2
    assert "Find a care provider" not in " ".join(pdf.page_texts(data)), "the index prints without case detail"

    page.get_by_role("link", name="The whole agenda, to read or print").click()
    page.wait_for_load_state()
    a11y.check(page, "Level 2 agenda, whole")
    data = pdf.print_pdf(page)
    pages = pdf.page_count(data)
    printed = " ".join(pdf.page_texts(data))
    report.PRINTS.append(f"Level 2 whole agenda w/c {agenda[-10:]}: {total} cases, {pages} A4 pages")
    assert reference in printed and referred in printed and "Find a care provider with capacity" in printed
