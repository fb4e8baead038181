package org.maildeck.assembly.it;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;

/** A user's INBOX seen over IMAP: with Jakarta Mail for content, with a raw socket for exact bytes. */
final class Mailbox {

    private final MaildeckInstance instance;
    private final String user;
    private final String password;

    Mailbox(MaildeckInstance instance, String user, String password) {
        this.instance = instance;
        this.user = user;
        this.password = password;
    }

    /** Logs in over IMAP with Jakarta Mail; throws if the login is refused. */
    Store login() throws MessagingException {
        Properties properties = new Properties();
        properties.setProperty("mail.imap.host", "127.0.0.1");
        properties.setProperty("mail.imap.port", Integer.toString(instance.port("imap")));
        properties.setProperty("mail.imap.connectiontimeout", "10000");
        properties.setProperty("mail.imap.timeout", "30000");
        Store store = Session.getInstance(properties).getStore("imap");
        store.connect(user, password);
        return store;
    }

    /** The subjects of the messages in the INBOX, in mailbox order. */
    List<String> subjects() throws MessagingException {
        Store store = login();
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            try {
                List<String> subjects = new ArrayList<>();
                for (Message message : inbox.getMessages()) {
                    subjects.add(message.getSubject());
                }
                return subjects;
            } finally {
                inbox.close(false);
            }
        } finally {
            store.close();
        }
    }

    /**
     * {@link #subjects()} while mail is still being delivered. With the interim JPA mailbox, a
     * SELECT that races a delivery can announce a message that the following FETCH of the same
     * session refuses ("BAD FETCH failed. Invalid messageset."): such a read is taken again.
     */
    private List<String> subjectsDuringDelivery() throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return subjects();
            } catch (MessagingException e) {
                if (attempt == 5 || !String.valueOf(e.getMessage()).contains("Invalid messageset")) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    /** Polls the INBOX until it holds at least {@code count} messages; returns their subjects. */
    List<String> awaitSubjects(int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> subjects = subjectsDuringDelivery();
        while (subjects.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("INBOX of " + user + " has " + subjects.size() + " messages after "
                    + timeout + ", expected at least " + count + ": " + subjects);
            }
            Thread.sleep(300);
            subjects = subjectsDuringDelivery();
        }
        return subjects;
    }

    /** Polls until a message with this subject is in the INBOX. */
    void awaitSubject(String subject, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!subjectsDuringDelivery().contains(subject)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no message with subject '" + subject + "' in the INBOX of " + user
                    + " after " + timeout + "; it has: " + subjects());
            }
            Thread.sleep(300);
        }
    }

    /**
     * {@code FETCH seq (BODY[])} on a raw IMAP connection: the literal exactly as the server sent
     * it. Does not change flags beyond what BODY[] does (\Seen).
     */
    byte[] fetchRawBody(int sequenceNumber) throws IOException {
        try (ImapWire imap = ImapWire.login(instance, user, password)) {
            imap.ok("SELECT INBOX");
            ImapWire.Reply fetch = imap.ok("FETCH " + sequenceNumber + " (BODY[])");
            // closing sends LOGOUT without waiting: under load James 3.8.1 has been seen closing
            // the connection before its tagged LOGOUT reply; the fetch is complete either way
            return fetch.untagged().stream().filter(response -> response.text().contains("BODY[] {")).findFirst()
                .orElseThrow(() -> new AssertionError("no BODY[] literal in " + fetch)).literalAfter("BODY[]");
        }
    }
}
