package org.maildeck.maildir.james;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.james.mailbox.model.Header;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RecursionMode;
import org.apache.james.mime4j.util.ByteSequence;

/**
 * Finds the part of a message that an IMAP section number names (RFC 3501 and RFC 9051 §6.4.5).
 *
 * <p>The rule: every message has a part 1; a multipart message's parts are its body parts, in
 * order; a non-multipart message has only part 1, its body, whatever its type. A part of type
 * message/rfc822 has the parts of the message it encapsulates, so {@code N.HEADER} and
 * {@code N.TEXT} are that message's header and text, and {@code N.1} its first part. For a
 * message whose own type is message/rfc822, {@code BODY[1]} is therefore the whole attached
 * message, {@code BODY[1.HEADER]} its header and {@code BODY[1.1]} the body of the attached
 * message (Dovecot's imaptest groups fetch-body-message-rfc822*).
 *
 * <p>James 3.8.1's {@code PartContentBuilder} walks one recursive mime4j token stream and counts
 * the first body it meets as part 1, so for a message/rfc822 message it lands inside the
 * attached message (the same in upstream's master after JAMES-4020, apache/james-project#2123,
 * which mended other parts of §6.4.5). Here each level is parsed on its own, flat: an entity is
 * its header and the raw bytes of its body, and stepping into a part parses only those bytes,
 * so that the numbering follows the rule above and nothing else.
 */
final class PartNumbering {

    /** A part that the section number names: its MIME header, the raw bytes of its body, and its type. */
    record Part(List<Header> header, byte[] rawHeader, byte[] body, String mimeType) {

        static final Part MISSING = new Part(List.of(), new byte[0], new byte[0], "text/plain");

        boolean isMultipart() {
            return mimeType.startsWith("multipart/");
        }

        boolean isMessage() {
            return mimeType.equals("message/rfc822");
        }

        /** The message that a message/rfc822 part encapsulates, {@link #MISSING} for other types. */
        Part encapsulated() throws IOException {
            return isMessage() ? parseMessage(body) : MISSING;
        }

        /** The header then the body, as the entity was written. */
        byte[] whole() {
            byte[] whole = new byte[rawHeader.length + body.length];
            System.arraycopy(rawHeader, 0, whole, 0, rawHeader.length);
            System.arraycopy(body, 0, whole, rawHeader.length, body.length);
            return whole;
        }
    }

    private PartNumbering() {
    }

    /** The part {@code positions} names in {@code message}; {@link Part#MISSING} when there is no such part. */
    static Part find(byte[] message, int[] positions) throws IOException {
        Part current = parseMessage(message);
        for (int i = 0; i < positions.length; i++) {
            if (i > 0) {
                // Below the top, only a multipart or an attached message has parts.
                if (current.isMessage()) {
                    current = current.encapsulated();
                } else if (!current.isMultipart()) {
                    return Part.MISSING;
                }
            }
            current = partOfMessageOrMultipart(current, positions[i]);
            if (current == Part.MISSING) {
                return current;
            }
        }
        return current;
    }

    private static Part partOfMessageOrMultipart(Part entity, int position) throws IOException {
        if (entity.isMultipart()) {
            List<Part> bodyParts = bodyParts(entity);
            return position >= 1 && position <= bodyParts.size() ? bodyParts.get(position - 1) : Part.MISSING;
        }
        // A non-multipart entity's only part is itself: its body, described by its own header.
        return position == 1 ? entity : Part.MISSING;
    }

    static Part parseMessage(byte[] message) throws IOException {
        MimeTokenStream stream = stream(message, RecursionMode.M_FLAT);
        try {
            PartReader reader = new PartReader();
            for (EntityState state = stream.next(); state != EntityState.T_END_OF_STREAM; state = stream.next()) {
                if (reader.take(stream, state)) {
                    return reader.part;
                }
            }
            return Part.MISSING;
        } catch (MimeException e) {
            throw new IOException("unparsable message", e);
        }
    }

    /** The body parts of a multipart entity, each with the type mime4j gives it in its parent (digest: message/rfc822). */
    private static List<Part> bodyParts(Part multipart) throws IOException {
        MimeTokenStream stream = stream(multipart.whole(), RecursionMode.M_NO_RECURSE);
        List<Part> parts = new ArrayList<>();
        try {
            PartReader reader = null;
            for (EntityState state = stream.next(); state != EntityState.T_END_OF_STREAM; state = stream.next()) {
                switch (state) {
                    case T_START_MULTIPART:
                        if (reader == null) {
                            // The body parts are read flat: their bodies stay raw bytes, parsed only when asked.
                            stream.setRecursionMode(RecursionMode.M_FLAT);
                        }
                        break;
                    case T_START_BODYPART:
                        reader = new PartReader();
                        break;
                    default:
                        if (reader != null && reader.take(stream, state)) {
                            parts.add(reader.part);
                            reader = null;
                        }
                }
            }
        } catch (MimeException e) {
            throw new IOException("unparsable multipart", e);
        }
        return parts;
    }

    private static MimeTokenStream stream(byte[] bytes, RecursionMode mode) {
        MimeTokenStream stream = new MimeTokenStream(MimeConfig.PERMISSIVE);
        stream.setRecursionMode(mode);
        stream.parse(new ByteArrayInputStream(bytes));
        return stream;
    }

    /** Collects one entity's header fields up to its body, read flat. */
    private static final class PartReader {
        private final List<Header> header = new ArrayList<>();
        private final ByteArrayOutputStream rawHeader = new ByteArrayOutputStream();
        private Part part;

        /** Takes one event; true once the entity's body was read. */
        boolean take(MimeTokenStream stream, EntityState state) throws IOException {
            switch (state) {
                case T_FIELD:
                    Field field = stream.getField();
                    header.add(new Header(field.getName(), field.getBody().trim()));
                    ByteSequence raw = field.getRaw();
                    rawHeader.write(raw == null ? (field.getName() + ": " + field.getBody()).getBytes(US_ASCII) : raw.toByteArray());
                    rawHeader.write('\r');
                    rawHeader.write('\n');
                    return false;
                case T_BODY:
                    rawHeader.write('\r');
                    rawHeader.write('\n');
                    part = new Part(List.copyOf(header), rawHeader.toByteArray(), stream.getInputStream().readAllBytes(),
                        stream.getBodyDescriptor().getMimeType().toLowerCase(java.util.Locale.ROOT));
                    return true;
                default:
                    return false;
            }
        }
    }
}
