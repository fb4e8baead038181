package org.maildeck.imap;

import java.util.ArrayDeque;
import java.util.Queue;

import org.apache.james.imapserver.netty.Linearalizer;
import org.apache.james.imapserver.netty.NettyConstants;
import org.reactivestreams.Publisher;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.EventExecutor;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Runs one connection's IMAP commands one after the other, in the order they were read, each
 * started on the connection's event loop behind the responses of the commands before it.
 *
 * <p>James 3.8.1's {@link Linearalizer} starts a command on the thread that happens to be there:
 * the event loop when the connection is idle, else the thread that finished the previous command
 * (a mailbox store or {@code boundedElastic} thread once a SELECT, EXPUNGE... went off the loop).
 * Netty keeps writes in order only from one thread: a write from another thread waits in the
 * event loop's task queue, while one made on the loop goes out at once. A client that pipelines
 * ({@code a1 SELECT Other}, {@code a2 FETCH ...} in one packet) has all its lines decoded in one
 * task of the loop; when {@code a1} finishes on another thread before {@code a2} is decoded, its
 * responses wait in the task queue while {@code a2} runs on the loop and answers first. The
 * client reads {@code a2}'s tagged answer while waiting for {@code a1}'s, then waits for
 * {@code a2}'s forever: no error anywhere, the session just hangs (seen with three sessions
 * pipelining SELECT, FETCH and EXPUNGE on one mailbox). 3.8.1's queue also answers a queued
 * command's caller only on success: a failed one never ends, unlogged and unflushed.
 *
 * <p>Here every command is started by a task on the event loop, submitted once the previous
 * command has ended, hence after everything it wrote: responses leave in command order. Every
 * end, success or failure, reaches James's core handler (which flushes, logs, closes on LOGOUT).
 * Upstream moved the queueing into the Netty channel after 3.8.1 for the same reasons
 * (apache/james-project#2126, "IMAP linearization can be simplified", part of the IMAP execution
 * management work). A command no longer waits for James's {@code ReactiveThrottler} to start:
 * the throttler, sized for far more requests than the connections here send, only counts them.
 *
 * <p>The core handler creates its {@code Linearalizer} when the channel becomes active;
 * {@link #INSTALLER}, ahead of it in the pipeline, replaces it right after.
 */
public final class CommandQueue extends Linearalizer {

    public static final String NAME = "maildeckCommandQueue";
    public static final ChannelHandler INSTALLER = new Installer();

    private final EventExecutor eventLoop;
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private boolean running;

    private CommandQueue(EventExecutor eventLoop) {
        this.eventLoop = eventLoop;
    }

    @Override
    public Mono<Void> execute(Publisher<Void> command) {
        Sinks.Empty<Void> end = Sinks.empty();
        Runnable start = () -> Mono.from(command)
            .doFinally(signal -> startNext())
            .subscribe(null, end::tryEmitError, end::tryEmitEmpty);
        boolean idle;
        synchronized (this) {
            idle = !running;
            running = true;
            if (!idle) {
                waiting.add(start);
            }
        }
        if (idle) {
            eventLoop.execute(start);
        }
        // Replays the end to the core handler whenever it subscribes.
        return end.asMono();
    }

    // Runs once the ending command's end reached the core handler, which flushed its responses.
    private void startNext() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            running = next != null;
        }
        if (next != null) {
            eventLoop.execute(next);
        }
    }

    @ChannelHandler.Sharable
    private static final class Installer extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            // James's core handler, further down the pipeline, sets its Linearalizer on this event.
            super.channelActive(ctx);
            ctx.channel().attr(NettyConstants.LINEARALIZER_ATTRIBUTE_KEY).set(new CommandQueue(ctx.channel().eventLoop()));
        }
    }
}
