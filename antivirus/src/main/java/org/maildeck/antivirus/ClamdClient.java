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
 * over TCP or a unix socket. One connection per command, so one client serves any number of
 * threads.
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

    /**
     * @param streamMaxLength clamd's {@code StreamMaxLength} in bytes (25 MB by default there),
     *                        0 for "let clamd say it"
     */
    public record Settings(DaemonAddress address, Duration connectTimeout, Duration readTimeout, long streamMaxLength) {
    }

    private final Settings settings;

    public ClamdClient(Settings settings) {
        this.settings = settings;
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

    public ScanResult scan(InputStream content) throws ClamdException {
        try (ClamdConnection connection = connect()) {
            try {
                connection.write(ascii("zINSTREAM\0"));
                if (!stream(content, connection)) {
                    return new ScanResult.TooLarge(settings.streamMaxLength());
                }
            } catch (ClamdException e) {
                throw e;
            } catch (IOException e) {
                // clamd hangs up when it refuses the stream; its reply may still be readable
                return verdict(replyAfterFailure(connection, e));
            }
            return verdict(connection.readReply());
        } catch (ClamdException e) {
            throw e;
        } catch (IOException e) {
            throw new ClamdException(ClamdException.Kind.UNREACHABLE, "connection to clamd at " + address() + " lost: " + e, e);
        }
    }

    /** Sends the content in chunks and the terminating empty chunk; false if it is longer than the limit. */
    private boolean stream(InputStream content, ClamdConnection connection) throws IOException {
        byte[] chunk = new byte[CHUNK_BYTES];
        long sent = 0;
        long limit = settings.streamMaxLength();
        int read;
        while ((read = content.readNBytes(chunk, 0, chunk.length)) > 0) {
            if (limit > 0 && sent + read > limit) {
                return false;
            }
            ByteBuffer frame = ByteBuffer.allocate(4 + read);
            frame.putInt(read).put(chunk, 0, read).flip();
            connection.write(frame);
            sent += read;
            if (connection.answered()) {
                return true;
            }
        }
        connection.write(ByteBuffer.allocate(4).putInt(0).flip());
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
