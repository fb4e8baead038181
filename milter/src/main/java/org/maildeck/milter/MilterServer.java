package org.maildeck.milter;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.james.lifecycle.api.Startable;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.filter.codec.ProtocolCodecFilter;
import org.apache.mina.filter.executor.ExecutorFilter;
import org.apache.mina.filter.executor.OrderedThreadPoolExecutor;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The milter listener on Apache MINA: the packet codec on the I/O threads, then an ordered
 * executor (a connection's packets one after the other, on a worker thread, since the end of a
 * message waits for the scanners), then {@link MilterHandler}.
 */
public final class MilterServer implements Startable {

    private static final Logger LOGGER = LoggerFactory.getLogger(MilterServer.class);

    private final MilterSettings settings;
    private final EndOfMessage decider;
    private NioSocketAcceptor acceptor;
    private OrderedThreadPoolExecutor workers;

    public MilterServer(MilterSettings settings, EndOfMessage decider) {
        this.settings = settings;
        this.decider = decider;
    }

    public synchronized void start() throws IOException {
        if (!settings.enabled() || acceptor != null) {
            return;
        }
        workers = new OrderedThreadPoolExecutor(0, settings.maxConnections(), 60, TimeUnit.SECONDS,
            runnable -> {
                Thread thread = new Thread(runnable, "milter-worker");
                thread.setDaemon(true);
                return thread;
            });
        acceptor = new NioSocketAcceptor();
        acceptor.setReuseAddress(true);
        acceptor.getFilterChain().addLast("codec",
            new ProtocolCodecFilter(new MilterPacketEncoder(), new MilterPacketDecoder(settings.maxPacket())));
        acceptor.getFilterChain().addLast("workers", new ExecutorFilter(workers));
        acceptor.setHandler(new MilterHandler(decider, settings));
        acceptor.getSessionConfig().setIdleTime(IdleStatus.READER_IDLE, (int) Math.max(1, settings.packetTimeout().toSeconds()));
        acceptor.getSessionConfig().setTcpNoDelay(true);
        acceptor.bind(settings.address());
        LOGGER.debug("milter listening on {}", boundAddress().orElse(settings.address()));
    }

    /** Where it listens, once started. */
    public synchronized Optional<InetSocketAddress> boundAddress() {
        return acceptor == null ? Optional.empty() : Optional.ofNullable(acceptor.getLocalAddress());
    }

    /** Stops listening and closes the connections; a message being scanned is answered by the MTA's milter_default_action. */
    public synchronized void stop() {
        if (acceptor == null) {
            return;
        }
        acceptor.unbind();
        acceptor.getManagedSessions().values().forEach(session -> session.closeNow().awaitUninterruptibly(1000));
        acceptor.dispose(true);
        // the queued close events release their messages' temporary files; a scan still running is cut short
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        acceptor = null;
    }
}
