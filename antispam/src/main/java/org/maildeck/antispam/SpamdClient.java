package org.maildeck.antispam;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.maildeck.localdaemon.DaemonAddress;

/**
 * A client for spamd's protocol (SPAMC/1.5): {@code SYMBOLS} (score, threshold and the rules
 * that hit), {@code REPORT} (the readable report), {@code TELL} (learning, needs spamd's
 * {@code --allow-tell}) and {@code PING}, each with a {@code User} header for per-user
 * preferences and Bayes data when given. One connection per command; every wait is bounded by
 * the connect timeout and the read timeout, which is the longest a whole answer may take.
 *
 * <p>Written here rather than using James's {@code SpamAssassinInvoker} (apache-james-spamassassin
 * 3.8.1): it speaks only {@code CHECK}, so it gives neither the rules that hit nor a report, and
 * its sockets have no timeouts, so a stuck spamd would hold a spool thread forever. TCP only:
 * Debian's spamd listens on 127.0.0.1:783 by default.</p>
 */
public final class SpamdClient {

    private static final byte[] CRLF = "\r\n".getBytes(US_ASCII);
    private static final Pattern STATUS = Pattern.compile("^SPAMD/(\\d+\\.\\d+) (\\d+) (.*)$");
    private static final Pattern SPAM_HEADER = Pattern.compile("^(True|False|Yes|No) ; (-?[\\d.]+) / (-?[\\d.]+)$", Pattern.CASE_INSENSITIVE);

    /** {@code host:port} of spamd's {@code --listen}. */
    public record Settings(DaemonAddress address, Duration connectTimeout, Duration readTimeout) {
        public static Settings parse(String address, Duration connectTimeout, Duration readTimeout) {
            try {
                return new Settings(DaemonAddress.parseTcp(address), connectTimeout, readTimeout);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("spamd address: " + e.getMessage(), e);
            }
        }

        @Override
        public String toString() {
            return address.toString();
        }
    }

    /** What a message is taught as. */
    public enum LearnAs { SPAM, HAM }

    private final Settings settings;

    public SpamdClient(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    public void ping() throws SpamdException {
        Reply reply = exchange("PING", Map.of(), null);
        if (!reply.message().equals("PONG")) {
            throw new SpamdException(SpamdException.Kind.PROTOCOL, "spamd answered PING with: " + reply.message());
        }
    }

    /** Scores the message as {@code user}'s mail (spamd's per-user preferences), or as spamd's default user. */
    public SpamdResult check(byte[] message, Optional<String> user) throws SpamdException {
        Reply reply = exchange("SYMBOLS", userHeader(user), message);
        Matcher spam = spamHeader(reply);
        String body = new String(reply.body(), UTF_8).trim();
        List<String> symbols = body.isEmpty() ? List.of() : Arrays.stream(body.split("\\s*,\\s*")).filter(s -> !s.isEmpty()).toList();
        return new SpamdResult(isTrue(spam.group(1)), Double.parseDouble(spam.group(2)), Double.parseDouble(spam.group(3)), symbols);
    }

    /** SpamAssassin's readable report of the message (rules, points, descriptions). */
    public String report(byte[] message, Optional<String> user) throws SpamdException {
        Reply reply = exchange("REPORT", userHeader(user), message);
        spamHeader(reply);
        return new String(reply.body(), UTF_8);
    }

    /**
     * Teaches the message to {@code user}'s Bayes database (spamd {@code TELL ... Set: local}).
     * Returns false when spamd had nothing to change (it already knew the message as such).
     */
    public boolean learn(byte[] message, LearnAs as, Optional<String> user) throws SpamdException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Message-class", as.name().toLowerCase(Locale.ROOT));
        headers.put("Set", "local");
        headers.putAll(userHeader(user));
        Reply reply = exchange("TELL", headers, message);
        return Optional.ofNullable(reply.headers().get("didset")).filter(set -> set.contains("local")).isPresent();
    }

    private static Map<String, String> userHeader(Optional<String> user) {
        return user.filter(name -> !name.isBlank()).map(name -> Map.of("User", name)).orElse(Map.of());
    }

