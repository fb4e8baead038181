"""The warm cost of single IMAP commands: the same command on one connection, many times.

    python3 bench/imap_warm.py PORT LABEL REPEAT

On the tree of `bench/imap_maildir.py generate --small` (user bench@bench.test): each operation
runs 3 times untimed, then REPEAT times timed; prints the 1st, 2nd and median time of the timed
runs per operation (ms), and one machine-readable line per operation:
    bench: warm <op> server=<label> first=<ms> second=<ms> median=<ms>
Operations: STATUS (MESSAGES UIDNEXT UNSEEN) of the 50 small folders; FETCH 1:* (ENVELOPE) and
UID FETCH 1:* (FLAGS) of k10 (command only, EXAMINE excluded); SELECT k100.
"""
import imaplib
import statistics
import sys
import time

SMALL_FOLDERS = [f"f{i:02d}" for i in range(1, 51)]


def main(port, label, repeat):
    c = imaplib.IMAP4("127.0.0.1", port)
    c.login("bench@bench.test", "bench-password")

    def timed(command):
        t0 = time.perf_counter()
        typ, data = command()
        if typ != "OK":
            raise SystemExit(f"bench: {label}: {typ} {data}")
        return time.perf_counter() - t0

    def status():
        return sum(timed(lambda f=f: c.status(f, "(MESSAGES UIDNEXT UNSEEN)")) for f in SMALL_FOLDERS)

    def envelope():
        c.select("k10", readonly=True)
        return timed(lambda: c.fetch("1:*", "(ENVELOPE)"))

    def flags():
        c.select("k10", readonly=True)
        return timed(lambda: c.uid("FETCH", "1:*", "(FLAGS)"))

    def select():
        return timed(lambda: c.select("k100"))

    for name, op in (("status-50", status), ("fetch-envelope-k10", envelope),
                     ("select-k100", select), ("uid-fetch-flags-k10", flags)):
        for _ in range(3):
            op()
        ms = [op() * 1000 for _ in range(repeat)]
        print(f"bench: warm {name} server={label} first={ms[0]:.1f} second={ms[1]:.1f} "
              f"median={statistics.median(ms):.2f}", flush=True)
    c.logout()


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], int(sys.argv[3]))
