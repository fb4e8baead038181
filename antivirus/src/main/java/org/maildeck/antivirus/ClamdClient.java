package org.maildeck.antivirus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.maildeck.localdaemon.DaemonAddress;

/**
 * A client for clamd's stream scanning ({@code INSTREAM}), {@code PING} and {@code VERSION},
 * over TCP or a unix socket. Scans run on sessions kept open between them ({@link ClamdSessions}),
 * {@code PING} and {@code VERSION} on a connection each; one client serves any number of threads.
 *
 * <p>Written here rather than taken from a library: the Java clients in the registry
 * (xyz.capybara clamav-client 2.1.2, fi.solita clamav-client 1.0.1, io.sensesecure clamav4j 0.6)
 * offer no unix socket, no bounded waits (a silent clamd blocks a thread forever), or report
 * clamd's size limit like a dead clamd; clamav4j even stops sending at the first short read and
 * lets viruses through.</p>
 *
 * <p>The size limit: clamd refuses streams over its {@code StreamMaxLength} and hangs up, which
 * can lose its reply. Given the same limit, the client stops at it and answers
 * {@link ScanResult.TooLarge} itself.</p>
 */
public final class ClamdClient {

    private static final int CHUNK_BYTES = 64 * 1024;
    private static final Pattern FOUND = Pattern.compile("^stream: (.+) FOUND$");
    private static final String SIZE_LIMIT = "INSTREAM size limit exceeded";
    private static final byte[] INSTREAM = "zINSTREAM\0".getBytes(StandardCharsets.US_ASCII);

    /**
     * @param streamMaxLength clamd's {@code StreamMaxLength} in bytes (25 MB by default there),
     *                        0 for "let clamd say it"
     */
    public record Settings(DaemonAddress address, Duration connectTimeout, Duration readTimeout, long streamMaxLength) {
    }

    private final Settings settings;
    private final ClamdSessions sessions;

    public ClamdClient(Settings settings) {
        this.settings = settings;
        this.sessions = new ClamdSessions(settings.address(), settings.connectTimeout(), settings.readTimeout());
    }

    public DaemonAddress address() {
        return settings.address();
    }

    /** Throws unless clamd answers {@code PONG}. */
    public void ping() throws ClamdException {
        String reply = command("zPING\0");
        if (!reply.equals("PONG")) {
            throw new ClamdException(ClamdException.Kind.PROTOCOL, "clamd answered PING with: " + reply);
        }
    }

    /** e.g. {@code ClamAV 1.4.6/27461/Thu Nov 20 09:25:03 2026}, the database part only with an official database. */
    public String version() throws ClamdException {
        return command("zVERSION\0");
    }

    /** The engine part of {@link #version()}: {@code ClamAV 1.4.6}. */
    public String engineVersion() throws ClamdException {
        String version = version();
        int slash = version.indexOf('/');
        return slash < 0 ? version : version.substring(0, slash);
    }

    /** The content to scan, readable again should the scan have to start over on a new connection. */
    @FunctionalInterface
    public interface Content {
        InputStream open() throws IOException;
    }

    /**
     * Scans the content on a session kept from an earlier scan, or on a new one. A kept session
     * that turns out closed (clamd restarted or let it go while idle) before any answer is
     * replaced by a new connection and the content sent again, once: the verdict comes from one
     * complete scan either way. A new connection's failure is final.
     */
    public ScanResult scan(Content content) throws IOException {
        return scan(content, null);
    }

    /**
     * {@link #scan(Content)} ended within {@code limit} (TIMEOUT past it), retry included: every
     * wait on clamd is cut at the limit, so no second thread is needed to keep it. The connection
     * of a new session is bounded by the connect timeout alone, within the same limit when that
     * is the shorter.
     */
    public ScanResult scan(Content content, Duration limit) throws IOException {
        Long answerBy = limit == null ? null : System.nanoTime() + limit.toNanos();
        ClamdSessions.Session session = sessions.take();
        try {
            return scanOn(session, content, answerBy);
        } catch (ClamdException e) {
            if (!session.reused() || e.kind() != ClamdException.Kind.UNREACHABLE) {
                throw e;
            }
            return scanOn(sessions.open(), content, answerBy);
        }
    }

