package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What survives a restart: a clean one, a kill -9, and a stop right after a burst of mail. The
 * clean restarts restart the fork's shared server (TestServer: they leave it serving); the kill -9
 * needs a gateway of its own.
 */
class RestartDurabilityIT {

    private static final String DOMAIN = "restart-durable.test";
    private static final String PASSWORD = TestServer.PASSWORD;

    @RegisterExtension
    static final TestServer maildeck = TestServer.shared();

    @Test
    void usersDomainsAndAliasesSurviveACleanRestart() throws Exception {
        MaildeckInstance server = maildeck.instance();
        String user = maildeck.newUser("keeper", DOMAIN);
        String alias = "kept-alias-" + UUID.randomUUID().toString().substring(0, 8) + "@" + DOMAIN;
        WebAdmin webAdmin = maildeck.webAdmin().addAlias(alias, user);

        MaildeckInstance.Result stop = server.stop();
        assertThat(stop.exitCode()).as("stop: %s", stop).isZero();
        server.start();

        assertThat(webAdmin.get("/domains")).contains("\"" + DOMAIN + "\"");
        assertThat(webAdmin.get("/address/aliases/" + user)).contains("\"" + alias + "\"");
        new Mailbox(server, user, PASSWORD).login().close();
        String subject = "alias after restart " + UUID.randomUUID();
        try (SmtpClient smtp = SmtpClient.connect(server.port("smtp"))) {
            SmtpClient.expect(smtp.command("EHLO client.test"), 250);
            SmtpClient.expect(smtp.send("sender@client.test", List.of(alias), message(alias, subject, "<" + UUID.randomUUID() + "@client.test>")), 250);
        }
        new Mailbox(server, user, PASSWORD).awaitSubject(subject, Duration.ofSeconds(30));
    }

    @Test
    void queuedRemoteMessageSurvivesKill9AndIsDeliveredAfterRestart() throws Exception {
        int gatewayPort = TestPorts.next();
        try (MaildeckInstance server = MaildeckInstance.create((file, content) -> file.equals("mailetcontainer.xml")
                ? viaGateway(content, gatewayPort) : content).start()) {
            String messageId = "<" + UUID.randomUUID() + "@client.test>";
            String subject = "queued across kill -9 " + messageId;
            try (SmtpClient smtp = SmtpClient.connect(server.port("smtp"))) {
                SmtpClient.expect(smtp.command("EHLO client.test"), 250);
                SmtpClient.Reply end = smtp.send("sender@client.test", List.of("someone@remote.test"),
                    message("someone@remote.test", subject, messageId));
                assertThat(end.code()).as("reply %s", end).isEqualTo(250);
            }
            WebAdmin webAdmin = new WebAdmin(server);
            awaitInOutgoingQueue(webAdmin, "someone@remote.test", Duration.ofSeconds(30));
            // The spool acknowledges the mail only after RemoteDelivery has queued it: killed in
            // between, the spool hands it over again and it is queued twice (James's queue is at
            // least once). This test is about mail that waits in the outgoing queue.
            webAdmin.awaitEmptyQueue("spool", Duration.ofSeconds(30));

            server.kill9();
            long restartRequestedAt = System.currentTimeMillis();
            try (SmtpSink sink = SmtpSink.listen(gatewayPort)) {
                assertThat(sink.messages()).as("nothing could be delivered while the server was down").isEmpty();
                server.start();

                SmtpSink.Received received = sink.await(messageId, Duration.ofSeconds(60));
                assertThat(received.receivedAt()).isGreaterThan(restartRequestedAt);
                assertThat(received.recipients()).containsExactly("someone@remote.test");
                assertThat(received.data()).contains("Subject: " + subject);

                Thread.sleep(3000);
                assertThat(sink.messages()).as("delivered exactly once")
                    .filteredOn(message -> message.data().contains(messageId)).hasSize(1);
            }
        }
    }

    /** RemoteDelivery through a gateway at 127.0.0.1:port, retried every second. */
    private static String viaGateway(String mailetcontainer, int port) {
        String edited = mailetcontainer
            .replace("<delayTime>5 * 1 minute, 4 * 10 minutes, 10 * 1 hour, 10 * 6 hours</delayTime>",
                "<delayTime>300 * 1 second</delayTime>")
            .replace("<maxRetries>29</maxRetries>",
                "<maxRetries>300</maxRetries>\n<gateway>127.0.0.1</gateway>\n<gatewayPort>" + port + "</gatewayPort>");
        if (!edited.contains("<delayTime>300 * 1 second</delayTime>") || !edited.contains("<gatewayPort>" + port + "<")) {
            throw new IllegalStateException("mailetcontainer.xml no longer has the RemoteDelivery settings this test edits");
        }
        return edited;
    }

