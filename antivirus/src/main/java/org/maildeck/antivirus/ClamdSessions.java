package org.maildeck.antivirus;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.io.IOException;

import org.maildeck.localdaemon.DaemonAddress;

/**
 * Connections to clamd kept open between scans, each in clamd's session mode
 * ({@code IDSESSION}: many commands on one connection, each reply prefixed with its number in
 * the session), so that a scan does not pay for a connection of its own: its socket and
 * selector here, the accept and set-up in clamd.
 *
 * <p>A session is taken by one scan at a time and given back only after a complete verdict; any
 * other outcome (an error, a timeout, a stream cut at the size limit) closes it, since clamd's
 * side of it may be in any state. An idle session can be gone without notice: clamd ends
 * sessions at a restart and after its {@code CommandReadTimeout} (30 s by default, 5 s in old
 * versions). So sessions idle for longer than {@link #MAX_IDLE} are not used again, and one that
 * clamd has closed is noticed before use; what is left, a session that dies between that check
 * and the scan, is for the caller to retry once on a new connection ({@link Session#reused}).</p>
 */
final class ClamdSessions {

    /** Below the shortest CommandReadTimeout a clamd has had by default (5 s). */
    static final Duration MAX_IDLE = Duration.ofSeconds(4);
    /** Idle sessions kept; more are opened when more scans run at once, and closed when given back. */
    private static final int MAX_KEPT = 8;

    private final DaemonAddress address;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Deque<Session> idle = new ArrayDeque<>();

    ClamdSessions(DaemonAddress address, Duration connectTimeout, Duration readTimeout) {
        this.address = address;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    /** One connection in session mode, with whether it served a scan before. */
    static final class Session implements AutoCloseable {
        private final ClamdConnection connection;
        private final boolean reused;
        private final long idleSince;

        private Session(ClamdConnection connection, boolean reused, long idleSince) {
            this.connection = connection;
            this.reused = reused;
            this.idleSince = idleSince;
        }

        ClamdConnection connection() {
            return connection;
        }

        /** Whether an earlier scan used it: a failure may then mean only that clamd let it go meanwhile. */
        boolean reused() {
            return reused;
        }

        /** A session's reply without the command's number: {@code 3: stream: OK} is {@code stream: OK}. */
        static String unnumbered(String reply) {
            int colon = reply.indexOf(": ");
            if (colon > 0 && reply.substring(0, colon).chars().allMatch(Character::isDigit)) {
                return reply.substring(colon + 2);
            }
            return reply;
        }

        @Override
        public void close() {
            connection.close();
        }
    }

    /** An idle session still open, or else a new one. */
    Session take() throws ClamdException {
        Session kept;
        while ((kept = pollIdle()) != null) {
            if (System.nanoTime() - kept.idleSince < MAX_IDLE.toNanos() && kept.connection.idleAndOpen()) {
                return new Session(kept.connection, true, kept.idleSince);
            }
            kept.close();
        }
        return open();
    }

    /** A new session, never one kept. */
    Session open() throws ClamdException {
        ClamdConnection connection = ClamdConnection.open(address, connectTimeout, readTimeout);
        try {
            connection.write(ByteBuffer.wrap("zIDSESSION\0".getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            connection.close();
            throw new ClamdException(ClamdException.Kind.UNREACHABLE, "cannot start a session with clamd at " + address + ": " + e, e);
        }
        return new Session(connection, false, System.nanoTime());
    }

    /** Keeps a session whose last command was answered completely, for the next scan. */
    void giveBack(Session session) {
        Session resting = new Session(session.connection, true, System.nanoTime());
        synchronized (idle) {
            if (idle.size() < MAX_KEPT) {
                idle.push(resting);
                return;
            }
        }
        resting.close();
    }

    private Session pollIdle() {
        synchronized (idle) {
            return idle.poll();
        }
    }
}
