package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A receiving SMTP server for outbound-delivery tests (like Postfix's smtp-sink): accepts
 * everything on a loopback port except the recipients it is told to refuse or defer, takes any
 * AUTH PLAIN login (and notes it), and keeps what it received.
 */
final class SmtpSink implements AutoCloseable {

    /** One message, with the name its client gave in EHLO or HELO. */
    record Received(String helo, String sender, List<String> recipients, String data) {
    }

    private final ServerSocket server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> deferrals = new ConcurrentHashMap<>();
    private final List<String> logins = new CopyOnWriteArrayList<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    SmtpSink() throws IOException {
        this(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** On a given address, e.g. port 25 of 127.0.1.25 for delivery by MX lookup (needs root). */
    SmtpSink(InetSocketAddress address) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(address, 50);
        acceptor = new Thread(this::acceptLoop, "smtp-sink");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** {@code mailetcontainer.xml} with RemoteDelivery sending all outbound mail to this sink, its gateway. */
    String asGatewayIn(String mailetContainer) {
        return gatewayAt(mailetContainer, port());
    }

    /**
     * {@code mailetcontainer.xml} with RemoteDelivery sending all outbound mail to a gateway on
     * loopback at {@code port} (a sink, a Postfix of the test).
     */
    static String gatewayAt(String mailetContainer, int port) {
        return mailetContainer.replaceFirst("<startTLS>false</startTLS>",
            "<startTLS>false</startTLS><gateway>127.0.0.1</gateway><gatewayPort>" + port + "</gatewayPort>");
    }

    /** {@code 550 5.1.1} to RCPT for this address from now on. */
    void refuse(String recipient) {
        refused.add(recipient.toLowerCase());
    }

    /** {@code 451 4.3.0} to RCPT for this address, the next {@code times} times. */
    void defer(String recipient, int times) {
        deferrals.put(recipient.toLowerCase(), times);
    }

    /** The {@code user:password} pairs clients logged in with (AUTH PLAIN). */
    List<String> logins() {
        return List.copyOf(logins);
    }

    /** Every RCPT answered with 550 so far (the recipients). */
    List<String> refusals() {
        return List.copyOf(refusals);
    }

    /** The first message received for {@code recipient}, waiting up to {@code timeout}. */
    Optional<Received> awaitMessageFor(String recipient, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            Optional<Received> found = received.stream()
                .filter(message -> message.recipients().stream().anyMatch(recipient::equalsIgnoreCase))
                .findFirst();
            if (found.isPresent()) {
                return found;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return Optional.empty();
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread session = new Thread(() -> serve(socket), "smtp-sink-session");
                session.setDaemon(true);
                session.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout(60_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), ISO_8859_1));
            OutputStream out = socket.getOutputStream();
            reply(out, "220 sink.test ESMTP");
            String helo = null;
            String sender = null;
            List<String> recipients = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                String upper = line.toUpperCase();
                if (upper.startsWith("EHLO") || upper.startsWith("HELO")) {
                    helo = line.substring(4).trim();
                }
                if (upper.startsWith("EHLO")) {
                    reply(out, "250-sink.test\r\n250-8BITMIME\r\n250-AUTH PLAIN\r\n250 PIPELINING");
                } else if (upper.startsWith("AUTH PLAIN ")) {
                    String[] parts = new String(Base64.getDecoder().decode(line.substring(11).trim()), ISO_8859_1).split("\u0000");
                    logins.add(parts[1] + ":" + parts[2]);
                    reply(out, "235 2.7.0 Authentication successful");
                } else if (upper.startsWith("HELO")) {
                    reply(out, "250 sink.test");
                } else if (upper.startsWith("MAIL FROM:")) {
                    sender = path(line);
                    recipients = new ArrayList<>();
                    reply(out, "250 2.1.0 Ok");
                } else if (upper.startsWith("RCPT TO:")) {
                    String recipient = path(line);
                    if (refused.contains(recipient.toLowerCase())) {
                        refusals.add(recipient);
                        reply(out, "550 5.1.1 <" + recipient + ">: Recipient address rejected: User unknown");
                    } else if (deferrals.computeIfPresent(recipient.toLowerCase(), (key, left) -> left - 1) != null
                            && deferrals.get(recipient.toLowerCase()) >= 0) {
                        reply(out, "451 4.3.0 <" + recipient + ">: Temporary failure, try again later");
                    } else {
                        recipients.add(recipient);
                        reply(out, "250 2.1.5 Ok");
                    }
                } else if (upper.equals("DATA")) {
                    reply(out, "354 End data with <CR><LF>.<CR><LF>");
                    StringBuilder data = new StringBuilder();
                    String dataLine;
                    while ((dataLine = in.readLine()) != null && !dataLine.equals(".")) {
                        data.append(dataLine.startsWith("..") ? dataLine.substring(1) : dataLine).append("\r\n");
                    }
                    received.add(new Received(helo, sender, List.copyOf(recipients), data.toString()));
                    reply(out, "250 2.0.0 Ok: queued");
                } else if (upper.equals("QUIT")) {
                    reply(out, "221 2.0.0 Bye");
                    return;
                } else if (upper.equals("RSET") || upper.equals("NOOP")) {
                    reply(out, "250 2.0.0 Ok");
                } else {
                    reply(out, "502 5.5.2 Error: command not recognized");
                }
            }
        } catch (IOException e) {
            // the client went away; nothing to keep
        }
    }

    private static String path(String command) {
        String argument = command.substring(command.indexOf(':') + 1).trim();
        int close = argument.indexOf('>');
        return argument.startsWith("<") && close > 0 ? argument.substring(1, close) : argument;
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
