"""Journey 1: a ward nurse reviews a patient and prints the ward's forms,
with JavaScript on and off (the service must work without it)."""
import re
from datetime import date, timedelta

import pytest

from support import a11y, pdf, report

# Dates ahead of whenever the suite runs, so a form never refuses them as past.
DUE = (date.today() + timedelta(days=28)).isoformat()


def _open_ward_with_work(page, skip_forms: set[str]):
    """Find my ward this week: the first ward with a form still to do."""
    page.get_by_role("link", name="Wards", exact=True).click()
    a11y.check(page, "/wards")
    for link in page.locator("main table a").all():
        row = link.locator("xpath=ancestor::tr")
        forms, done = (int(row.locator("td.num").nth(i).inner_text()) for i in (0, 1))
        if done < forms:
            href = link.get_attribute("href")
            page.goto(href)
            a11y.check(page, "ward page")
            for patient in page.locator("table.ward-list tbody tr").all():
                status = patient.locator(".form-status").inner_text()
                form_link = patient.locator("a").first
                if status not in ("Complete", "Discharged") and form_link.get_attribute("href") not in skip_forms:
                    return href, form_link.get_attribute("href")
            page.go_back()
    pytest.fail("no ward with a form to do this week")


# Forms reviewed by earlier runs in this session: each run takes a fresh one.
TAKEN: set[str] = set()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_ward_reviews_a_patient_and_prints_the_ward(sign_in, javascript):
    page = sign_in("demo-ward", java_script_enabled=javascript)
    ward_href, form_href = _open_ward_with_work(page, TAKEN)
    TAKEN.add(form_href)

    page.goto(form_href)
    a11y.check(page, "Level 1 form")
    # Q1 first, saved as a draft: the form is then in progress.
    page.locator("#reason-0").check()
    page.locator("#primary-0").check()
    page.get_by_label("Why this patient needs to remain in hospital").fill("Waiting for a package of care to start.")
    page.get_by_label("Health reviewer").fill("")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    a11y.check(page, "Level 1 form after saving a draft")
    assert page.get_by_role("status").count() == 1, "a saved draft says so"
    assert page.locator(".patient-facts .form-status").inner_text() == "In progress"

    # Q2: an action in the first blank row, the expected date and the pathway.
    blank = page.locator(".action-row.blank").first
    blank.get_by_label("What is being done").fill("Chase the care provider for a start date")
    blank.get_by_label("By whom (name or role)").fill("Discharge coordinator")
    blank.get_by_label("Organisation").select_option(index=1)
    blank.get_by_label("Due by").fill(DUE)
    page.get_by_label("Expected discharge date").fill(DUE)
    page.get_by_label("Discharge pathway").select_option(index=2)
    # Q3, the reviewers and the outcome (red and green days come from the board round).
    page.get_by_label("What could have been done", exact=True).fill("Start the care assessment on admission.")
    page.get_by_label("Health reviewer").fill("Sister Jones")
    page.get_by_label("Social care reviewer").fill("Sam Patel")
    page.get_by_label("Managed at ward level").check()
    page.get_by_role("button", name="Complete").click()
    page.wait_for_load_state()
    a11y.check(page, "Level 1 form after completing")
    assert page.locator(".patient-facts .form-status").inner_text() == "Complete", page.locator(".error-summary").all_inner_texts()

    page.goto(ward_href)
    form_id = form_href.rsplit("/", 1)[1]
    row = page.locator("table.ward-list tbody tr", has=page.locator(f"a[href='{form_href}']"))
    assert row.locator(".form-status").inner_text() == "Complete"
    patients = page.locator("table.ward-list tbody tr").count()

    page.get_by_role("link", name="Print this ward's forms (A4)").click()
    a11y.check(page, "ward print view")
    forms = page.locator("article.print-form")
    assert forms.count() == patients
    # The completed form prints every answer, the ticks included.
    printed = forms.filter(has_text=f"form #{form_id}").inner_text()
    for answer in ("Board rounds:", "☑ Managed at ward level", "Chase the care provider for a start date",
                   "Sister Jones", "Sam Patel", "Start the care assessment on admission.", "(primary)"):
        assert answer in printed, f"{answer!r} missing from the printed form"
    data = pdf.print_pdf(page)
    pages = pdf.page_count(data)
    report.PRINTS.append(f"ward print ({'JavaScript' if javascript else 'no JavaScript'}): {patients} patients, {pages} A4 pages")
    assert pages == patients, f"{patients} patients printed on {pages} pages: one patient per page"
    # Each page is one patient's form: its number is on that page and no other.
    texts = pdf.page_texts(data)
    numbers = [re.findall(r"form\s*#\s*(\d+)", text) for text in texts]
    assert all(len(found) == 1 for found in numbers), numbers
