"""Poll speed against the floor: plain imapclient doing the same protocol work, same run.

Fills a real Dovecot INBOX (files written straight into its Maildir; APPEND is slow) with
N messages spread over a year, then measures, each in a fresh process:

1. a poll with nothing new, against connect + login + EXAMINE + UID SEARCH;
2. the first poll with the default 30-day look-back (should scale with the window, not
   the mailbox);
3. a full-history scan (lookback_days = all), against the raw imapclient header fetch
   with and without header parsing, and imap_tools' bulk header fetch; with peak RSS.

Usage: python bench/poll.py [--sizes 10000 100000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

NOW = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)
SPAN_DAYS = 365

SUBJECTS = [
    "Your weekly digest", "Order shipped", "New comment on your post", "Invoice #{n}",
    "Meeting notes", "Re: weekend plans", "Security alert", "Your receipt from Store {n}",
    "Newsletter issue {n}", "Photos from the trip",
]
JOB_SUBJECTS = ["Phone interview for the {n} role", "Re: Next steps", "Interview availability"]


JOB_SHARE = 0.02  # job-related mail in a real inbox; --job-share changes it


def set_job_share(share: float) -> None:
    global JOB_SHARE
    JOB_SHARE = share


def make_message(i: int, when: datetime, rng: random.Random) -> bytes:
    job = rng.random() < JOB_SHARE
    subject = (rng.choice(JOB_SUBJECTS) if job else rng.choice(SUBJECTS)).format(n=i)
    sender = f"recruiter{i}@company{i % 300}.example" if job else f"news{i % 50}@service.example"
    body = ("Hi Alex,\n\nWould you be available for a phone interview on Tuesday at 3pm ET?\n"
            if job else "Lorem ipsum dolor sit amet. " * rng.randint(20, 120))
    return (
        f"Return-Path: <{sender}>\r\n" + _transport_headers(i, when)
        + f"Message-ID: <bench{i}@example.net>\r\n"
        f"Date: {format_datetime(when)}\r\nFrom: Sender {i} <{sender}>\r\n"
        f"To: Alex Candidate <alex.candidate@example.com>\r\nSubject: {subject}\r\n"
        f"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
        + ("" if job else "List-Unsubscribe: <mailto:u@service.example>\r\n")
        + f"\r\n{body}\r\n"
    ).encode()


def _transport_headers(i: int, when: datetime) -> str:
    """What real delivered mail carries above its own headers: Received hops, DKIM, ARC,
    authentication results (2-3 KB; the screen needs none of it)."""
    stamp = format_datetime(when)
    rng = random.Random(i)
    raw_sig = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef0123456789+/")
                      for _ in range(344))
    sig = "\r\n\t".join(raw_sig[k:k + 72] for k in range(0, len(raw_sig), 72))
    hops = "".join(
        f"Received: from mx{n}.relay.example (mx{n}.relay.example [192.0.2.{n}])\r\n"
        f"\tby mail.example with ESMTPS id {i:08x}{n}\r\n\tfor <alex.candidate@example.com>; "
        f"{stamp}\r\n" for n in range(4))
    return (
        hops
        + f"ARC-Seal: i=1; a=rsa-sha256; t=1700000000; cv=none; d=relay.example; s=arc;\r\n\tb={sig}\r\n"
        + "ARC-Authentication-Results: i=1; mx.example; dkim=pass header.i=@service.example;\r\n"
          "\tspf=pass smtp.mailfrom=service.example; dmarc=pass header.from=service.example\r\n"
        + f"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=service.example; s=s1;\r\n"
          f"\th=from:to:subject:date:message-id; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\r\n"
          f"\tb={sig}\r\n"
        + "Authentication-Results: mx.example; dkim=pass; spf=pass; dmarc=pass\r\n"
    )


def fill(user, count: int) -> None:
    rng = random.Random(count)
    step = timedelta(days=SPAN_DAYS) / count
    start = NOW - timedelta(days=SPAN_DAYS)
    times = [start + step * i for i in range(count)]
    user.write_maildir("INBOX", (make_message(i, t, rng) for i, t in enumerate(times)))
    # INTERNALDATE (what SEARCH SINCE reads) comes from the file's mtime in a Maildir.
    files = sorted((user.maildir / "cur").iterdir(), key=lambda p: p.name)
    for path, when in zip(files, times, strict=True):
        ts = when.timestamp()
        os.utime(path, (ts, ts))


# ---- the workers: each runs in its own process, prints one JSON line ------------------------

def worker(kind: str, cfg: dict) -> dict:
    import imapclient

    from servers.tls import client_context

    def connect():
        ctx = client_context(Path(cfg["cafile"]))
        c = imapclient.IMAPClient("127.0.0.1", port=cfg["port"], ssl=False, timeout=60)
        c.starttls(ctx)
        c.login(cfg["username"], cfg["password"])
        return c

    started = time.perf_counter()
    count = 0
    if kind == "floor-nothing-new":
        c = connect()
        c.select_folder("INBOX", readonly=True)
        c.search(["UID", f"{cfg['last_uid'] + 1}:*"])
        c.logout()
    elif kind in ("floor-headers", "floor-headers-parsed"):
        from email.parser import BytesHeaderParser
        from email.policy import compat32

        parser = BytesHeaderParser(policy=compat32)
        c = connect()
        c.select_folder("INBOX", readonly=True)
        uids = c.search(["ALL"])
        for i in range(0, len(uids), 500):
            data = c.fetch(uids[i:i + 500], ["BODY.PEEK[HEADER]", "RFC822.SIZE"])
            for entry in data.values():
                count += 1
                if kind == "floor-headers-parsed":
                    h = parser.parsebytes(entry[b"BODY[HEADER]"])
                    h.get("subject"), h.get("message-id")
        c.logout()
    elif kind == "imap_tools-headers":
        from imap_tools import MailBox
        from imap_tools.consts import MailMessageFlags  # noqa: F401 - import cost counted

        ctx = client_context(Path(cfg["cafile"]))
        from imap_tools import MailBoxStartTls

        with MailBoxStartTls("127.0.0.1", port=cfg["port"], ssl_context=ctx).login(
                cfg["username"], cfg["password"], initial_folder="INBOX") as mb:
            for msg in mb.fetch(headers_only=True, bulk=500, mark_seen=False):
                count += 1
                msg.subject, msg.headers.get("message-id")
        _ = MailBox
    elif kind.startswith("mailflow"):
        import mailflow.imap  # noqa: F401 - imported before the clock starts, as for the floor
        from mailflow.poller import poll_account
        from mailflow.settings import load
        from mailflow.store import Store

        os.environ["MAILFLOW_PASSWORD"] = cfg["password"]
        lookback = {"mailflow-all": "all"}.get(kind, "30")
        text = (
            "[user]\nname = Alex\nemail = alex.candidate@example.com\n"
            "timezone = America/New_York\n[account]\nhost = 127.0.0.1\n"
            f"port = {cfg['port']}\nsecurity = starttls\nusername = {cfg['username']}\n"
            f"cafile = {cfg['cafile']}\nread_sent = no\nlookback_days = {lookback}\n"
            f"[paths]\nstate_dir = {cfg['state']}\n"
        )
        settings = load(text, Path(cfg["state"]) / "settings.ini")
        store = Store.open(settings.state_dir)
        started = time.perf_counter()  # the poll itself, not the imports and the schema
        report = poll_account(store, settings, settings.account, NOW)
        count = sum(report.folders.values())
        store.close()
    seconds = time.perf_counter() - started
    rss = peak_rss_mb()
    return {"seconds": seconds, "count": count, "rss_mb": rss}


def peak_rss_mb() -> float:
    """This process's own peak RSS. (ru_maxrss survives fork+exec on Linux, so it would
    report the bench parent's peak; VmHWM belongs to the new address space.)"""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_worker(kind: str, cfg: dict) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--worker", kind, json.dumps(cfg)],
        capture_output=True, text=True, check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def best(kind: str, cfg: dict, repeat: int) -> dict:
    results = [run_worker(kind, cfg) for _ in range(repeat)]
    return min(results, key=lambda r: r["seconds"])


