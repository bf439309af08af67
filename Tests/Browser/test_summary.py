"""Journey 4: the chief executive opens this week's summary and prints it:
at most two A4 pages, the headline figures on the first, and no patient's
name or NHS number anywhere in it."""
import html
import re
from pathlib import Path

import pytest

from support import a11y, pdf, report

NHS_NUMBER = re.compile(r"(?<!\d)\d{3}[ -]?\d{3}[ -]?\d{4}(?!\d)")
HEADLINE = "Patients in hospital 7+ and 21+ days"


def _patients(page, week: str) -> tuple[set[str], set[str]]:
    """Every patient's name and NHS number on the week's ward lists, read as an administrator."""
    names, numbers = set(), set()
    picker = page.request.get(f"/wards?week={week}").text()
    for ward in sorted(set(re.findall(r'href="(/wards/\d+\?week=[0-9-]+)"', picker))):
        text = page.request.get(html.unescape(ward)).text()
        for name, number in re.findall(r'<td><a href="/forms/\d+">([^<]+)</a>.*?</td>\s*<td>([^<]*)</td>', text, re.S):
            family, _, given = html.unescape(name).partition(", ")
            names.update({f"{family}, {given}".lower(), f"{given} {family}".lower()})
            numbers.add(re.sub(r"\D", "", number))
    return names, numbers


def test_executive_prints_the_summary(sign_in):
    page = sign_in("demo-executive")
    page.get_by_role("link", name="CE summary", exact=True).click()
    a11y.check(page, "/summary")
    weeks = sorted(set(re.findall(r"/summary/(\d{4}-\d{2}-\d{2})\"", page.content())))
    week = weeks[-1]
    page.goto(f"/summary/{week}")
    a11y.check(page, "chief executive summary")
    cases = int(re.search(r"Cases referred to this call \((\d+)\)", page.content()).group(1))
    data = pdf.print_pdf(page)
    pages = pdf.page_count(data)
    report.PRINTS.append(f"chief executive summary w/c {week}: {cases} referred cases, {pages} A4 pages")
    assert pages <= 2, f"{pages} pages"
    texts = pdf.page_texts(data)
    assert HEADLINE in texts[0] and "Whole system" in texts[0], "headline figures on page 1"

    printed = " ".join(texts)
    assert not NHS_NUMBER.search(printed), NHS_NUMBER.search(printed).group(0)
    names, numbers = _patients(sign_in("demo-administrator"), week)
    assert names and numbers, "the ward lists were read"
    flat = " ".join(printed.split()).lower()
    assert not [n for n in names if n in flat], "a patient's name is in the summary"
    digits = re.sub(r"\D", "", printed)
    assert not [n for n in numbers if n and n in digits], "a patient's NHS number is in the summary"


@pytest.mark.parametrize("cases", [40, 60])
def test_a_full_call_list_prints_on_two_pages(page, cases):
    """The fixtures are SummaryHTML's pages for 40 and 60 referred cases, kept
    current by ReportsTests' SummaryPrintLayoutTests; the demo may refer
    fewer. Past forty, each case prints on one line."""
    fixture = Path(__file__).parent / "fixtures" / f"summary-{cases}-cases.html"
    page.set_content(fixture.read_text(encoding="utf-8"))
    a11y.check(page, f"summary fixture, {cases} cases")
    data = pdf.print_pdf(page)
    pages = pdf.page_count(data)
    report.PRINTS.append(f"chief executive summary fixture: {cases} referred cases, {pages} A4 pages")
    assert pages <= 2, f"{pages} pages"
    texts = pdf.page_texts(data)
    assert HEADLINE in texts[0] and "Whole system" in texts[0]
    assert f"Cases referred to this call ({cases})" in " ".join(texts)
    assert all(f"C-{100 + n:06d}" in " ".join(texts) for n in range(1, cases + 1)), "every case is printed"
