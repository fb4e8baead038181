package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** POP3 on the Maildir store: stable UIDL, RETR, and DELE taking effect at QUIT only. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class Pop3OnMaildirIT {

    private static final String DOMAIN = "pop3.maildir.test";
    private static final String PASSWORD = "secret-Pa55";
    private static final Duration DELIVERY = Duration.ofSeconds(30);

    private static MaildeckInstance server;

    @BeforeAll
    static void startServer() {
        server = MaildeckInstance.create().start();
        new WebAdmin(server).addDomain(DOMAIN);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static String newUser(MaildeckInstance on, String prefix) {
        String address = prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@" + DOMAIN;
        new WebAdmin(on).addUser(address, PASSWORD);
        return address;
    }

    @Test
    void uidlOfAMessageStaysTheSameWhenAnotherMessageArrives() throws Exception {
        String user = newUser(server, "uidlnew");
        deliver(server, user, "first", 1);
        Map<Integer, String> before;
        try (Pop3 pop3 = Pop3.login(server, user)) {
            before = pop3.uidl();
        }
        deliver(server, user, "second", 2);
        Map<Integer, String> after;
        try (Pop3 pop3 = Pop3.login(server, user)) {
            after = pop3.uidl();
            assertThat(new String(pop3.retr(1), ISO_8859_1)).as("message 1 is still the first one").contains("Subject: first");
        }
        assertThat(before).hasSize(1);
        assertThat(after).hasSize(2).containsEntry(1, before.get(1));
        assertThat(after.get(2)).isNotEqualTo(after.get(1));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void uidlIsTheSameAfterACleanRestart() throws Exception {
        try (MaildeckInstance own = MaildeckInstance.create().start()) {
            new WebAdmin(own).addDomain(DOMAIN);
            String user = newUser(own, "uidlrestart");
            deliver(own, user, "first", 1);
            deliver(own, user, "second", 2);
            Map<Integer, String> before;
            try (Pop3 pop3 = Pop3.login(own, user)) {
                before = pop3.uidl();
            }
            MaildeckInstance.Result stop = own.stop();
            assertThat(stop.exitCode()).as("stop: %s", stop).isZero();
            own.start();

            try (Pop3 pop3 = Pop3.login(own, user)) {
                assertThat(pop3.uidl()).as("UIDL after the restart").isEqualTo(before).hasSize(2);
            }
        }
    }

    @Test
    void retrReturnsTheStoredMessageWhoseEndIsTheSentMessage() throws Exception {
        String user = newUser(server, "retr");
        byte[] sent = message(user, "retrieved " + UUID.randomUUID(),
            "A line.\r\n.A line starting with a dot.\r\n.\r\nLast line.\r\n");
        sendOverSmtp(server, user, sent);
        Path file = MaildirOnDisk.awaitFiles(server.maildir(user), "new", 1, DELIVERY).get(0);
        byte[] stored = MaildirOnDisk.read(file);

        byte[] retrieved;
        try (Pop3 pop3 = Pop3.login(server, user)) {
            retrieved = pop3.retr(1);
        }
        assertThat(new String(retrieved, ISO_8859_1)).as("RETR").endsWith(new String(sent, ISO_8859_1));
        assertThat(retrieved).as("RETR vs the Maildir file").isEqualTo(stored);
    }

    /** RFC 1939 5: LIST gives the exact size in octets; the message RETR returns has that size. */
    @Test
    void listSizeIsTheSizeOfWhatRetrReturns() throws Exception {
        String user = newUser(server, "listsize");
        deliver(server, user, "sized", 1);
        try (Pop3 pop3 = Pop3.login(server, user)) {
            String list = pop3.single("LIST 1");
            long size = Long.parseLong(list.split(" ")[2]);
            assertThat(pop3.retr(1).length).as("RETR 1 vs %s", list).isEqualTo(size);
        }
    }

    @Test
    void deleAndQuitDeleteTheMessageFile() throws Exception {
        String user = newUser(server, "dele");
        Path inbox = server.maildir(user);
        deliver(server, user, "to delete", 1);
        deliver(server, user, "to keep", 2);

        try (Pop3 pop3 = Pop3.login(server, user)) {
            assertThat(new String(pop3.retr(1), ISO_8859_1)).contains("Subject: to delete");
            pop3.single("DELE 1");
            assertThat(pop3.quit()).startsWith("+OK");
        }
        List<Path> left = MaildirOnDisk.messages(inbox);
        assertThat(left).as("files after DELE 1 and QUIT").hasSize(1);
        assertThat(new String(MaildirOnDisk.read(left.get(0)), ISO_8859_1)).contains("Subject: to keep");
    }

    /** RFC 1939 6: messages are only removed in the UPDATE state, which a session without QUIT never reaches. */
    @Test
    void deleWithoutQuitDeletesNothing() throws Exception {
        String user = newUser(server, "nodele");
        Path inbox = server.maildir(user);
        deliver(server, user, "survivor", 1);

        try (Pop3 pop3 = Pop3.login(server, user)) {
            pop3.single("DELE 1");
            pop3.dropConnection();
        }
        Thread.sleep(1000);
        assertThat(MaildirOnDisk.messages(inbox)).as("files after DELE without QUIT").hasSize(1);
        try (Pop3 pop3 = Pop3.login(server, user)) {
            assertThat(pop3.single("STAT")).startsWith("+OK 1 ");
        }
    }

    // ---------------------------------------------------------------------------------------

    /** Sends a message with this subject and waits until the INBOX holds {@code expectedFiles} files. */
    private static void deliver(MaildeckInstance on, String user, String subject, int expectedFiles) throws Exception {
        sendOverSmtp(on, user, message(user, subject, "Hello.\r\n"));
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        while (MaildirOnDisk.messages(on.maildir(user)).size() < expectedFiles) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("message '" + subject + "' for " + user + " not delivered within " + DELIVERY);
            }
            Thread.sleep(200);
        }
    }

    private static byte[] message(String recipient, String subject, String body) {
        return ("From: sender@client.test\r\nTo: " + recipient + "\r\nSubject: " + subject + "\r\nMessage-ID: <"
            + UUID.randomUUID() + "@client.test>\r\n\r\n" + body).getBytes(ISO_8859_1);
    }

    private static void sendOverSmtp(MaildeckInstance on, String recipient, byte[] message) throws IOException {
        try (SmtpClient smtp = SmtpClient.connect(on.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.send("sender@client.test", List.of(recipient), message), 250);
            smtp.command("QUIT");
        }
    }

    /** A raw POP3 client: single-line and multi-line replies, dot-unstuffing. */
    private static final class Pop3 implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private boolean quit;

        private Pop3(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(30_000);
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        static Pop3 login(MaildeckInstance on, String user) throws IOException {
            Pop3 pop3 = new Pop3(new Socket("127.0.0.1", on.port("pop3")));
            expectOk(pop3.readLine());
            pop3.single("USER " + user);
            pop3.single("PASS " + PASSWORD);
            return pop3;
        }

        String single(String command) throws IOException {
            send(command);
            return expectOk(readLine());
        }

        /** A multi-line reply, un-dot-stuffed, without its status line and final dot. */
        byte[] multiLine(String command) throws IOException {
            single(command);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                byte[] line = readRawLine();
                if (line.length == 3 && line[0] == '.' && line[1] == '\r' && line[2] == '\n') {
                    return body.toByteArray();
                }
                int from = line.length > 0 && line[0] == '.' ? 1 : 0;
                body.write(line, from, line.length - from);
            }
        }

        byte[] retr(int message) throws IOException {
            return multiLine("RETR " + message);
        }

        Map<Integer, String> uidl() throws IOException {
            Map<Integer, String> ids = new LinkedHashMap<>();
            String listing = new String(multiLine("UIDL"), ISO_8859_1);
            for (String line : listing.split("\r\n")) {
                if (!line.isEmpty()) {
                    String[] parts = line.split(" ");
                    ids.put(Integer.parseInt(parts[0]), parts[1]);
                }
            }
            return ids;
        }

        String quit() throws IOException {
            quit = true;
            send("QUIT");
            return readLine();
        }

        void dropConnection() throws IOException {
            quit = true;
            socket.close();
        }

        private void send(String command) throws IOException {
            out.write((command + "\r\n").getBytes(ISO_8859_1));
            out.flush();
        }

        private byte[] readRawLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            do {
                b = in.read();
                if (b < 0) {
                    throw new EOFException("POP3 connection closed after: " + line.toString(ISO_8859_1));
                }
                line.write(b);
            } while (b != '\n');
            return line.toByteArray();
        }

        private String readLine() throws IOException {
            return new String(readRawLine(), ISO_8859_1).strip();
        }

        private static String expectOk(String line) {
            if (!line.startsWith("+OK")) {
                throw new AssertionError("POP3 server answered: " + line);
            }
            return line;
        }

        @Override
        public void close() throws IOException {
            try {
                if (!quit) {
                    send("QUIT");
                    readLine();
                }
            } finally {
                socket.close();
            }
        }
    }
}
