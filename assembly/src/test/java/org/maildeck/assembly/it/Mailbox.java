package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;

/** A user's INBOX seen over IMAP: with Jakarta Mail for content, with a raw socket for exact bytes. */
final class Mailbox {

    private final int imapPort;
    private final String user;
    private final String password;

    Mailbox(MaildeckInstance instance, String user, String password) {
        this.imapPort = instance.port("imap");
        this.user = user;
        this.password = password;
    }

    /** Logs in over IMAP with Jakarta Mail; throws if the login is refused. */
    Store login() throws MessagingException {
        Properties properties = new Properties();
        properties.setProperty("mail.imap.host", "127.0.0.1");
        properties.setProperty("mail.imap.port", Integer.toString(imapPort));
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
        try (Socket socket = new Socket("127.0.0.1", imapPort)) {
            socket.setSoTimeout(30_000);
            RawImap imap = new RawImap(socket);
            imap.readLine();
            imap.command("a1", "LOGIN \"" + user + "\" \"" + password + "\"");
            imap.command("a2", "SELECT INBOX");
            RawImap.Response fetch = imap.command("a3", "FETCH " + sequenceNumber + " (BODY[])");
            // Not waited for: under load James 3.8.1 has been seen closing the connection before
            // its tagged LOGOUT reply; the fetch is complete either way.
            imap.sendWithoutWaiting("a4 LOGOUT");
            return fetch.literalAfter("BODY[]");
        }
    }

    /** Just enough of an IMAP client to send tagged commands and read responses with literals. */
    private static final class RawImap {
        private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)\\}$");

        record Response(List<String> lines, List<byte[]> literals) {
            /** The literal announced at the end of the line part that ends with {@code key {N}}. */
            byte[] literalAfter(String key) {
                for (int i = 0; i < literals.size(); i++) {
                    if (literals.get(i) != null && lines.get(i).matches("(?s).*" + Pattern.quote(key) + " \\{\\d+\\}$")) {
                        return literals.get(i);
                    }
                }
                throw new AssertionError("no " + key + " literal in " + lines);
            }
        }

        private final InputStream in;
        private final OutputStream out;

        RawImap(Socket socket) throws IOException {
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        void sendWithoutWaiting(String line) throws IOException {
            out.write((line + "\r\n").getBytes(ISO_8859_1));
            out.flush();
        }

        Response command(String tag, String command) throws IOException {
            out.write((tag + " " + command + "\r\n").getBytes(ISO_8859_1));
            out.flush();
            List<String> lines = new ArrayList<>();
            List<byte[]> literals = new ArrayList<>();
            while (true) {
                String line = readLine();
                lines.add(line);
                Matcher literal = LITERAL.matcher(line);
                if (literal.find()) {
                    literals.add(in.readNBytes(Integer.parseInt(literal.group(1))));
                    continue;
                }
                literals.add(null);
                if (line.startsWith(tag + " ")) {
                    if (!line.startsWith(tag + " OK")) {
                        throw new AssertionError(command + " -> " + line);
                    }
                    return new Response(lines, literals);
                }
            }
        }

        String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new EOFException("IMAP connection closed after: " + line.toString(ISO_8859_1));
                }
                line.write(b);
            }
            String text = line.toString(ISO_8859_1);
            return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }
    }
}
