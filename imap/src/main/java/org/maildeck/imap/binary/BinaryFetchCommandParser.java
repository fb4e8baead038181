package org.maildeck.imap.binary;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;

import javax.inject.Inject;

import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.message.FetchData;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.decode.DecodingException;
import org.apache.james.imap.decode.ImapRequestLineReader;
import org.apache.james.imap.decode.ImapRequestStreamLineReader;
import org.apache.james.imap.decode.parser.FetchCommandParser;
import org.apache.james.imap.message.request.FetchRequest;

/**
 * James's FETCH parser, which also reads RFC 3516's BINARY items. The command's arguments are
 * read to the end of the line (FETCH has no literals), its BINARY items taken out
 * ({@link FetchLine}) and what remains parsed by James's parser, to which each item then adds
 * its hidden sections ({@link BinaryItem}). Bound in place of James's parser, so that
 * {@code UID FETCH}, which James's UID parser hands to the FETCH parser it knows, reads them too.
 */
public class BinaryFetchCommandParser extends FetchCommandParser {

    @Inject
    public BinaryFetchCommandParser(StatusResponseFactory statusResponseFactory) {
        super(statusResponseFactory);
    }

    @Override
    protected ImapMessage decode(ImapRequestLineReader request, Tag tag, boolean useUids, ImapSession session) throws DecodingException {
        FetchLine line = FetchLine.of(restOfLine(request));
        ImapMessage james = super.decode(reader(line.withoutBinaryItems()), tag, useUids, session);
        if (line.binaryItems().isEmpty() || !(james instanceof FetchRequest fetch)) {
            return james;
        }
        FetchData.Builder data = copyOf(fetch.getFetch());
        for (BinaryItem item : line.binaryItems()) {
            data.add(item.content(), item.peek());
            if (!item.wholeMessage()) {
                data.add(item.mimeHeader(), true);
            }
        }
        return new FetchRequest(useUids, fetch.getIdSet(), data.build(), tag);
    }

    /**
     * What James parsed, to be added to. Not {@code FetchData.Builder.from}, which always adds
     * MODSEQ (its copy of CHANGEDSINCE does, -1 included), and so made CONDSTORE's.
     */
    private static FetchData.Builder copyOf(FetchData parsed) {
        FetchData.Builder copy = FetchData.builder().vanished(parsed.getVanished());
        for (FetchData.Item item : FetchData.Item.values()) {
            if (parsed.contains(item)) {
                copy.fetch(item);
            }
        }
        if (parsed.getChangedSince() != -1) {
            copy.changedSince(parsed.getChangedSince());
        }
        parsed.getBodyElements().forEach(element -> copy.add(element, !parsed.isSetSeen()));
        return copy;
    }

    /** The rest of the command line, up to its line feed, which is left unread (as eol() leaves it). */
    private static String restOfLine(ImapRequestLineReader request) throws DecodingException {
        StringBuilder line = new StringBuilder();
        for (char next = request.nextChar(); next != '\n'; next = request.nextChar()) {
            line.append(next);
            request.consume();
        }
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
    }

    private static ImapRequestLineReader reader(String arguments) {
        return new ImapRequestStreamLineReader(new ByteArrayInputStream((arguments + "\r\n").getBytes(ISO_8859_1)),
            OutputStream.nullOutputStream());
    }
}
