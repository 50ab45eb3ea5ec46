"""`mailflow run` on an unchanged mailbox against its floor, measured in the same run.

A scheduled run usually finds nothing new, so its cost is interpreter start-up, imports
and a few round trips. The floor is what any Python tool must pay for the same protocol
work: `python -c pass`, plus a script that imports imapclient, connects, logs in, EXAMINEs
INBOX and runs UID SEARCH (both as fresh processes). mailflow's run also looks at Sent,
plans and checks the outbox, so within 1.5x of the floor is the target.

Usage: python bench/run.py [--repeat 15] [--messages 2000]
Prints the medians, the ratio, and the top of `python -X importtime` for `mailflow run`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

FLOOR = """
import ssl, sys, imapclient
ctx = ssl.create_default_context(cafile=sys.argv[4])
c = imapclient.IMAPClient("127.0.0.1", port=int(sys.argv[1]), ssl=False, timeout=30)
c.starttls(ctx)
c.login(sys.argv[2], sys.argv[3])
c.select_folder("INBOX", readonly=True)
c.search(["UID", "%d:*" % (int(sys.argv[5]) + 1)])
c.logout()
"""


def timed(cmd: list[str], env: dict[str, str], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
        samples.append(time.perf_counter() - t)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--messages", type=int, default=2000)
    args = parser.parse_args()

    from poll import fill
    from servers.dovecot import Dovecot

    with Dovecot() as server:
        user = server.add_user()
        fill(user, args.messages)
        state = Path(tempfile.mkdtemp(prefix="mailflow-bench-run-"))
        config = state / "settings.ini"
        config.write_text(
            "[user]\nname = Alex\nemail = alex.candidate@example.com\n"
            "timezone = America/New_York\n[account]\nhost = 127.0.0.1\n"
            f"port = {user.port}\nsecurity = starttls\nusername = {user.username}\n"
            f"cafile = {user.cafile}\n[paths]\nstate_dir = {state / 'state'}\n"
        )
        env = dict(os.environ, MAILFLOW_PASSWORD=user.password)
        # An installed package has its bytecode compiled (pip does it); without this a
        # machine with PYTHONDONTWRITEBYTECODE set would compile mailflow at every start,
        # while the floor's imapclient comes precompiled from site-packages.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "mailflow")],
                       env=env, check=True)
        now = (datetime(2026, 11, 24, 17, tzinfo=UTC) + timedelta(minutes=1)).isoformat()
        run = [sys.executable, "-m", "mailflow", "--config", str(config), "--now", now, "-q",
               "run"]
        subprocess.run(run, env=env, check=True)  # the first run reads the window
        with user.client() as c:
            c.select_folder("INBOX", readonly=True)
            last = max(c.search(["ALL"]))

        empty = timed([sys.executable, "-c", "pass"], env, args.repeat)
        floor = timed([sys.executable, "-c", FLOOR, str(user.port), user.username,
                       user.password, str(user.cafile), str(last)], env, args.repeat)
        ours = timed(run, env, args.repeat)
        print(f"python -c pass            {empty * 1e3:7.1f} ms")
        print(f"floor (imapclient script) {floor * 1e3:7.1f} ms")
        print(f"mailflow run, nothing new {ours * 1e3:7.1f} ms   ratio to floor {ours / floor:.2f}x")

        profile = subprocess.run([sys.executable, "-X", "importtime", *run[1:]], env=env,
                                 capture_output=True, text=True, check=True).stderr
        rows = []
        for line in profile.splitlines():
            parts = line.split("|")
            if len(parts) == 3 and parts[1].strip().isdigit():
                rows.append((int(parts[1]), parts[2].rstrip()))
        print("\nimport profile of `mailflow run` (cumulative us, top 15):")
        for cumulative, name in sorted(rows, reverse=True)[:15]:
            print(f"  {cumulative:8d}  {name}")


if __name__ == "__main__":
    main()
