package org.maildeck.antivirus;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.maildeck.localdaemon.DaemonAddress;

/**
 * One connection to clamd, TCP or unix socket alike, with every wait bounded: a non-blocking
 * channel and a selector, because a unix-domain {@code SocketChannel} has no socket timeouts.
 * Carries one command, or one after the other in a session ({@link ClamdSessions}).
 */
final class ClamdConnection implements Closeable {

    private final SocketChannel channel;
    private final Selector selector;
    private final Duration readTimeout;
    private final ByteArrayOutputStream reply = new ByteArrayOutputStream();
    /** Reused by every read: a scan reads a few times (each chunk checks for an early answer). */
    private final ByteBuffer readBuffer = ByteBuffer.allocate(1024);
    /** A command's frames are put together here, kept with the connection for its next command. */
    private ByteBuffer frame;
    private boolean closedByClamd;
    /** The command under way must be answered by then ({@link System#nanoTime}); if not set, each wait alone is bounded. */
    private boolean answerByLimited;
    private long answerBy;

    private ClamdConnection(SocketChannel channel, Selector selector, Duration readTimeout) {
        this.channel = channel;
        this.selector = selector;
        this.readTimeout = readTimeout;
    }

    static ClamdConnection open(DaemonAddress address, Duration connectTimeout, Duration readTimeout) throws ClamdException {
        SocketChannel channel = null;
        Selector selector = null;
        try {
            channel = address.family() == null ? SocketChannel.open() : SocketChannel.open(address.family());
            if (channel.supportedOptions().contains(StandardSocketOptions.TCP_NODELAY)) {
                // A command is a few small writes. On a connection kept for a session, Nagle holds
                // each one back until clamd acknowledges the previous, and clamd delays that ACK
                // (40 ms on Linux): a scan would take 40 ms for nothing.
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            channel.configureBlocking(false);
            selector = Selector.open();
            if (!channel.connect(address.resolved())) {
                channel.register(selector, SelectionKey.OP_CONNECT);
                if (selector.select(millis(connectTimeout)) == 0) {
                    throw new ClamdException(ClamdException.Kind.TIMEOUT, "no connection to clamd at " + address + " within " + connectTimeout);
                }
                channel.finishConnect();
            }
            return new ClamdConnection(channel, selector, readTimeout);
        } catch (ClamdException e) {
            closeQuietly(channel, selector);
            throw e;
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel, selector);
            throw new ClamdException(ClamdException.Kind.UNREACHABLE, "cannot connect to clamd at " + address + ": " + e, e);
        }
    }

    /**
     * Bounds every wait of the command under way (writes and the reply) by one deadline as well as
     * by the read timeout, so the whole command ends by then: a scan's time limit kept without a
     * thread to watch it ({@link ClamdClient#scan(ClamdClient.Content, Duration)}). Null: no
     * deadline, as for a command of a scan without a limit on a session kept from one with it.
     */
    void answerBy(Long deadlineNanos) {
        answerByLimited = deadlineNanos != null;
        answerBy = deadlineNanos == null ? 0 : deadlineNanos;
    }

    /** The connection's frame buffer, empty, with at least {@code capacity} bytes (heap: its array is filled directly). */
    ByteBuffer frameBuffer(int capacity) {
        if (frame == null || frame.capacity() < capacity) {
            frame = ByteBuffer.allocate(capacity);
        }
        return frame.clear();
    }

    void write(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.write(buffer) == 0) {
                await(SelectionKey.OP_WRITE, "clamd does not take more data");
            }
        }
    }

    /** Whether clamd has already answered (before the end of the stream: an error such as the size limit). */
    boolean answered() throws IOException {
        readAvailable();
        return reply.size() > 0 || closedByClamd;
    }

    /**
     * The reply up to its terminating NUL (or the end of the connection), taken off the
     * connection so that the next command's reply starts afresh (a session, {@link ClamdSessions}).
     *
     * @throws EOFException clamd closed the connection without a byte of answer
     */
    String readReply() throws IOException {
        long deadline = System.nanoTime() + readTimeout.toNanos();
        if (answerByLimited && answerBy - deadline < 0) {
            deadline = answerBy;
        }
        while (!complete()) {
            if (closedByClamd) {
                break;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new ClamdException(ClamdException.Kind.TIMEOUT, "no answer from clamd within "
                    + (deadline == answerBy && answerByLimited ? "the scan's time limit" : readTimeout));
            }
            channel.register(selector, SelectionKey.OP_READ);
            if (selector.select(Math.max(1, left / 1_000_000)) > 0) {
                selector.selectedKeys().clear();
                readAvailable();
            }
        }
        if (reply.size() == 0) {
            throw new EOFException("clamd closed the connection without an answer");
        }
        String text = reply.toString(StandardCharsets.US_ASCII);
        reply.reset();
        int end = text.indexOf('\0');
        return (end >= 0 ? text.substring(0, end) : text).trim();
    }

    private boolean complete() {
        byte[] bytes = reply.toByteArray();
        return bytes.length > 0 && bytes[bytes.length - 1] == 0;
    }

    /**
     * Whether this idle connection can carry another command: clamd has not closed it (it ends
     * sessions at a restart or after its CommandReadTimeout) and sent nothing unasked.
     */
    boolean idleAndOpen() {
        try {
            readAvailable();
        } catch (IOException e) {
            return false;
        }
        return !closedByClamd && reply.size() == 0;
    }

    private void readAvailable() throws IOException {
        ByteBuffer buffer = readBuffer.clear();
        int read;
        while ((read = channel.read(buffer)) > 0) {
            reply.write(buffer.array(), 0, read);
            buffer.clear();
        }
        if (read < 0) {
            closedByClamd = true;
        }
    }

    private void await(int operation, String what) throws IOException {
        long waitMillis = millis(readTimeout);
        boolean byDeadline = false;
        if (answerByLimited) {
            long left = (answerBy - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new ClamdException(ClamdException.Kind.TIMEOUT, what + " within the scan's time limit");
            }
            byDeadline = left < waitMillis;
            waitMillis = Math.min(waitMillis, left);
        }
        channel.register(selector, operation);
        if (selector.select(waitMillis) == 0) {
            throw new ClamdException(ClamdException.Kind.TIMEOUT, what + " within " + (byDeadline ? "the scan's time limit" : readTimeout));
        }
        selector.selectedKeys().clear();
    }

    private static long millis(Duration duration) {
        return Math.max(1, duration.toMillis());
    }

    @Override
    public void close() {
        closeQuietly(channel, selector);
    }

    private static void closeQuietly(SocketChannel channel, Selector selector) {
        try {
            if (selector != null) {
                selector.close();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
