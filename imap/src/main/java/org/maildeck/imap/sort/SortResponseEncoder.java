package org.maildeck.imap.sort;

import java.io.IOException;

import javax.inject.Inject;

import org.apache.james.imap.encode.ImapResponseComposer;
import org.apache.james.imap.encode.ImapResponseEncoder;

/** Writes {@link SortResponse}. */
public final class SortResponseEncoder implements ImapResponseEncoder<SortResponse> {

    @Inject
    public SortResponseEncoder() {
    }

    @Override
    public Class<SortResponse> acceptableMessages() {
        return SortResponse.class;
    }

    @Override
    public void encode(SortResponse response, ImapResponseComposer composer) throws IOException {
        composer.untagged().message("SORT");
        for (long number : response.numbers()) {
            composer.message(number);
        }
        if (response.highestModSeq().isPresent()) {
            composer.openParen().message("MODSEQ").message(response.highestModSeq().get().asLong()).closeParen();
        }
        composer.end();
    }
}
