"""PDF facts the journeys check: how many pages, and the text on each."""
import io
import re

from pypdf import PdfReader

# A page object is "/Type /Page"; the page tree is "/Type /Pages".
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def page_count(data: bytes) -> int:
    """Counts page objects directly: Chromium writes them uncompressed.
    Cross-checked against pypdf so a change in Chromium's output shows up."""
    counted = len(_PAGE.findall(data))
    parsed = len(PdfReader(io.BytesIO(data)).pages)
    assert counted == parsed, f"page counter says {counted}, pypdf says {parsed}"
    return counted


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def print_pdf(page) -> bytes:
    """Prints as the user's browser would: print media, A4, the page's own @page size."""
    page.emulate_media(media="print")
    try:
        return page.pdf(format="A4", prefer_css_page_size=True, print_background=False)
    finally:
        page.emulate_media(media="screen")
