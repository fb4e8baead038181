package org.apache.james.protocols.netty;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * Replaces James 3.8.1's class of this name (same public API): the idle timeout of the SMTP, LMTP
 * and POP3 listeners ({@code connectiontimeout}). What it mends: James closes the connection only
 * on {@code IdleStateEvent.READER_IDLE_STATE_EVENT}, which is Netty's second reader-idle event of
 * an idle period (the first is {@code FIRST_READER_IDLE_STATE_EVENT}), so every connection idled
 * twice the configured time (600 s for SMTP's 300). Not fixed upstream as of James 3.9. This one
 * closes on the first event, after the last line postfix and dovecot write
 * ({@link InactivityDisconnect}). A new instance per connection, as James creates it; the
 * annotation is James's, kept for the same API.
 */
@ChannelHandler.Sharable
public class TimeoutHandler extends IdleStateHandler {

    private final int readerIdleTimeSeconds;

    public TimeoutHandler(int readerIdleTimeSeconds) {
        super(readerIdleTimeSeconds, 0, 0);
        this.readerIdleTimeSeconds = readerIdleTimeSeconds;
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        if (evt.state() == IdleState.READER_IDLE) {
            InactivityDisconnect.close(ctx.channel(), "no command for " + readerIdleTimeSeconds + " s");
        }
    }

    /** For the start-up check that this class, not James's, is the one loaded. */
    public static boolean closesOnTheFirstIdleEvent() {
        return true;
    }
}
