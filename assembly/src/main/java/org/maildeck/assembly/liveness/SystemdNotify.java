package org.maildeck.assembly.liveness;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Tells systemd about the server's state (sd_notify: {@code READY=1}, {@code WATCHDOG=1},
 * {@code STOPPING=1}) when it runs as a {@code Type=notify} service, that is when systemd set
 * {@code NOTIFY_SOCKET}.
 *
 * <p>The socket is a Unix datagram socket, which Java 17 cannot open (JEP 380 brought Unix
 * domain sockets to SocketChannel only; {@code DatagramChannel.open(UNIX)} throws
 * UnsupportedOperationException), and a native library (JNA) would be a dependency for three
 * words. So each message is sent by systemd's own {@code systemd-notify}, run as a child of the
 * server: the unit needs {@code NotifyAccess=all}, and systemd-notify (systemd 246 and later)
 * waits until systemd has taken the message, so it is counted for the service.
 */
final class SystemdNotify {

    private static final long WAIT_SECONDS = 10;

    private final String command;

    private SystemdNotify(String command) {
        this.command = command;
    }

    /** Present when the server runs under systemd with notification (NOTIFY_SOCKET set). */
    static Optional<SystemdNotify> fromEnvironment(Map<String, String> environment) {
        String socket = environment.getOrDefault("NOTIFY_SOCKET", "");
        return socket.isBlank() ? Optional.empty() : Optional.of(new SystemdNotify("systemd-notify"));
    }

    /** Sends {@code assignments} (e.g. {@code READY=1}) as one message. */
    void send(String... assignments) throws IOException {
        List<String> commandLine = new ArrayList<>(List.of(command));
        commandLine.addAll(List.of(assignments));
        Process process = new ProcessBuilder(commandLine)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
        try {
            if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(command + " did not finish within " + WAIT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command, e);
        }
        if (process.exitValue() != 0) {
            throw new IOException(command + " " + String.join(" ", assignments) + " exited with " + process.exitValue());
        }
    }
}
