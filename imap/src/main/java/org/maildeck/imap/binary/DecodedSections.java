package org.maildeck.imap.binary;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.james.imap.api.ImapCommand;
import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.message.response.StatusResponse;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapProcessor.Responder;
import org.apache.james.imap.message.response.FetchResponse;

/**
 * The responses of a FETCH with BINARY items, on their way to the client: in each FETCH
 * response, the hidden sections of {@link BinaryItem} become the items' answers, decoded by
 * {@link ContentTransferDecoding}. A part in an encoding that cannot be decoded fails the
 * command with {@code NO [UNKNOWN-CTE]} (RFC 3516 §4.3); the FETCH response of that message is
 * not sent, and those of the other messages are.
 */
final class DecodedSections implements Responder {

    static final String UNKNOWN_CTE = "UNKNOWN-CTE";
    private static final HumanReadableText CANNOT_DECODE = new HumanReadableText("org.maildeck.imap.UNKNOWN_CTE",
        "Unknown Content-Transfer-Encoding");

    private final Responder next;
    private final Tag tag;
    private final ImapCommand command;
    private final StatusResponseFactory responses;
    private boolean undecodable;

    DecodedSections(Responder next, Tag tag, ImapCommand command, StatusResponseFactory responses) {
        this.next = next;
        this.tag = tag;
        this.command = command;
        this.responses = responses;
    }

    @Override
    public void respond(ImapResponseMessage message) {
        if (message instanceof FetchResponse fetch && fetch.getElements() != null) {
            try {
                next.respond(decoded(fetch));
            } catch (ContentTransferDecoding.UnknownEncoding unknown) {
                undecodable = true;
            }
        } else if (undecodable && message instanceof StatusResponse status && tag.equals(status.getTag())
                && status.getServerResponseType() == StatusResponse.Type.OK) {
            next.respond(responses.taggedNo(tag, command, CANNOT_DECODE, StatusResponse.ResponseCode.createExtension(UNKNOWN_CTE)));
        } else {
            next.respond(message);
        }
    }

    @Override
    public void flush() {
        next.flush();
    }

    private static FetchResponse decoded(FetchResponse fetch) throws ContentTransferDecoding.UnknownEncoding {
        Map<String, byte[]> mimeHeaders = new HashMap<>();
        for (FetchResponse.BodyElement element : fetch.getElements()) {
            if (BinaryItem.isMimeHeader(element.getName())) {
                mimeHeaders.put(element.getName(), bytes(element));
            }
        }
        List<FetchResponse.BodyElement> elements = new ArrayList<>();
        for (FetchResponse.BodyElement element : fetch.getElements()) {
            Optional<BinaryItem> item = BinaryItem.ofContent(element.getName());
            if (item.isPresent()) {
                elements.add(answer(item.get(), bytes(element), mimeHeaders));
            } else if (!BinaryItem.isMimeHeader(element.getName())) {
                elements.add(element);
            }
        }
        return new FetchResponse(fetch.getMessageNumber(), fetch.getFlags(), fetch.getUid(), fetch.getSaveDate(), fetch.getModSeq(),
            fetch.getInternalDate(), fetch.getSize(), fetch.getEnvelope(), fetch.getBody(), fetch.getBodyStructure(), elements,
            fetch.getEmailId(), fetch.getThreadId());
    }

    /** The whole message is sent as it is stored (imaptest's fetch-binary-mime), a part decoded. */
    private static DecodedSection answer(BinaryItem item, byte[] raw, Map<String, byte[]> mimeHeaders)
            throws ContentTransferDecoding.UnknownEncoding {
        byte[] decoded = raw;
        if (!item.wholeMessage()) {
            byte[] mimeHeader = mimeHeaders.getOrDefault(item.mimeHeader().getResponseName(), new byte[0]);
            decoded = ContentTransferDecoding.decode(raw, ContentTransferDecoding.encodingOf(mimeHeader));
        }
        boolean sizeOnly = item.kind() == BinaryItem.Kind.SIZE;
        return new DecodedSection(item.responseName(), sizeOnly ? decoded : item.window(decoded), sizeOnly);
    }

    private static byte[] bytes(FetchResponse.BodyElement element) {
        try (InputStream content = element.getInputStream()) {
            return content.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + element.getName(), e);
        }
    }
}
