package org.maildeck.imap.binary;

import org.apache.james.imap.decode.parser.FetchCommandParser;
import org.apache.james.imap.encode.FetchResponseEncoder;
import org.apache.james.imap.processor.fetch.FetchProcessor;

import com.google.inject.AbstractModule;

/**
 * BINARY (RFC 3516) in James's IMAP: James creates its FETCH parser, processor and encoder
 * through Guice, so each is bound to the subclass that adds BINARY's items to it.
 */
public class BinaryModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(FetchCommandParser.class).to(BinaryFetchCommandParser.class);
        bind(FetchProcessor.class).to(BinaryFetchProcessor.class);
        bind(FetchResponseEncoder.class).to(Literal8Encoder.class);
    }
}
