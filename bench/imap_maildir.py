#!/usr/bin/env python3
"""Helper of bench/imap-maildir (Python 3 standard library only).

    imap_maildir.py generate MAILROOT MANIFEST [--small]
        writes the Maildir++ tree of bench@bench.test under MAILROOT/bench.test/bench/Maildir
        and a JSON manifest (message and unseen counts per folder) for the verification
    imap_maildir.py run NAME PORT MANIFEST OUT
        runs the timed IMAP operations against 127.0.0.1:PORT as NAME, writes the figures to
        OUT (JSON, also when a check fails) and exits 1 on the first failed check
    imap_maildir.py report MAILDECK_JSON DOVECOT_JSON MANIFEST
        prints the comparison table and one "bench: ..." line per operation
"""

import base64
import imaplib
import json
import os
import random
import re
import sys
import time
import zlib

USER = "bench@bench.test"
PASSWORD = "bench-password"
HOST_NAME = "benchhost"          # host part of the Maildir file names
SMALL_FOLDERS = [f"f{i:02d}" for i in range(1, 51)]
APPEND_COUNT = 1000
APPEND_FOLDER = "appendtest"

# ---------------------------------------------------------------------------------------------
# Message generator
# ---------------------------------------------------------------------------------------------

WORDS = ("the of and to in is that for it as was with be by on not he this are or his from at "
         "which but have an they you were her she there been one all we their has would when if "
         "so no will more about up out who them some could what into than other time only new "
         "these two may first then do any like my now over such our man me even most made after "
         "also did many off before must well back through years where much your way down should "
         "because each just those people how too little state good very make world still see own "
         "work long get here both between life being under never day same another know while last "
         "might us great old year since against go came right used take three meeting invoice "
         "quarter budget release server mailbox report schedule review draft contract shipment "
         "deadline agenda customer ticket backup migration deploy figures forecast travel").split()
FIRST = ("Anna Ben Clara David Eva Felix Greta Hugo Ida Jonas Karin Lars Mia Nils Olga Paul "
         "Rosa Sven Tina Uwe Vera Walter Yara Zoe Amir Chen Fatima Hiro Ines Jamal Kofi Lena "
         "Marco Nadia Omar Priya Quentin Sofia Tomas").split()
LAST = ("Adams Becker Costa Dubois Evans Fischer Garcia Hansen Ivanova Jensen Kowalski Larsen "
        "Moreau Nakamura Olsen Petrov Quinn Rossi Schmidt Tanaka Usman Vogel Weber Young Zimmer "
        "Novak Silva Haddad Okafor Lindqvist").split()
DOMAINS = ("example.org example.com example.net mail.example.edu corp.example.co.uk "
           "lists.example.org shop.example.com news.example.net partner.example.de").split()
TOPICS = ("Quarterly report", "Meeting notes", "Invoice", "Your order has shipped", "Weekly digest",
          "Build failed", "Build fixed", "Travel plans", "Contract draft", "Backup status",
          "Lunch on Friday?", "Release candidate", "Password expiry notice", "Migration schedule",
          "Customer feedback", "Agenda for Monday", "Budget review", "Ticket updated",
          "Photos from the trip", "Server maintenance window")
