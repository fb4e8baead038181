#!/usr/bin/python3
"""Real mail clients (smtplib, imaplib) for the package tests, run inside the test network namespace.

  mail_clients.py smtp PORT FROM TO SUBJECT      sends one message, prints the greeting and the replies
  mail_clients.py imap PORT USER PASSWORD TEXT   prints how many INBOX messages contain TEXT
"""
import imaplib
import smtplib
import sys
from email.message import EmailMessage


def send(port, sender, recipient, subject):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message.set_content("Delivered by the installed package.\n")
    with smtplib.SMTP(timeout=60) as smtp:
        code, greeting = smtp.connect("127.0.0.1", int(port))
        print("greeting", code, greeting.decode("ascii", "replace"))
        code, banner = smtp.ehlo("client.example")
        print("EHLO", code)
        refused = smtp.send_message(message)
        print("refused", refused)
        print("sent")


def count(port, user, password, text):
    imap = imaplib.IMAP4("127.0.0.1", int(port), timeout=60)
    imap.login(user, password)
    imap.select("INBOX", readonly=True)
    status, data = imap.search(None, "TEXT", '"%s"' % text)
    print("found", len(data[0].split()), flush=True)
    try:
        imap.logout()
    except imaplib.IMAP4.abort as e:
        # James 3.8.1 sometimes closes the connection right after its BYE, before the tagged OK
        print("logout:", e)


if __name__ == "__main__":
    {"smtp": send, "imap": count}[sys.argv[1]](*sys.argv[2:])