def compare(name: str, r: dict, rate: float) -> str:
    other = r["count"] / r["seconds"]
    return (f"  {name:28s} {other:9,.0f} msg/s   mailflow/this {rate / other:5.2f}x   "
            f"peak RSS {r['rss_mb']:6.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--job-share", type=float, default=0.02,
                        help="share of job-related messages (their bodies are read and "
                             "classified; the floor never does that work)")
    parser.add_argument("--worker")
    parser.add_argument("cfg", nargs="?")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, json.loads(args.cfg))))
        return

    from servers.dovecot import Dovecot

    set_job_share(args.job_share)
    with Dovecot() as server:
        for size in args.sizes:
            user = server.add_user()
            t = time.perf_counter()
            fill(user, size)
            fill_s = time.perf_counter() - t
            with user.client() as c:  # warm the index, as a long-lived mailbox has it
                c.select_folder("INBOX", readonly=True)
                c.search(["ALL"])
            state = tempfile.mkdtemp(prefix="mailflow-bench-")
            cfg = {"port": user.port, "username": user.username, "password": user.password,
                   "cafile": str(user.cafile), "state": state, "last_uid": size}
            print(f"\n== {size:,} messages, {JOB_SHARE:.0%} job-related "
                  f"(filled in {fill_s:.1f} s) ==")

            first = run_worker("mailflow-30d", cfg)  # first poll, default look-back
            nothing = best("mailflow-30d", cfg, args.repeat)  # cursor saved: nothing new
            floor = best("floor-nothing-new", cfg, args.repeat)
            print(f"nothing new:   mailflow {nothing['seconds'] * 1e3:7.1f} ms   floor "
                  f"{floor['seconds'] * 1e3:7.1f} ms   ratio {nothing['seconds'] / floor['seconds']:.2f}x")
            print(f"first poll 30d: {first['count']:,} messages in the window, "
                  f"{first['seconds']:.2f} s ({first['count'] / first['seconds']:,.0f}/s)")

            # Dovecot caches header fields on first use: warm it for both kinds of fetch, as
            # a long-lived mailbox has it, so neither side pays for the other's cache.
            run_worker("floor-headers", cfg)
            run_worker("mailflow-all", dict(cfg, state=tempfile.mkdtemp(prefix="mailflow-bench-")))
            cfg_all = dict(cfg, state=tempfile.mkdtemp(prefix="mailflow-bench-"))
            full = run_worker("mailflow-all", cfg_all)
            raw = best("floor-headers", cfg, min(args.repeat, 3))
            parsed = best("floor-headers-parsed", cfg, min(args.repeat, 3))
            tools = best("imap_tools-headers", cfg, 1)
            rate = full["count"] / full["seconds"]

            print(f"full scan:     mailflow {rate:9,.0f} msg/s ({full['count']:,} in "
                  f"{full['seconds']:.2f} s), peak RSS {full['rss_mb']:.1f} MB")
            print(compare("floor: header fetch", raw, rate))
            print(compare("floor: fetch + parse headers", parsed, rate))
            print(compare("imap_tools bulk headers", tools, rate))


if __name__ == "__main__":
    main()
