package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What systemd's notification socket ({@code NOTIFY_SOCKET}) would receive: a Unix datagram
 * socket that keeps each message as one line. Java 17 cannot bind a Unix datagram socket, so a
 * python3 process does; it closes the file descriptor that systemd-notify passes with
 * {@code BARRIER=1} and waits to see closed, as systemd does.
 */
final class NotifySocket implements AutoCloseable {

    private static final String RECEIVER = String.join("\n",
        "import array, os, socket, sys",
        "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)",
        "s.bind(sys.argv[1])",
        "out = open(sys.argv[2], 'a', buffering=1)",
        "while True:",
        "    message, ancillary, flags, sender = s.recvmsg(4096, socket.CMSG_SPACE(16 * 4))",
        "    for level, kind, data in ancillary:",
        "        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:",
        "            fds = array.array('i')",
        "            fds.frombytes(data[:len(data) - len(data) % fds.itemsize])",
        "            for fd in fds:",
        "                os.close(fd)",
        "    for line in message.decode(errors='replace').splitlines():",
        "        out.write(line + '\\n')",
        "");

    private final Path socket;
    private final Path received;
    private final Process receiver;

    private NotifySocket(Path socket, Path received, Process receiver) {
        this.socket = socket;
        this.received = received;
        this.receiver = receiver;
    }

    /** Binds a socket in {@code directory}; returns once it exists. */
    static NotifySocket bind(Path directory) throws IOException, InterruptedException {
        Path socket = directory.resolve("notify.sock");
        Path received = directory.resolve("notify.received");
        Files.writeString(received, "");
        Process receiver = new ProcessBuilder("python3", "-c", RECEIVER, socket.toString(), received.toString())
            .redirectErrorStream(true).redirectOutput(directory.resolve("notify.out").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(socket)) {
            if (!receiver.isAlive() || System.nanoTime() > deadline) {
                receiver.destroyForcibly();
                throw new IllegalStateException("python3 did not bind " + socket + ": " + Files.readString(directory.resolve("notify.out")));
            }
            Thread.sleep(50);
        }
        return new NotifySocket(socket, received, receiver);
    }

    Path path() {
        return socket;
    }

    /** Every message line received so far, e.g. {@code READY=1}, {@code WATCHDOG=1}, {@code BARRIER=1}. */
    List<String> messages() {
        try {
            return Files.readAllLines(received, UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long count(String message) {
        return messages().stream().filter(message::equals).count();
    }

    /** Waits until {@code message} was received {@code times} times in all. */
    void await(String message, long times, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count(message) < times) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(message + " received " + count(message) + " times, not " + times + ", within " + timeout
                    + "; all: " + messages());
            }
            Thread.sleep(200);
        }
    }

    @Override
    public void close() throws InterruptedException {
        receiver.destroy();
        receiver.waitFor(10, TimeUnit.SECONDS);
    }
}
