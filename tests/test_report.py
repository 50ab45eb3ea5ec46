"""The HTML report: its data over a real store, and the page in a real headless Chromium.

The store is built the way mailflow builds it: mail delivered into a Maildir, polled and
planned at moments of a small story, marks made with `service.mark`. The page is opened
in Debian's Chromium (driven by Playwright, with the system browser: no browser is
downloaded) with every non-file request aborted, and screenshots at laptop and phone
widths are kept under artifacts/report/ for a person to look at.
"""

from __future__ import annotations

import json
import mailbox
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import formataddr
from pathlib import Path
from typing import Any

import pytest

from mailflow import report, service
from mailflow.settings import Settings, load

from factories import mail, settings_text

NOW = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)  # Tuesday, noon in New York
M = timedelta(minutes=1)
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "report"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

# A display name and subject written to break out of HTML: a script that would set a
# global and open a dialog, and both kinds of quote.
HOSTILE = "<script>window.__pwned=1;alert(1)</script> \"Eve\" O'Hara"


def _t(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def _invite(subject: str, when: str, sign: str, phone: str = "+1 212-555-0142") -> str:
    return (f"Hi Alex,\n\nCan we do a phone interview on {when}? I'll call you at "
            f"{phone}.\n\n{sign}")


@dataclass
class Search:
    """A job search in a real store: seven threads, each showing one thing the page must."""

    settings: Settings
    box: mailbox.Maildir
    ids: dict[str, int]  # company -> thread id

    def deliver(self, raw: bytes) -> None:
        self.box.add(raw)

    def poll(self, at: datetime) -> None:
        service.poll(self.settings, at)
        service.plan(self.settings, at)


def make_search(root: Path) -> Search:
    """Northwind scheduled; Fabrikam (Pacific time, Zoom) moved once; Contoso cancelled;
    Litware and Tailspin clashing (Tailspin with another number); Adventure Works missed
    twice; and a hostile sender whose name and subject are HTML."""
    box = mailbox.Maildir(root / "Maildir", factory=None, create=True)
    box.add_folder("Sent")
    first = [
        mail("Phone screen with Northwind",
             _invite("", "Tuesday, November 24 at 3:00 PM ET", "Priya"),
             sender="Priya Shah <priya.shah@northwind.example>", date=_t(19, 15),
             message_id="<nw@northwind.example>"),
        mail("Video interview with Fabrikam",
             "Hi Alex,\n\nWould you be available for a video interview on Wednesday, "
             "November 25 at 10:00 AM PT?\nJoin on Zoom: https://fabrikam.zoom.us/j/5551234567"
             "\n\nDana",
             sender="Dana Cho <dana.cho@fabrikam.example>", date=_t(18, 18),
             message_id="<fb@fabrikam.example>"),
        mail("Interview with Contoso",
             _invite("", "Wednesday, November 25 at 10:00 AM ET", "Mark"),
             sender="Mark Lee <mark.lee@contoso.example>", date=_t(18, 14),
             message_id="<ct@contoso.example>"),
        mail("Re: Interview with Contoso",
             "Hi Alex,\n\nUnfortunately we need to cancel the interview on Wednesday; the "
             "position has been put on hold. I'm sorry.\n\nMark",
             sender="Mark Lee <mark.lee@contoso.example>", date=_t(21, 14),
             in_reply_to="<ct@contoso.example>"),
        mail("Phone interview with Litware",
             _invite("", "Wednesday, November 25 at 2:00 PM ET", "Sam"),
             sender="Sam Ortiz <sam.ortiz@litware.example>", date=_t(20, 15),
             message_id="<lw@litware.example>"),
        mail("Phone interview with Tailspin",
             _invite("", "Wednesday, November 25 at 2:15 PM ET", "Jo", phone="+1 646-555-0199"),
             sender="Jo Park <jo.park@tailspin.example>", date=_t(20, 16),
             message_id="<ts@tailspin.example>"),
        mail("Phone screen with Adventure Works",
             _invite("", "Monday, November 23 at 10:00 AM ET", "Jordan"),
             sender="Jordan Blake <jordan.blake@adventure-works.example>", date=_t(19, 14),
             message_id="<aw@adventure-works.example>"),
        mail(f"Interview {HOSTILE}",
             _invite("", "Monday, November 30 at 11:00 AM ET", f"{HOSTILE}\nEve"),
             sender=formataddr((HOSTILE, "eve@hostile.example")), date=_t(20, 20),
             message_id="<ev@hostile.example>"),
    ]
    for raw in first:
        box.add(raw)
    path = root / "settings.ini"
    path.write_text(settings_text(f"source = maildir:{root / 'Maildir'}", root / "state"))
    search = Search(load(path.read_text(), path), box, {})
    search.poll(_t(22, 12))
    lines, _accounts = service.status(search.settings, _t(22, 12))
    search.ids = {line.company: line.id for line in lines}
    # Adventure Works: no call on Monday; Jordan apologises and moves it to Tuesday 9:00
    # ET; no call again. Two misses in one thread are a pattern.
    aw = search.ids["Adventure Works"]
    service.mark(search.settings, aw, "missed", _t(23, 15, 30))
    search.deliver(mail("Re: Phone screen with Adventure Works",
                        "Hi Alex,\n\nSo sorry I missed you! Could we move our call to Tuesday, "
                        "November 24 at 9:00 AM ET instead?\n\nJordan",
                        sender="Jordan Blake <jordan.blake@adventure-works.example>",
                        date=_t(23, 16), in_reply_to="<aw@adventure-works.example>"))
    search.poll(_t(23, 17))
    service.mark(search.settings, aw, "missed", _t(24, 14, 30))
    # Fabrikam moves the video call to Friday (still Pacific time).
    search.deliver(mail("Re: Video interview with Fabrikam",
                        "Hi Alex,\n\nSomething came up: could we move our call to Friday, "
                        "November 27 at 11:00 AM PT instead? Same Zoom link.\n\nDana",
                        sender="Dana Cho <dana.cho@fabrikam.example>", date=_t(24, 15),
                        in_reply_to="<fb@fabrikam.example>"))
    search.poll(NOW)
    return search


@pytest.fixture(scope="module")
def search(tmp_path_factory: pytest.TempPathFactory) -> Search:
    # Read-only tests share one search: building it polls and plans six times.
    return make_search(tmp_path_factory.mktemp("search"))


@pytest.fixture(scope="module")
def data(search: Search) -> dict[str, Any]:
    return report.build(search.settings, NOW)


def by_company(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {t["company"]: t for t in data["threads"]}


# ---- the data ----------------------------------------------------------------------------------

def test_the_data_is_json_and_summarises_the_search(data):
    assert json.loads(json.dumps(data)) == data  # what --json prints is the whole input
    s = data["summary"]
    assert s["threads"] == len(data["threads"]) == 7
    assert {b["state"]: b["count"] for b in s["by_state"]} == {
        "scheduled": 5, "missed_by_them": 1, "cancelled": 1}
    # Adventure Works' "please call me" note and Northwind's confirmation wait for review.
    assert s["drafts_waiting"] == 2 and s["drafts_approved"] == 0
    assert s["next_due"]["company"] == "Adventure Works"
    assert s["next_due"]["text"] == "send the missed call again" and s["next_due"]["overdue"]
    assert s["flagged"] == 3


def test_each_thread_carries_what_its_row_shows(data):
    t = by_company(data)
    kinds = {c: sorted(f["kind"] for f in row["flags"]) for c, row in t.items()}
    assert kinds == {"Northwind": [], "Fabrikam": [], "Contoso": [], "Hostile": [],
                     "Adventure Works": ["missed_twice"], "Litware": ["clash"],
                     "Tailspin": ["clash", "phone"]}
    fab = t["Fabrikam"]["interview"]
    assert fab["start"] == "2026-11-27T19:00:00+00:00" and fab["zone"] == "America/Los_Angeles"
    assert fab["user_display"] == "Fri 27 Nov 2026 14:00 EST"
    assert fab["recruiter_display"] == "Fri 27 Nov 2026 11:00 PST"
    assert fab["link"] == "https://fabrikam.zoom.us/j/5551234567" and fab["rescheduled"] == 1
    nw = t["Northwind"]["interview"]
    assert nw["recruiter_display"] is None  # the same zone: said once
    assert nw["phone_display"] == "+1 212-555-0142" and nw["link"] is None
    assert t["Contoso"]["interview"]["cancelled"] and t["Contoso"]["state"] == "cancelled"
    assert [m["direction"] for m in t["Contoso"]["messages"]] == ["in", "in"]
    aw = t["Adventure Works"]
    # The first miss's note went stale when Jordan wrote; the Tuesday confirmation was
    # never sent; the second miss's "please call me" waits.
    assert [(d["kind"], d["state"], d["due"]) for d in aw["drafts"]] == [
        ("missed_call", "expired", False), ("confirmation", "expired", False),
        ("missed_call_again", "pending", True)]
    assert t["Hostile"]["counterpart"] == HOSTILE
    assert t["Hostile"]["subject"] == f"Interview {HOSTILE}"
    # The axis holds every instant of every row, and now.
    start, end = (datetime.fromisoformat(data["axis"][k]) for k in ("start", "end"))
    for row in data["threads"]:
        for m in row["messages"]:
            assert start < datetime.fromisoformat(m["at"]) < end
        if row["interview"]:
            assert start < datetime.fromisoformat(row["interview"]["end"]) < end
    assert start < NOW < end


def test_the_page_escapes_mail_and_loads_nothing(data):
    html = report.render_html(data)
    assert "<script" not in html.lower()
    assert "&lt;script&gt;window.__pwned=1;alert(1)&lt;/script&gt;" in html
    assert "&#34;Eve&#34; O&#39;Hara" in html  # both quotes escaped, in text and attributes
    # Self-contained: no stylesheet, image, font or frame from anywhere.
    for needle in ("<link", " src=", "@import", "url(", "<iframe", "<img", "http://"):
        assert needle not in html, needle
    assert "default-src 'none'" in html  # and the CSP forbids it even if one slipped in


def test_an_empty_store_makes_a_page(tmp_path):
    mailbox.Maildir(tmp_path / "Maildir", create=True)
    path = tmp_path / "settings.ini"
    path.write_text(settings_text(f"source = maildir:{tmp_path / 'Maildir'}", tmp_path / "st"))
    data = report.build(load(path.read_text(), path), NOW)
    assert data["threads"] == [] and data["summary"]["next_due"] is None
    assert "No threads yet" in report.render_html(data)


def test_importing_report_and_ics_loads_neither_jinja2_nor_icalendar():
    code = ("import sys, mailflow.report, mailflow.ics; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'jinja2', 'icalendar'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


# ---- the page in a real browser -----------------------------------------------------------------

@pytest.fixture(scope="module")
def page_file(data, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("page") / "report.html"
    path.write_text(report.render_html(data), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium: run the README's test "
                    "command (bash .ci/test), which installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # Debian's Chromium, never a downloaded one; Playwright gives each launch a fresh
        # temporary profile.
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


class Visit:
    """One page load with the network cut off and everything the page tried recorded."""

    def __init__(self, browser: Any, url: str, width: int, height: int) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height},
                                           java_script_enabled=True)
        self.blocked: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", self._dialog)
        self.page.goto(url)

    def _route(self, route: Any) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def close(self) -> None:
        self.context.close()


def _screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    return path


def test_the_harness_would_see_a_script_or_a_fetch(browser, tmp_path):
    # The checks below pass on silence; make sure silence means something. (The address is
    # this machine's, and the request is aborted before it leaves the browser anyway.)
    bad = tmp_path / "bad.html"
    bad.write_text("<p>x</p><img src='http://127.0.0.1:9/pixel.png'>"
                   "<script>window.__pwned = 1; alert(1)</script>")
    visit = Visit(browser, bad.as_uri(), 800, 600)
    try:
        assert visit.page.evaluate("window.__pwned") == 1
        assert visit.dialogs == ["1"]
        assert visit.blocked == ["http://127.0.0.1:9/pixel.png"]
    finally:
        visit.close()


@pytest.mark.parametrize(("width", "height", "name"), [
    (1366, 800, "laptop"),
    (390, 844, "phone"),
])
def test_the_page_in_chromium(browser, page_file, data, width, height, name):
    visit = Visit(browser, page_file.as_uri(), width, height)
    page = visit.page
    try:
        # Every thread has its row, in the order of the data, with its state label.
        rows = page.locator("article.thread")
        assert rows.count() == len(data["threads"]) == data["summary"]["threads"]
        for i, t in enumerate(data["threads"]):
            row = rows.nth(i)
            assert row.get_attribute("data-thread") == str(t["id"])
            assert row.locator(".counterpart").inner_text() == t["counterpart"]
            label = row.locator(f".state.state-{t['state']}")
            assert label.inner_text() == t["state_label"]
            # A red marker on exactly the flagged rows.
            assert row.locator(".marker.flag").count() == (1 if t["flags"] else 0)
            if t["interview"]:
                assert row.locator(".marker.interview").count() == 1
        assert page.locator(".summary .state").count() == len(data["summary"]["by_state"])
        # The hostile name and subject are text on the page, and nothing of them ran.
        hostile = page.locator(f"#thread-{by_company(data)['Hostile']['id']}")
        assert hostile.locator(".counterpart").inner_text() == HOSTILE
        assert hostile.locator(".subject").inner_text() == f"Interview {HOSTILE}"
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.evaluate("document.scripts.length") == 0
        assert visit.dialogs == []
        # Nothing but the file itself was requested.
        assert visit.blocked == []
        assert visit.requests and all(u.startswith("file://") for u in visit.requests)
        # Red is kept for what needs a look.
        flag = page.locator(".marker.flag").first
        assert flag.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(198, 40, 40)"
        # Readable at this width: nothing sticks out sideways.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        _screenshot(page, f"report-{name}-{width}x{height}.png")
    finally:
        visit.close()


def test_the_phone_layout_stacks_and_print_shows_every_message(browser, page_file, data):
    visit = Visit(browser, page_file.as_uri(), 390, 844)
    page = visit.page
    try:
        first = page.locator("article.thread").first
        info, track = first.locator(".info").bounding_box(), first.locator(".track").bounding_box()
        assert track["y"] >= info["y"] + info["height"]  # stacked, not side by side
        assert track["width"] > 300  # the track gets the phone's whole width
        message = first.locator("details.events li").first
        assert not message.is_visible()  # folded on screen
        page.set_viewport_size({"width": 1122, "height": 793})  # A4 landscape at 96 dpi
        page.emulate_media(media="print")
        assert message.is_visible()  # on paper nothing can be unfolded: all printed
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        _screenshot(page, "report-print.png")
        pdf = page.pdf(format="A4", landscape=True)
        assert pdf.startswith(b"%PDF")
        assert visit.blocked == []
    finally:
        visit.close()
