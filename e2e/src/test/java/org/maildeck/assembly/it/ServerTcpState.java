package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/**
 * The kernel's view of the server's end of a test's connection, read from outside the server:
 * a python3 process finds the server's socket (by the connection's ports in
 * {@code /proc/PID/net/tcp} and its inode among {@code /proc/PID/fd}), takes a copy of it with
 * {@code pidfd_getfd(2)} (Linux 5.6; needs the right to ptrace the server, which root has) and
 * reads the option. Java 17 can do neither.
 */
final class ServerTcpState {

    private static final String READER = String.join("\n",
        "import ctypes, os, socket, sys, time",
        "pid, server_port, client_port, settle = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])",
        "def inode():",
        "    for table in ('tcp', 'tcp6'):",
        "        for line in open('/proc/%d/net/%s' % (pid, table)).readlines()[1:]:",
        "            f = line.split()",
        "            if int(f[1].split(':')[1], 16) == server_port and int(f[2].split(':')[1], 16) == client_port:",
        "                return f[9]",
        "    sys.exit('no connection %d <- %d in /proc/%d/net' % (server_port, client_port, pid))",
        "target = 'socket:[%s]' % inode()",
        "fd = None",
        "for name in os.listdir('/proc/%d/fd' % pid):",
        "    try:",
        "        if os.readlink('/proc/%d/fd/%s' % (pid, name)) == target:",
        "            fd = int(name)",
        "    except OSError:",
        "        pass",
        "if fd is None:",
        "    sys.exit('no descriptor of %s in process %d' % (target, pid))",
        "libc = ctypes.CDLL(None, use_errno=True)",
        "copy = libc.syscall(438, os.pidfd_open(pid), fd, 0)  # pidfd_getfd",
        "if copy < 0:",
        "    sys.exit('pidfd_getfd: ' + os.strerror(ctypes.get_errno()))",
        "s = socket.socket(fileno=copy)",
        "deadline = time.monotonic() + settle",
        "while True:",
        "    value = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK)",
        "    if value or time.monotonic() > deadline:",
        "        break",
        "    time.sleep(0.01)",
        "print(value)",
        "");

    private ServerTcpState() {
    }

    /**
     * Whether the server's end of {@code client}'s connection to process {@code serverPid} is in
     * quick-ACK mode (Linux's {@code TCP_QUICKACK}: data that arrives now is acknowledged at once
     * rather than after the delayed-ACK timeout). Reads it until it is, for up to a second: a
     * server sets it right after writing its reply, so a moment after the client may have read it.
     */
    static boolean quickAck(long serverPid, Socket client) throws IOException, InterruptedException {
        Process reader = new ProcessBuilder("python3", "-c", READER, Long.toString(serverPid),
            Integer.toString(client.getPort()), Integer.toString(client.getLocalPort()), "1")
            .redirectErrorStream(true).start();
        if (!reader.waitFor(30, TimeUnit.SECONDS)) {
            reader.destroyForcibly();
            throw new IllegalStateException("python3 did not read the server's socket within 30 s");
        }
        String output = new String(reader.getInputStream().readAllBytes(), UTF_8).trim();
        if (reader.exitValue() != 0 || !output.matches("[01]")) {
            throw new IllegalStateException("reading the server's TCP_QUICKACK failed: " + output);
        }
        return output.equals("1");
    }
}