TZS = ("+0000", "+0100", "+0200", "-0500", "-0800", "+0530", "+0900", "-0300")
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class Generator:
    """Builds RFC 5322 messages from pre-built paragraph and attachment pools, so that 100,000
    of them take seconds rather than minutes."""

    def __init__(self, seed):
        rng = random.Random(seed)
        self.paragraphs = [self._paragraph(rng) for _ in range(400)]
        self.attachments = []
        for _ in range(40):
            raw = rng.randbytes(rng.randint(600, 1800))
            b64 = base64.encodebytes(raw).decode("ascii")       # 76-column lines
            self.attachments.append(b64)

    @staticmethod
    def _paragraph(rng):
        words = [rng.choice(WORDS) for _ in range(rng.randint(25, 90))]
        words[0] = words[0].capitalize()
        lines, line = [], ""
        for w in words:
            if len(line) + len(w) + 1 > 72:
                lines.append(line)
                line = w
            else:
                line = f"{line} {w}" if line else w
        lines.append(line + ".")
        return "\n".join(lines)

    @staticmethod
    def rfc2822_date(t, tz):
        sign = 1 if tz[0] == "+" else -1
        offset = sign * (int(tz[1:3]) * 3600 + int(tz[3:5]) * 60)
        tm = time.gmtime(t + offset)
        return (f"{DAYS[tm.tm_wday]}, {tm.tm_mday} {MONTHS[tm.tm_mon - 1]} {tm.tm_year} "
                f"{tm.tm_hour:02d}:{tm.tm_min:02d}:{tm.tm_sec:02d} {tz}")

    def message(self, rng, sent, n):
        """One message as bytes with LF line endings (as stored in a Maildir)."""
        first, last = rng.choice(FIRST), rng.choice(LAST)
        domain = rng.choice(DOMAINS)
        sender = f"{first.lower()}.{last.lower()}@{domain}"
        date = self.rfc2822_date(sent, rng.choice(TZS))
        received = self.rfc2822_date(sent + rng.randint(1, 120), "+0000")
        subject = f"{rng.choice(TOPICS)} #{rng.randint(1, 99999)}"
        reply = rng.random() < 0.3
        if reply:
            subject = "Re: " + subject
        if rng.random() < 0.05:       # a non-ASCII subject, MIME-encoded as senders do
            subject = "=?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_M=C3=BCnchen?= " + subject
        h = [
            f"Return-Path: <{sender}>",
            f"Delivered-To: {USER}",
            f"Received: from mx.{domain} (mx.{domain} [192.0.2.{rng.randint(1, 254)}])",
            f"\tby mail.bench.test with ESMTPS id {rng.getrandbits(48):012X}",
            f"\tfor <{USER}>; {received}",
            f"Date: {date}",
            f"From: {first} {last} <{sender}>",
        ]
        to = ["Bench User <bench@bench.test>"]
        for _ in range(rng.choice((0, 0, 0, 1, 2))):
            to.append(f"{rng.choice(FIRST)} {rng.choice(LAST)} <{rng.choice(FIRST).lower()}@{rng.choice(DOMAINS)}>")
        h.append("To: " + ",\n ".join(to))
        if rng.random() < 0.2:
            h.append(f"Cc: {rng.choice(FIRST)} <{rng.choice(FIRST).lower()}@{rng.choice(DOMAINS)}>")
        h.append(f"Subject: {subject}")
        h.append(f"Message-ID: <{sent}.{n}.{rng.getrandbits(32):08x}@{domain}>")
        if reply:
            h.append(f"In-Reply-To: <{sent - rng.randint(600, 90000)}.{rng.getrandbits(32):08x}@bench.test>")
        h.append("MIME-Version: 1.0")

        target = rng.randint(1500, 5000)      # body size; headers add about 700 bytes
        text = []
        size = 0
        while size < target:
            p = rng.choice(self.paragraphs)
            text.append(p)
            size += len(p) + 2
        body_text = "\n\n".join(text)
        kind = rng.random()
        if kind < 0.7:
            h.append("Content-Type: text/plain; charset=us-ascii")
            h.append("Content-Transfer-Encoding: 7bit")
            body = body_text + "\n"
        else:
            boundary = f"=_bench_{rng.getrandbits(64):016x}"
            if kind < 0.85:
                half = text[: max(1, len(text) // 2)]
                html = "<html><body>\n" + "\n".join(f"<p>{p}</p>" for p in half) + "\n</body></html>"
                plain = "\n\n".join(half)
                h.append(f'Content-Type: multipart/alternative; boundary="{boundary}"')
                body = (f"This is a multi-part message in MIME format.\n\n--{boundary}\n"
                        "Content-Type: text/plain; charset=us-ascii\nContent-Transfer-Encoding: 7bit\n\n"
                        f"{plain}\n\n--{boundary}\n"
                        "Content-Type: text/html; charset=us-ascii\nContent-Transfer-Encoding: 7bit\n\n"
                        f"{html}\n\n--{boundary}--\n")
            else:
                part = text[: max(1, len(text) // 2)]
                att = rng.choice(self.attachments)
                name = f"document-{rng.randint(1, 999)}.pdf"
                h.append(f'Content-Type: multipart/mixed; boundary="{boundary}"')
                body = (f"This is a multi-part message in MIME format.\n\n--{boundary}\n"
                        "Content-Type: text/plain; charset=us-ascii\nContent-Transfer-Encoding: 7bit\n\n"
                        + "\n\n".join(part) + f"\n\n--{boundary}\n"
                        f'Content-Type: application/pdf; name="{name}"\n'
                        f'Content-Disposition: attachment; filename="{name}"\n'
                        f"Content-Transfer-Encoding: base64\n\n{att}\n--{boundary}--\n")
        return ("\n".join(h) + "\n\n" + body).encode("ascii")


def make_folder(path, is_subfolder):
    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(path, sub), exist_ok=True)
    if is_subfolder:
        open(os.path.join(path, "maildirfolder"), "wb").close()


def fill_folder(gen, path, name, count, counter, now):
    """Writes count messages into path/cur; returns (messages, unseen)."""
    rng = random.Random(zlib.crc32(name.encode()))
    pid = 1000 + zlib.crc32(name.encode()) % 30000
    # The folder's mail spans up to three years, oldest first, ending about a day ago.
    span = min(3 * 365 * 86400, max(3600, count * 600))
    start = now - 86400 - span
    cur = os.path.join(path, "cur")
    unseen = 0
    for i in range(count):
        sent = int(start + span * i / max(1, count) + rng.randint(0, 300))
        data = gen.message(rng, sent, counter + i)
        received = sent + rng.randint(1, 120)
        r = rng.random()
        # Flags sorted as Maildir requires; about 15 % unseen, 5 % flagged.
        flags = "S" if r < 0.80 else ("FS" if r < 0.85 else ("F" if r < 0.87 else ""))
        if "S" not in flags:
            unseen += 1
        size = len(data)
        vsize = size + data.count(b"\n")
        fname = (f"{received}.M{rng.randint(0, 999999)}P{pid}Q{counter + i}.{HOST_NAME},"
                 f"S={size},W={vsize}:2,{flags}")
        fpath = os.path.join(cur, fname)
        with open(fpath, "wb") as f:
            f.write(data)
        os.utime(fpath, (received, received))
    return count, unseen


def cmd_generate(mailroot, manifest_path, small):
    k10, k100 = (1000, 10000) if small else (10000, 100000)
    maildir = os.path.join(mailroot, "bench.test", "bench", "Maildir")
    gen = Generator(20240601)
    now = int(time.time())
    folders = {}
    counter = 1
    t0 = time.perf_counter()
    make_folder(maildir, False)
    folders["INBOX"] = fill_folder(gen, maildir, "INBOX", 5, counter, now)
    counter += 5
    plan = [("k10", k10), ("k100", k100)]
    frng = random.Random(7)
    plan += [(name, frng.randint(1, 6)) for name in SMALL_FOLDERS]
    for name, count in plan:
        path = os.path.join(maildir, "." + name)
        make_folder(path, True)
        folders[name] = fill_folder(gen, path, name, count, counter, now)
        counter += count
    total = sum(c for c, _ in folders.values())
    manifest = {
        "k10": k10, "k100": k100, "total": total,
        "folders": {name: {"messages": c, "unseen": u} for name, (c, u) in folders.items()},
    }
    with open(manifest_path, "w") as f:
        json.dump(manifest, f, indent=1)
    print(f"bench: generated {total} messages ({k10} in k10, {k100} in k100, "
          f"{len(SMALL_FOLDERS)} small folders) in {time.perf_counter() - t0:.1f} s", file=sys.stderr)


# ---------------------------------------------------------------------------------------------
# Timed IMAP operations
# ---------------------------------------------------------------------------------------------

class CheckFailed(Exception):
    pass


FETCH_LINE = re.compile(rb"^\* (\d+) FETCH \(")
LITERAL_END = re.compile(rb"\{(\d+)\+?\}\r\n$")


def fetch_all(c, tag, command):
    """Sends command on the imaplib connection c and reads the reply with c.readline/c.read.

    imaplib's own response handling (regular expressions and bookkeeping for every line) made a
    UID FETCH 1:* (FLAGS) of 100,000 messages from Dovecot take five times as long as this reader
    does (1.1 s against 0.2 s): the figures would measure mostly this client. Returns the tagged
    status line and the first line of every FETCH response (the whole response when it carries no
    literal; a literal's bytes are read and skipped)."""
    c.send(tag + b" " + command + b"\r\n")
    fetches = []
    while True:
        line = c.readline()
        if not line:
            raise imaplib.IMAP4.abort("connection closed during " + command.decode())
        if line.startswith(tag + b" "):
            return line[len(tag) + 1:].rstrip(), fetches
        if FETCH_LINE.match(line):
            fetches.append(line)
        m = LITERAL_END.search(line)
        while m:
            c.read(int(m.group(1)))
            m = LITERAL_END.search(c.readline())


class Suite:
    def __init__(self, name, port, manifest):
        self.name = name
        self.port = port
        self.m = manifest
        self.results = {}

    def fail(self, msg):
        raise CheckFailed(f"{self.name} {msg}")

    def connect(self):
        c = imaplib.IMAP4("127.0.0.1", self.port)
        try:
            c.login(USER, PASSWORD)
        except imaplib.IMAP4.error as e:
            self.fail(f"rejects LOGIN of {USER}: {e}")
        return c

    @staticmethod
    def close(c):
        try:
            c.logout()
        except (imaplib.IMAP4.abort, OSError):
            # James 3.8.1 has been seen closing before the tagged LOGOUT reply; nothing is lost.
            pass

    def select(self, c, folder, expected):
        try:
            typ, data = c.select(folder)
        except imaplib.IMAP4.error as e:
            self.fail(f"cannot select {folder} ({e}), expected {expected} messages")
        if typ != "OK":
            self.fail(f"cannot select {folder} ({typ} {data[0].decode(errors='replace')}), "
                      f"expected {expected} messages")
        exists = int(data[0])
        if exists != expected:
            self.fail(f"sees {exists} messages in {folder}, expected {expected}")

    def record(self, op, seconds):
        self.results[op] = seconds
        print(f"bench: {self.name:8s} {op:24s} {seconds:8.3f} s", file=sys.stderr)

    def login(self, op):
        t0 = time.perf_counter()
        c = self.connect()
        self.record(op, time.perf_counter() - t0)
        self.close(c)

    def login_select(self, op, folder):
        expected = self.m["folders"][folder]["messages"]
        t0 = time.perf_counter()
        c = self.connect()
        self.select(c, folder, expected)
        self.record(op, time.perf_counter() - t0)
        self.close(c)

    def fetch_flags(self, op, folder):
        want = self.m["folders"][folder]
        c = self.connect()
        self.select(c, folder, want["messages"])
        t0 = time.perf_counter()
        status, items = fetch_all(c, b"BENCH1", b"UID FETCH 1:* (FLAGS)")
        elapsed = time.perf_counter() - t0
        if not status.startswith(b"OK"):
            self.fail(f"UID FETCH 1:* (FLAGS) in {folder} failed: {status.decode(errors='replace')}")
        if len(items) != want["messages"]:
            self.fail(f"returns {len(items)} FETCH responses for UID FETCH 1:* (FLAGS) in {folder}, "
                      f"expected {want['messages']}")
        unseen = sum(1 for line in items if b"\\Seen" not in line)
        if unseen != want["unseen"]:
            self.fail(f"reports {unseen} messages without \\Seen in {folder}, expected {want['unseen']}")
        self.record(op, elapsed)
        self.close(c)

    def fetch_envelope(self, op, folder):
        expected = self.m["folders"][folder]["messages"]
        c = self.connect()
        self.select(c, folder, expected)
        t0 = time.perf_counter()
        status, items = fetch_all(c, b"BENCH1", b"FETCH 1:* (ENVELOPE)")
        elapsed = time.perf_counter() - t0
        if not status.startswith(b"OK"):
            self.fail(f"FETCH 1:* (ENVELOPE) in {folder} failed: {status.decode(errors='replace')}")
        if len(items) != expected:
            self.fail(f"returns {len(items)} FETCH responses for FETCH 1:* (ENVELOPE) in {folder}, "
                      f"expected {expected}")
        no_envelope = sum(1 for line in items if b"ENVELOPE (" not in line)
        if no_envelope:
            self.fail(f"answers FETCH (ENVELOPE) without an envelope {no_envelope} times, "
                      f"e.g. {next(l for l in items if b'ENVELOPE (' not in l)[:200]!r}")
        self.record(op, elapsed)
        self.close(c)

    def sort_or_thread(self, op, folder, name, command):
        """SORT or THREAD of every message of the folder: each message number must come back once."""
        expected = self.m["folders"][folder]["messages"]
        c = self.connect()
        self.select(c, folder, expected)
        t0 = time.perf_counter()
        try:
            typ, data = command(c)
        except imaplib.IMAP4.error as e:
            self.fail(f"{name} in {folder} failed: {e}")
        elapsed = time.perf_counter() - t0
        numbers = sorted(int(n) for n in re.findall(rb"\d+", b" ".join(d for d in data if isinstance(d, bytes))))
        if typ != "OK" or numbers != list(range(1, expected + 1)):
            self.fail(f"{name} in {folder} answers {typ} with {len(numbers)} message numbers, expected 1..{expected}")
        self.record(op, elapsed)
        self.close(c)

    def status_small(self, op):
        c = self.connect()
        answers = {}
        t0 = time.perf_counter()
        for folder in SMALL_FOLDERS:
            typ, data = c.status(folder, "(MESSAGES UIDNEXT UNSEEN)")
            if typ != "OK":
                self.fail(f"STATUS {folder} failed: {typ} {data}")
            answers[folder] = data
        elapsed = time.perf_counter() - t0
        for folder, data in answers.items():
            text = b" ".join(d for d in data if isinstance(d, bytes)).decode(errors="replace")
            got = {k: int(v) for k, v in re.findall(r"(MESSAGES|UIDNEXT|UNSEEN) (\d+)", text)}
            want = self.m["folders"][folder]
            if got.get("MESSAGES") != want["messages"] or got.get("UNSEEN") != want["unseen"] \
                    or "UIDNEXT" not in got:
                self.fail(f"STATUS {folder} answers {text!r}, expected MESSAGES {want['messages']} "
                          f"UNSEEN {want['unseen']} and a UIDNEXT")
        self.record(op, elapsed)
        self.close(c)

    def append(self, op):
        gen = Generator(99)
        rng = random.Random(99)
        now = int(time.time())
        msgs = []
        while len(msgs) < APPEND_COUNT:
            m = gen.message(rng, now - rng.randint(0, 86400), len(msgs))
            if 3500 <= len(m) <= 4600:        # about 4 KB each
                msgs.append(m.replace(b"\n", b"\r\n"))
        c = self.connect()
        typ, data = c.create(APPEND_FOLDER)
        if typ != "OK":
            self.fail(f"cannot CREATE {APPEND_FOLDER}: {typ} {data}")
        t0 = time.perf_counter()
        for i, m in enumerate(msgs):
            typ, data = c.append(APPEND_FOLDER, None, None, m)
            if typ != "OK":
                self.fail(f"APPEND #{i + 1} to {APPEND_FOLDER} failed: {typ} {data}")
        elapsed = time.perf_counter() - t0
        self.select(c, APPEND_FOLDER, APPEND_COUNT)
        self.record(op, elapsed)
        self.close(c)

    def warm_up(self):
        # A first login of the whole run, untimed: it starts what a server starts once (Dovecot's
        # auth and imap processes, the JVM's code paths for LOGIN and SELECT), so that "cold"
        # below is about indexing the folder, not about the server's first session.
        # INBOX's count is not checked here, so that a server without the generated mail
        # fails on k10, the folder the figures are about.
        c = self.connect()
        typ, data = c.select("INBOX")
        if typ != "OK":
            self.fail(f"cannot select INBOX: {typ} {data}")
        self.close(c)

    def run(self):
        self.warm_up()
        self.login("login")
        self.login_select("login+select k10 cold", "k10")
        self.login_select("login+select k10 warm", "k10")
        self.login_select("login+select k100 cold", "k100")
        self.login_select("login+select k100 warm", "k100")
        self.fetch_flags("uid fetch flags k10", "k10")
        self.fetch_flags("uid fetch flags k100", "k100")
        self.fetch_envelope("fetch envelope k10 cold", "k10")
        self.fetch_envelope("fetch envelope k10 warm", "k10")
        self.status_small("status 50 folders cold")
        self.status_small("status 50 folders warm")
        # after FETCH ENVELOPE, so that the earlier figures stay comparable with older runs;
        # Dovecot's cache may then hold some of the fields already, Maildeck's sort fields not
        for temperature in ("cold", "warm"):
            self.sort_or_thread(f"sort date k10 {temperature}", "k10", "SORT (DATE)",
                                lambda c: c.sort("(DATE)", "UTF-8", "ALL"))
        self.sort_or_thread("sort subject k10", "k10", "SORT (SUBJECT)",
                            lambda c: c.sort("(SUBJECT)", "UTF-8", "ALL"))
        self.sort_or_thread("thread references k10", "k10", "THREAD REFERENCES",
                            lambda c: c.thread("REFERENCES", "UTF-8", "ALL"))
        self.append("append 1000")


OPS = [
    ("login", "LOGIN alone (connect+LOGIN)"),
    ("login+select k10 cold", "LOGIN+SELECT k10, first (unindexed)"),
    ("login+select k10 warm", "LOGIN+SELECT k10, second"),
    ("login+select k100 cold", "LOGIN+SELECT k100, first (unindexed)"),
    ("login+select k100 warm", "LOGIN+SELECT k100, second"),
    ("uid fetch flags k10", "UID FETCH 1:* (FLAGS) k10"),
    ("uid fetch flags k100", "UID FETCH 1:* (FLAGS) k100"),
    ("fetch envelope k10 cold", "FETCH 1:* (ENVELOPE) k10, first"),
    ("fetch envelope k10 warm", "FETCH 1:* (ENVELOPE) k10, second"),
    ("status 50 folders cold", "STATUS x 50 folders, first"),
    ("status 50 folders warm", "STATUS x 50 folders, second"),
    ("sort date k10 cold", "SORT (DATE) k10, first"),
    ("sort date k10 warm", "SORT (DATE) k10, second"),
    ("sort subject k10", "SORT (SUBJECT) k10, after SORT (DATE)"),
    ("thread references k10", "THREAD REFERENCES k10, after SORT"),
    ("append 1000", "APPEND 1000 x ~4 KB"),
]


def cmd_run(name, port, manifest_path, out_path):
    with open(manifest_path) as f:
        manifest = json.load(f)
    suite = Suite(name, int(port), manifest)
    error = None
    try:
        suite.run()
    except CheckFailed as e:
        error = str(e)
    except (imaplib.IMAP4.error, OSError) as e:
        error = f"{name}: IMAP session failed: {type(e).__name__}: {e}"
    with open(out_path, "w") as f:
        json.dump({"server": name, "results": suite.results, "error": error}, f, indent=1)
    if error:
        print(f"bench: {error}", file=sys.stderr)
        sys.exit(1)


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------

def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {"results": {}, "error": None}


def machine():
    mem_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    model = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({model}), {mem_kb / 1024 / 1024:.1f} GiB RAM"


def cmd_report(maildeck_path, dovecot_path, manifest_path):
    md, dc = load(maildeck_path), load(dovecot_path)
    with open(manifest_path) as f:
        m = json.load(f)
    small = sum(m["folders"][n]["messages"] for n in SMALL_FOLDERS)
    print()
    print(f"imap-maildir: k10 = {m['k10']} messages, k100 = {m['k100']} messages, "
          f"{len(SMALL_FOLDERS)} small folders with {small} messages, INBOX "
          f"{m['folders']['INBOX']['messages']}; APPEND {APPEND_COUNT} into a new folder")
    print(f"machine: {machine()}")
    if dc["results"]:
        try:
            import subprocess
            v = subprocess.run(["dovecot", "--version"], capture_output=True, text=True).stdout.strip()
            print(f"Dovecot: {v}, default settings apart from the private instance's paths and port")
        except OSError:
            pass
    print()
    fmt = "{:<36} {:>12} {:>12} {:>9}"
    print(fmt.format("operation", "Maildeck s", "Dovecot s", "ratio"))
    print(fmt.format("-" * 36, "-" * 12, "-" * 12, "-" * 9))
    lines = []
    for op, label in OPS:
        a, b = md["results"].get(op), dc["results"].get(op)
        sa = f"{a:.3f}" if a is not None else "NA"
        sb = f"{b:.3f}" if b is not None else "NA"
        r = f"{a / b:.2f}" if a is not None and b else "NA"
        print(fmt.format(label, sa, sb, r))
        lines.append(f"bench: {op.replace(' ', '-')} maildeck={sa} dovecot={sb} ratio={r}")
    print("(ratio = Maildeck / Dovecot; above 1 means Maildeck is slower)")
    for d in (md, dc):
        if d.get("error"):
            print(f"FAILED: {d['error']}")
    print()
    print("\n".join(lines))


def main(argv):
    if len(argv) >= 3 and argv[0] == "generate":
        cmd_generate(argv[1], argv[2], "--small" in argv[3:])
    elif len(argv) == 5 and argv[0] == "run":
        cmd_run(*argv[1:])
    elif len(argv) == 4 and argv[0] == "report":
        cmd_report(*argv[1:])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main(sys.argv[1:])
