package org.maildeck.antivirus;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP relay in front of a daemon, for tests of a client's connections: it counts the
 * connections and the {@code zINSTREAM} commands it passes on, and cuts connections the way a
 * restarting daemon or a dying network path does.
 */
final class TcpRelay implements AutoCloseable {

    private static final byte[] INSTREAM = "zINSTREAM\0".getBytes(US_ASCII);

    private final ServerSocket listener;
    private final int targetPort;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger instreams = new AtomicInteger();
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private volatile boolean cutNewConnections;

    private TcpRelay(ServerSocket listener, int targetPort) {
        this.listener = listener;
        this.targetPort = targetPort;
    }

    static TcpRelay to(int targetPort) throws IOException {
        TcpRelay relay = new TcpRelay(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), targetPort);
        relay.daemon(relay::acceptLoop);
        return relay;
    }

    int port() {
        return listener.getLocalPort();
    }

    int connectionsAccepted() {
        return accepted.get();
    }

    /** {@code zINSTREAM} commands passed on to the daemon. */
    int scansPassedOn() {
        return instreams.get();
    }

    /** Closes every connection now, both ways, as a daemon that restarts. */
    void cutAll() {
        links.forEach(Link::close);
    }

    /**
     * Lets every connection stay open until the client sends on it, then closes it without
     * passing anything on: a connection that died after the client last looked at it.
     */
    void cutAllAtTheirNextCommand() {
        links.forEach(link -> link.cutAtNextCommand = true);
    }

    /** Every connection from now on is closed at the client's first command, nothing passed on. */
    void cutEveryNewConnectionAtItsFirstCommand() {
        cutNewConnections = true;
    }

    private void acceptLoop() {
        try {
            while (true) {
                Socket client = listener.accept();
                accepted.incrementAndGet();
                Link link = new Link(client, new Socket(InetAddress.getLoopbackAddress(), targetPort));
                link.cutAtNextCommand = cutNewConnections;
                links.add(link);
                daemon(() -> link.pump(link.client, link.daemon, true));
                daemon(() -> link.pump(link.daemon, link.client, false));
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void daemon(Runnable task) {
        Thread thread = new Thread(task, "tcp-relay");
        thread.setDaemon(true);
        thread.start();
    }

    private final class Link {
        final Socket client;
        final Socket daemon;
        volatile boolean cutAtNextCommand;

        Link(Socket client, Socket daemon) {
            this.client = client;
            this.daemon = daemon;
        }

        void pump(Socket from, Socket to, boolean fromClient) {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) > 0) {
                    if (fromClient && cutAtNextCommand) {
                        break;
                    }
                    if (fromClient) {
                        instreams.addAndGet(instreamCommands(buffer, read));
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed
            } finally {
                close();
            }
        }

        /** The commands in one read (the tests' contents never hold the command's bytes). */
        private int instreamCommands(byte[] buffer, int length) {
            int count = 0;
            for (int i = 0; i + INSTREAM.length <= length; i++) {
                if (java.util.Arrays.equals(buffer, i, i + INSTREAM.length, INSTREAM, 0, INSTREAM.length)) {
                    count++;
                }
            }
            return count;
        }

        void close() {
            try {
                client.close();
                daemon.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            links.remove(this);
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        cutAll();
    }
}
