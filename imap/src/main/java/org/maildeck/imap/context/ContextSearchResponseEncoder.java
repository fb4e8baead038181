package org.maildeck.imap.context;

import java.io.IOException;

import javax.inject.Inject;

import org.apache.james.imap.encode.ImapResponseComposer;
import org.apache.james.imap.encode.ImapResponseEncoder;

/** Writes a {@link ContextSearchResponse}: {@code * ESEARCH (TAG "t") [UID] MIN .. MAX .. ALL .. PARTIAL (..) COUNT .. MODSEQ .. REMOVEFROM (..) ADDTO (..)}. */
public class ContextSearchResponseEncoder implements ImapResponseEncoder<ContextSearchResponse> {

    @Inject
    public ContextSearchResponseEncoder() {
    }

    @Override
    public Class<ContextSearchResponse> acceptableMessages() {
        return ContextSearchResponse.class;
    }

    @Override
    public void encode(ContextSearchResponse response, ImapResponseComposer composer) throws IOException {
        composer.untagged().message("ESEARCH").openParen().message("TAG").quote(response.tag().asString()).closeParen();
        if (response.uid()) {
            composer.message("UID");
        }
        if (response.min().isPresent()) {
            composer.message("MIN").message(response.min().get());
        }
        if (response.max().isPresent()) {
            composer.message("MAX").message(response.max().get());
        }
        if (response.all().isPresent()) {
            composer.message("ALL").sequenceSet(response.all().get());
        }
        if (response.partialRange().isPresent()) {
            composer.message("PARTIAL").openParen().message(response.partialRange().get().toString());
            if (response.partial().isPresent()) {
                composer.sequenceSet(response.partial().get());
            } else {
                composer.nil();
            }
            composer.closeParen();
        }
        if (response.count().isPresent()) {
            composer.message("COUNT").message(response.count().get());
        }
        if (response.modSeq().isPresent()) {
            composer.message("MODSEQ").message(response.modSeq().get());
        }
        for (ContextSearchResponse.Positioned removed : response.removeFrom()) {
            positioned(composer, "REMOVEFROM", removed);
        }
        for (ContextSearchResponse.Positioned added : response.addTo()) {
            positioned(composer, "ADDTO", added);
        }
        composer.end();
    }

    private static void positioned(ImapResponseComposer composer, String name, ContextSearchResponse.Positioned run) throws IOException {
        composer.message(name).openParen().message(run.position()).sequenceSet(run.set()).closeParen();
    }
}
