package org.maildeck.assembly.imap;

import java.util.Optional;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.imap.api.ImapSessionState;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.decode.ImapDecoder;
import org.apache.james.imap.encode.ImapEncoder;
import org.apache.james.imapserver.netty.IMAPServer;
import org.apache.james.imapserver.netty.ImapMetrics;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.protocols.netty.ChannelHandlerFactory;
import org.apache.james.util.Size;
import org.maildeck.imap.CommandQueue;
import org.maildeck.imap.ImapClientAddress;
import org.maildeck.imap.ImapLiteralGuard;
import org.maildeck.imap.ImapSettings;
import org.maildeck.imap.WholeCommandFrameDecoder;
import org.maildeck.assembly.tcp.QuickAckAfterFlush;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * James's IMAP server with an {@link ImapLiteralGuard} in front of its line framer, a
 * {@link WholeCommandFrameDecoder} in place of its frame decoder,
 * {@link ImapClientAddress} giving its sessions their client's address, a {@link CommandQueue}
 * running each connection's commands in turn, and {@link QuickAckAfterFlush} so that a literal is
 * acknowledged at once.
 */
class GuardedImapServer extends IMAPServer {

    static final String LITERAL_GUARD = "literalGuard";
    // James 3.8.2 allows 64 literals in one command; a legitimate client needs a handful.
    private static final int MAX_LITERALS_PER_COMMAND = 64;
    // A command too large for memory is spooled to disk whole before it runs: its literals
    // together may take this many of the largest literal (8 messages of 50 MiB in one
    // MULTIAPPEND; Dovecot streams each into the store instead and has no such sum).
    private static final int LARGEST_LITERALS_PER_COMMAND = 8;
    private static final String DECODER_INSTALLER = "wholeCommandDecoderInstaller";
    private static final ImapClientAddress CLIENT_ADDRESS = new ImapClientAddress();
    // Real commands nest a few levels (SEARCH keys, FETCH items); James's parsers recurse once
    // per level and overflowed the stack at 2,000.
    private static final int MAX_NESTING = 64;

    private final ImapProcessor processor;
    private long literalSizeLimit;
    private int inMemorySizeLimit;
    private int maxLineLength;
    private final ImapDecoder decoder;

    GuardedImapServer(ImapDecoder decoder, ImapEncoder encoder, ImapProcessor processor, ImapMetrics imapMetrics,
                      GaugeRegistry gaugeRegistry) {
        super(decoder, encoder, processor, imapMetrics, gaugeRegistry);
        this.processor = processor;
        this.decoder = decoder;
    }

    @Override
    public void doConfigure(HierarchicalConfiguration<ImmutableNode> configuration) throws ConfigurationException {
        super.doConfigure(configuration);
        // Read the way IMAPServer reads it, so both enforce the same number.
        literalSizeLimit = Optional.ofNullable(configuration.getString("literalSizeLimit", null))
            .map(Size::parse)
            .map(Size::asBytes)
            .orElse(0L);
        inMemorySizeLimit = Math.toIntExact(Optional.ofNullable(configuration.getString("inMemorySizeLimit", null))
            .map(Size::parse)
            .orElse(DEFAULT_IN_MEMORY_SIZE_LIMIT)
            .asBytes());
        maxLineLength = configuration.getInt("maxLineLength", DEFAULT_MAX_LINE_LENGTH);
        // James 3.8.1 reads no setting for CONDSTORE and leaves it off, although the store keeps
        // mod-sequences and QRESYNC (which implies it) is advertised: configure the processors
        // again with the same settings and CONDSTORE on (<condstore>false</condstore> turns it off).
        processor.configure(ImapSettings.read(configuration));
    }

    /**
     * Puts a {@link WholeCommandFrameDecoder} where James's pipeline has its frame decoder: James
     * adds its own after the framer, with nothing to override in between, and the pipeline is
     * complete when the channel is registered.
     */
    private class DecoderInstaller extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRegistered(ChannelHandlerContext ctx) throws Exception {
            ctx.pipeline().replace(REQUEST_DECODER, REQUEST_DECODER,
                new WholeCommandFrameDecoder(decoder, inMemorySizeLimit, Math.toIntExact(literalSizeLimit), maxLineLength));
            ctx.pipeline().remove(this);
            super.channelRegistered(ctx);
        }
    }

    private static boolean loggedIn(Channel channel) {
        ImapSession session = channel.attr(IMAP_SESSION_ATTRIBUTE_KEY).get();
        return session != null
            && (session.getState() == ImapSessionState.AUTHENTICATED || session.getState() == ImapSessionState.SELECTED);
    }

    // The framer factory is handed the pipeline just before the framer is added: the guard goes
    // in right there, after any TLS or proxy handler and before the framer.
    @Override
    protected ChannelHandlerFactory createFrameHandlerFactory() {
        ChannelHandlerFactory framer = super.createFrameHandlerFactory();
        return QuickAckAfterFlush.alongside(pipeline -> {
            pipeline.addLast(LITERAL_GUARD, new ImapLiteralGuard(literalSizeLimit, literalSizeLimit * LARGEST_LITERALS_PER_COMMAND,
                MAX_LITERALS_PER_COMMAND, MAX_NESTING, GuardedImapServer::loggedIn));
            pipeline.addLast(DECODER_INSTALLER, new DecoderInstaller());
            pipeline.addLast(ImapClientAddress.NAME, CLIENT_ADDRESS);
            pipeline.addLast(CommandQueue.NAME, CommandQueue.INSTALLER);
            return framer.create(pipeline);
        });
    }
}
