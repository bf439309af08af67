"""Journey 5: a ward asks for Level 2 after the Level 1 deadline, and the case
reaches Level 2: this week's meeting if it has not been held (its agenda gains
a version with the case marked "late"), otherwise the next meeting's agenda."""
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from support import a11y

LONDON = ZoneInfo("Europe/London")
# The timetable the demo runs with (DESIGN.md §3): Level 1 deadline Wednesday
# 17:00, the Level 2 meeting Thursday 10:00, London time.
DEADLINE = (2, 17)
MEETING = (3, 10)


def _at(monday: date, when: tuple[int, int]) -> datetime:
    day = monday + timedelta(days=when[0])
    return datetime(day.year, day.month, day.day, when[1], tzinfo=LONDON)


def _meeting_week(form_week: date, now: datetime) -> date:
    """The first meeting still to be held, from the form's week on (LateEscalation.meetingWeek)."""
    week = form_week
    while _at(week, MEETING) <= now:
        week += timedelta(days=7)
    return week


def test_a_late_escalation_reaches_level2(sign_in):
    now = datetime.now(LONDON)
    this_monday = now.date() - timedelta(days=now.weekday())
    # A week whose deadline has passed: this one after Wednesday 17:00, else the one before.
    form_week = this_monday if now > _at(this_monday, DEADLINE) else this_monday - timedelta(days=7)

    ward = sign_in("demo-ward")
    ward.goto("/wards?week=" + form_week.isoformat())
    a11y.check(ward, "/wards, a past week")
    form_href = None
    for link in ward.locator("main table a").all():
        page_href = link.get_attribute("href")
        text = ward.request.get(page_href).text()
        # A form the ward completed as managed at ward level, so the escalation is a change of mind.
        for href, status in re.findall(r'<a href="(/forms/\d+)">.*?form-status [^"]*">([^<]+)<', text, re.S):
            if status == "Complete":
                form_href = href
                break
        if form_href:
            break
    assert form_href, f"a completed form in w/c {form_week}"

    ward.goto(form_href)
    a11y.check(ward, "a completed Level 1 form, after the deadline")
    reference = ward.locator(".patient-facts .case-reference").inner_text()
    assert re.fullmatch(r"C-\d{6}", reference)
    ward.get_by_label("Escalate to Level 2").check()
    ward.get_by_label("If escalating: what the ward needs from the Level 2 meeting").fill("A social worker to assess this week")
    ward.get_by_role("button", name="Complete").click()
    ward.wait_for_load_state()
    a11y.check(ward, "the form after a late escalation")
    assert ward.locator(".patient-facts .form-status").inner_text() == "Escalated to Level 2", ward.locator(".error-summary").all_inner_texts()

    meeting = _meeting_week(form_week, datetime.now(LONDON))
    chair = sign_in("demo-level2")
    chair.goto(f"/level2/{meeting.isoformat()}")
    if chair.locator("table.agenda-index").count() == 0:
        # The next meeting's agenda is not built yet: an administrator builds it now.
        admin = sign_in("demo-administrator")
        admin.goto(f"/cycle?week={meeting.isoformat()}")
        admin.locator("select[name=job]").select_option("level2-agenda")
        admin.get_by_role("button", name="Run now").click()
        admin.wait_for_load_state()
        chair.goto(f"/level2/{meeting.isoformat()}")
    a11y.check(chair, "the Level 2 agenda with a late escalation")
    row = chair.locator(f"table.agenda-index tr#{reference}")
    assert row.count() == 1, f"{reference} on the agenda of w/c {meeting}"
    assert "late" in row.inner_text()
    row.locator("a").click()
    chair.wait_for_load_state()
    case = chair.locator(f"article#{reference}")
    assert "Late escalation" in case.inner_text()
    assert "A social worker to assess this week" in case.inner_text()
