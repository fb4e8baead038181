#!/usr/bin/python3
# DkimIT's independent verifier: dkimpy (python3-dkim) checks the DKIM signature of the message
# on stdin, the key records given as NAME=TEXT arguments instead of a DNS lookup (dkimverify itself
# would ask the system's resolver). Prints "pass" and exits 0, or "fail" and exits 1.
import sys
import dkim

records = dict(arg.split("=", 1) for arg in sys.argv[1:])

def dnsfunc(name, timeout=5):
    name = name.decode() if isinstance(name, bytes) else name
    text = records.get(name.rstrip("."))
    return text.encode() if text is not None else None

message = sys.stdin.buffer.read()
if dkim.verify(message, dnsfunc=dnsfunc):
    print("pass")
    sys.exit(0)
print("fail")
sys.exit(1)
