"""Journey 2: the data clerk sends a ward list with one bad row through the
imports page and reads what is wrong with it."""
from support import a11y

# A valid NHS number, then one whose check digit is wrong (DESIGN §3's test vectors).
# The snapshot date is long before the demo's weeks, so nothing here touches them.
WARD_LIST = (
    "site_code,ward_code,nhs_number,admission_date,snapshot_date\n"
    "R9A01,W01,943 476 5919,2026-01-02,2026-01-19\n"
    "R9A01,W01,9434765918,2026-01-05,2026-01-19\n"
)


def test_data_clerk_reads_the_row_error(sign_in):
    page = sign_in("demo-data")
    page.get_by_role("link", name="Ward lists", exact=True).click()
    a11y.check(page, "/imports")
    page.get_by_label("Ward list file").set_input_files(
        files=[{"name": "ward-list-bad-row.csv", "mimeType": "text/csv", "buffer": WARD_LIST.encode()}])
    page.get_by_role("button", name="Import ward list").click()
    page.wait_for_load_state()
    a11y.check(page, "import report")
    assert "/imports/" in page.url
    errors = page.locator("table", has=page.get_by_role("columnheader", name="What is wrong"))
    rows = errors.locator("tbody tr")
    assert rows.count() == 1, rows.all_inner_texts()
    line, column, value, reason = (cell.inner_text() for cell in rows.first.locator("td").all())
    assert line == "3" and column == "nhs_number", (line, column, reason)
    assert "check digit" in reason.lower() or "nhs number" in reason.lower(), reason
    # The number itself is never shown in full.
    assert "9434765918" not in page.content()