    /** The session is kept for the next scan after a verdict, closed after anything else. */
    private ScanResult scanOn(ClamdSessions.Session session, Content content, Long answerBy) throws IOException {
        boolean verdict = false;
        session.connection().answerBy(answerBy);
        try (InputStream stream = content.open()) {
            ScanResult result = instream(session.connection(), stream);
            verdict = result instanceof ScanResult.Clean || result instanceof ScanResult.Infected;
            return result;
        } finally {
            if (verdict) {
                sessions.giveBack(session);
            } else {
                session.close();
            }
        }
    }

    private ScanResult instream(ClamdConnection connection, InputStream content) throws ClamdException {
        try {
            try {
                if (!stream(content, connection)) {
                    return new ScanResult.TooLarge(settings.streamMaxLength());
                }
            } catch (ClamdException e) {
                throw e;
            } catch (IOException e) {
                // clamd hangs up when it refuses the stream; its reply may still be readable
                return verdict(ClamdSessions.Session.unnumbered(replyAfterFailure(connection, e)));
            }
            return verdict(ClamdSessions.Session.unnumbered(connection.readReply()));
        } catch (ClamdException e) {
            throw e;
        } catch (IOException e) {
            throw new ClamdException(ClamdException.Kind.UNREACHABLE, "connection to clamd at " + address() + " lost: " + e, e);
        }
    }

    /**
     * Sends the command, the content in chunks and the terminating empty chunk; false if it is
     * longer than the limit. Each chunk is read straight into the connection's frame buffer behind
     * its length, and the command goes out with the first chunk and the terminator with the last:
     * a message up to a chunk long is one write, with no buffer of its own. (A 64 KiB array and a
     * copy into a new frame per scan were the process's largest allocation with clamd on, ~67 KiB
     * of the ~720 KiB allocated per message; three writes per scan woke clamd up three times.)
     */
    private boolean stream(InputStream content, ClamdConnection connection) throws IOException {
        ByteBuffer frame = connection.frameBuffer(INSTREAM.length + 4 + CHUNK_BYTES + 4);
        frame.put(INSTREAM);
        long sent = 0;
        long limit = settings.streamMaxLength();
        while (true) {
            int read = content.readNBytes(frame.array(), frame.position() + 4, CHUNK_BYTES);
            if (read == 0) {
                break;
            }
            if (limit > 0 && sent + read > limit) {
                return false;
            }
            frame.putInt(read).position(frame.position() + read);
            sent += read;
            if (read < CHUNK_BYTES) {
                break; // readNBytes reads a whole chunk unless the content ended
            }
            connection.write(frame.flip());
            frame.clear();
            if (connection.answered()) {
                return true;
            }
        }
        connection.write(frame.putInt(0).flip());
        return true;
    }

    private String replyAfterFailure(ClamdConnection connection, IOException failure) throws ClamdException {
        try {
            String reply = connection.readReply();
            if (!reply.isEmpty()) {
                return reply;
            }
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
        throw new ClamdException(ClamdException.Kind.UNREACHABLE, "clamd at " + address() + " hung up during the scan: " + failure, failure);
    }

    private ScanResult verdict(String reply) throws ClamdException {
        if (reply.equals("stream: OK")) {
            return new ScanResult.Clean();
        }
        Matcher found = FOUND.matcher(reply);
        if (found.matches()) {
            return new ScanResult.Infected(found.group(1));
        }
        if (reply.startsWith(SIZE_LIMIT)) {
            return new ScanResult.TooLarge(settings.streamMaxLength());
        }
        throw new ClamdException(ClamdException.Kind.PROTOCOL, "clamd at " + address() + " answered: " + reply);
    }

    private String command(String command) throws ClamdException {
        try (ClamdConnection connection = connect()) {
            connection.write(ascii(command));
            return connection.readReply();
        } catch (ClamdException e) {
            throw e;
        } catch (IOException e) {
            throw new ClamdException(ClamdException.Kind.UNREACHABLE, "connection to clamd at " + address() + " lost: " + e, e);
        }
    }

    private ClamdConnection connect() throws ClamdException {
        return ClamdConnection.open(settings.address(), settings.connectTimeout(), settings.readTimeout());
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }
}