    private static Matcher spamHeader(Reply reply) throws SpamdException {
        String value = reply.headers().get("spam");
        Matcher matcher = value == null ? null : SPAM_HEADER.matcher(value.trim());
        if (matcher == null || !matcher.matches()) {
            throw new SpamdException(SpamdException.Kind.PROTOCOL, "spamd gave no score (Spam: header " + value + ")");
        }
        return matcher;
    }

    private static boolean isTrue(String value) {
        return value.equalsIgnoreCase("true") || value.equalsIgnoreCase("yes");
    }

    private record Reply(String message, Map<String, String> headers, byte[] body) {
    }

    private Reply exchange(String command, Map<String, String> headers, byte[] message) throws SpamdException {
        long deadline = System.nanoTime() + settings.readTimeout().toNanos();
        try (Socket socket = new Socket()) {
            try {
                socket.connect(settings.address().resolved(), (int) Math.max(1, settings.connectTimeout().toMillis()));
            } catch (SocketTimeoutException e) {
                throw new SpamdException(SpamdException.Kind.TIMEOUT, "no connection to spamd at " + settings + " within " + settings.connectTimeout(), e);
            } catch (IOException e) {
                throw new SpamdException(SpamdException.Kind.UNREACHABLE, "cannot connect to spamd at " + settings + ": " + e, e);
            }
            StringBuilder request = new StringBuilder(command).append(" SPAMC/1.5\r\n");
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            if (message != null) {
                request.append("Content-length: ").append(message.length).append("\r\n");
            }
            request.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(UTF_8));
            if (message != null) {
                out.write(message);
            }
            out.flush();
            socket.shutdownOutput();
            return parse(command, readAll(socket, deadline));
        } catch (SpamdException e) {
            throw e;
        } catch (IOException e) {
            throw new SpamdException(SpamdException.Kind.UNREACHABLE, "spamd at " + settings + " dropped the connection during " + command + ": " + e, e);
        }
    }

    private byte[] readAll(Socket socket, long deadline) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw timeout();
            }
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            int read;
            try {
                read = in.read(buffer);
            } catch (SocketTimeoutException e) {
                throw timeout();
            }
            if (read < 0) {
                return answer.toByteArray();
            }
            answer.write(buffer, 0, read);
        }
    }

    private SpamdException timeout() {
        return new SpamdException(SpamdException.Kind.TIMEOUT, "no complete answer from spamd at " + settings + " within " + settings.readTimeout());
    }

    private static Reply parse(String command, byte[] answer) throws SpamdException {
        int statusEnd = indexOf(answer, CRLF, 0);
        if (statusEnd < 0) {
            throw new SpamdException(SpamdException.Kind.PROTOCOL, "spamd closed the connection without answering " + command);
        }
        String statusLine = new String(answer, 0, statusEnd, US_ASCII);
        Matcher status = STATUS.matcher(statusLine);
        if (!status.matches()) {
            throw new SpamdException(SpamdException.Kind.PROTOCOL, "not a spamd answer to " + command + ": " + statusLine);
        }
        if (!status.group(2).equals("0")) {
            throw new SpamdException(SpamdException.Kind.PROTOCOL, "spamd refused " + command + ": " + status.group(2) + " " + status.group(3));
        }
        // header lines up to the first empty line; what follows is the body
        Map<String, String> headers = new LinkedHashMap<>();
        int lineStart = statusEnd + CRLF.length;
        while (lineStart < answer.length) {
            int lineEnd = indexOf(answer, CRLF, lineStart);
            if (lineEnd < 0) {
                lineEnd = answer.length;
            }
            if (lineEnd == lineStart) {
                lineStart += CRLF.length;
                break;
            }
            String line = new String(answer, lineStart, lineEnd - lineStart, US_ASCII);
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            lineStart = lineEnd + CRLF.length;
        }
        return new Reply(status.group(3).trim(), headers, Arrays.copyOfRange(answer, Math.min(lineStart, answer.length), answer.length));
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
