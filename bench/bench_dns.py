"""A tiny authoritative DNS server for the benchmarks (UDP, TXT records only; every other
question gets an empty answer, every unknown name NXDOMAIN), so that the server's SPF, DKIM and
DMARC lookups of a bench are answered locally and at once, never by the Internet.

    python3 bench/bench_dns.py ADDRESS NAME=TEXT [NAME=TEXT ...]

Binds ADDRESS:53 (root). Runs until killed."""
import socket
import struct
import sys


def parse_question(packet):
    labels, i = [], 12
    while packet[i]:
        length = packet[i]
        labels.append(packet[i + 1:i + 1 + length].decode("ascii", "replace").lower())
        i += 1 + length
    qtype, = struct.unpack("!H", packet[i + 1:i + 3])
    return ".".join(labels), qtype, i + 5


def txt_rdata(text):
    data = text.encode("ascii")
    chunks = [data[i:i + 255] for i in range(0, len(data), 255)] or [b""]
    return b"".join(bytes([len(chunk)]) + chunk for chunk in chunks)


def answer(packet, zone):
    ident, flags = struct.unpack("!HH", packet[:4])
    name, qtype, end = parse_question(packet)
    question = packet[12:end]
    records = zone.get(name)
    rcode = 0 if records is not None or any(key.endswith("." + name) for key in zone) else 3
    answers = b""
    count = 0
    if records is not None and qtype == 16:
        for text in records:
            rdata = txt_rdata(text)
            answers += b"\xc0\x0c" + struct.pack("!HHIH", 16, 1, 60, len(rdata)) + rdata
            count += 1
    header = struct.pack("!HHHHHH", ident, 0x8400 | (flags & 0x0100) | 0x0080 | rcode, 1, count, 0, 0)
    return header + question + answers


def main():
    zone = {}
    for arg in sys.argv[2:]:
        name, text = arg.split("=", 1)
        zone.setdefault(name.lower().rstrip("."), []).append(text)
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind((sys.argv[1], 53))
    while True:
        packet, client = server.recvfrom(4096)
        try:
            server.sendto(answer(packet, zone), client)
        except (IndexError, struct.error, UnicodeError):
            continue


main()
