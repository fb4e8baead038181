package org.maildeck.imap.sort;

import java.io.IOException;

import javax.inject.Inject;

import org.apache.james.imap.encode.ImapResponseComposer;
import org.apache.james.imap.encode.ImapResponseEncoder;

/** Writes {@link ThreadResponse}: {@code * THREAD} alone when no message matched. */
public final class ThreadResponseEncoder implements ImapResponseEncoder<ThreadResponse> {

    @Inject
    public ThreadResponseEncoder() {
    }

    @Override
    public Class<ThreadResponse> acceptableMessages() {
        return ThreadResponse.class;
    }

    @Override
    public void encode(ThreadResponse response, ImapResponseComposer composer) throws IOException {
        composer.untagged().message("THREAD");
        if (!response.threads().isEmpty()) {
            composer.message(ThreadNode.threadList(response.threads()));
        }
        composer.end();
    }
}