    private static void awaitInOutgoingQueue(WebAdmin webAdmin, String recipient, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String mails = webAdmin.get("/mailQueues/outgoing/mails");
        while (!mails.contains(recipient)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("mail for " + recipient + " never showed up in the outgoing queue: " + mails);
            }
            Thread.sleep(200);
            mails = webAdmin.get("/mailQueues/outgoing/mails");
        }
    }

    @Test
    void cleanStopRightAfterABurstLosesAndDuplicatesNothing() throws Exception {
        int messages = 50;
        int connections = 5;
        MaildeckInstance server = maildeck.instance();
        String user = maildeck.newUser("burst", DOMAIN);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            expected.add("burst " + run + " #" + i);
        }

        ExecutorService senders = Executors.newFixedThreadPool(connections);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                List<String> subjects = expected.subList(c * messages / connections, (c + 1) * messages / connections);
                done.add(senders.submit(() -> {
                    try (SmtpClient smtp = SmtpClient.connect(server.port("smtp"))) {
                        SmtpClient.expect(smtp.command("EHLO client.test"), 250);
                        for (String subject : subjects) {
                            SmtpClient.expect(smtp.send("sender@client.test", List.of(user),
                                message(user, subject, "<" + UUID.randomUUID() + "@client.test>")), 250);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            senders.shutdownNow();
        }
        MaildeckInstance.Result stop = server.stop();
        assertThat(stop.exitCode()).as("stop: %s", stop).isZero();

        server.start();
        Mailbox mailbox = new Mailbox(server, user, PASSWORD);
        mailbox.awaitSubjects(messages, Duration.ofSeconds(60));
        Thread.sleep(3000);
        assertThat(mailbox.subjects()).containsExactlyInAnyOrderElementsOf(expected);

        assertThat(errorLines(server.serverLogOfLastStart())).as("ERROR lines in the log of the second start").isEmpty();
        Path derbyLog = server.data().resolve("derby.log");
        if (Files.exists(derbyLog)) {
            assertThat(errorLines(Files.readString(derbyLog, ISO_8859_1))).as("ERROR lines in derby.log").isEmpty();
        }
    }

    private static List<String> errorLines(String log) {
        return log.lines().filter(line -> line.contains("ERROR")).toList();
    }

    private static byte[] message(String recipient, String subject, String messageId) {
        return ("From: sender@client.test\r\n"
            + "To: " + recipient + "\r\n"
            + "Subject: " + subject + "\r\n"
            + "Message-ID: " + messageId + "\r\n"
            + "\r\n"
            + "Hello.\r\n").getBytes(ISO_8859_1);
    }

    /** The smallest SMTP server that a real client will deliver to; keeps what it received. */
    private static final class SmtpSink implements AutoCloseable {

        record Received(long receivedAt, String from, List<String> recipients, String data) {
        }

        private final ServerSocket serverSocket;
        private final List<Received> received = new CopyOnWriteArrayList<>();
        private final Thread thread;

        private SmtpSink(ServerSocket serverSocket) {
            this.serverSocket = serverSocket;
            this.thread = new Thread(this::serve, "smtp-sink");
            thread.setDaemon(true);
            thread.start();
        }

        static SmtpSink listen(int port) throws IOException {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return new SmtpSink(socket);
        }

        List<Received> messages() {
            return List.copyOf(received);
        }

        Received await(String marker, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (Received message : received) {
                    if (message.data().contains(marker)) {
                        return message;
                    }
                }
                Thread.sleep(100);
            }
            throw new AssertionError("the sink did not receive " + marker + " within " + timeout + "; it got " + received);
        }

        private void serve() {
            while (!serverSocket.isClosed()) {
                try (Socket client = serverSocket.accept()) {
                    client.setSoTimeout(30_000);
                    session(client);
                } catch (SocketException e) {
                    return;
                } catch (IOException e) {
                    // a broken session; wait for the next one
                }
            }
        }

        private void session(Socket client) throws IOException {
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            reply(out, "220 sink.test ESMTP");
            String from = null;
            List<String> recipients = new ArrayList<>();
            String line;
            while ((line = readLine(in)) != null) {
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                switch (verb) {
                    case "EHLO", "HELO" -> reply(out, "250 sink.test");
                    case "MAIL" -> {
                        from = line.substring(line.indexOf(':') + 1).trim();
                        recipients.clear();
                        reply(out, "250 2.1.0 OK");
                    }
                    case "RCPT" -> {
                        String to = line.substring(line.indexOf(':') + 1).trim();
                        recipients.add(to.replaceAll("^<|>.*$", ""));
                        reply(out, "250 2.1.5 OK");
                    }
                    case "DATA" -> {
                        reply(out, "354 end with <CRLF>.<CRLF>");
                        StringBuilder data = new StringBuilder();
                        String dataLine;
                        while ((dataLine = readLine(in)) != null && !dataLine.equals(".")) {
                            data.append(dataLine.startsWith(".") ? dataLine.substring(1) : dataLine).append("\r\n");
                        }
                        received.add(new Received(System.currentTimeMillis(), from, List.copyOf(recipients), data.toString()));
                        reply(out, "250 2.0.0 queued");
                    }
                    case "QUIT" -> {
                        reply(out, "221 2.0.0 bye");
                        return;
                    }
                    case "RSET", "NOOP" -> reply(out, "250 2.0.0 OK");
                    default -> reply(out, "502 5.5.2 not implemented");
                }
            }
        }

        private static void reply(OutputStream out, String line) throws IOException {
            out.write((line + "\r\n").getBytes(ISO_8859_1));
            out.flush();
        }

        private static String readLine(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    return line.size() == 0 ? null : line.toString(ISO_8859_1);
                }
                line.write(b);
            }
            String text = line.toString(ISO_8859_1);
            return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }

        @Override
        public void close() throws IOException {
            serverSocket.close();
        }
    }
}
