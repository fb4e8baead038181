package org.maildeck.imap.append;

import static org.apache.james.imap.api.display.HumanReadableText.SOCKET_IO_FAILURE;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;
import javax.mail.Flags;

import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.response.StatusResponse;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.decode.DecodingException;
import org.apache.james.imap.decode.ImapRequestLineReader;
import org.apache.james.imap.decode.parser.AppendCommandParser;
import org.apache.james.imap.message.Literal;
import org.apache.james.imap.message.request.AppendRequest;

/**
 * APPEND with one message or several (RFC 3502 §6: {@code append = "APPEND" SP mailbox 1*append-message},
 * {@code append-message = [SP flag-list] [SP date-time] SP literal}, the literal a literal8 {@code ~{n}}
 * as RFC 3516 §4.4 allows, refused with NO [UNKNOWN-CTE] when it holds what the store would not
 * give back as sent). James 3.8.1 reads one
 * message; one is still given to James's processor as its {@link AppendRequest}, several become a
 * {@link MultiAppendRequest}. Literals are read without James's end-of-line check inside the
 * message stream (which would take the space before the next message for an error): the end of
 * the line is checked after the last one.
 *
 * <p>James's frame decoder sends the continuation of the first synchronising literal only; the
 * following ones are continued by ImapLiteralGuard, which follows the client's literals.</p>
 */
public class MultiAppendCommandParser extends AppendCommandParser {

    private static final HumanReadableText BINARY_NOT_STORED = new HumanReadableText("org.maildeck.imap.APPEND_BINARY",
        "Binary content (NUL, or LF without CR) cannot be stored as sent");

    private static final Pattern LITERAL_AT_END = Pattern.compile("\\{(\\d{1,9})\\+?}\r?$");

    private final Clock clock;

    @Inject
    public MultiAppendCommandParser(StatusResponseFactory statusResponseFactory, Clock clock) {
        super(statusResponseFactory, clock);
        this.clock = clock;
    }

    @Override
    protected ImapMessage decode(ImapRequestLineReader request, Tag tag, ImapSession session) throws DecodingException {
        String mailboxName = request.mailbox();
        List<AppendRequest> messages = new ArrayList<>();
        try {
            do {
                messages.add(message(request, mailboxName, tag));
            } while (nextMessageFollows(request));
        } catch (BinaryContent refused) {
            skipRestOfCommand(request);
            return taggedNo(tag, getCommand(), BINARY_NOT_STORED, StatusResponse.ResponseCode.createExtension("UNKNOWN-CTE"));
        } catch (DecodingException malformed) {
            if (!messages.isEmpty()) {
                skipRestOfCommand(request);
            }
            throw malformed;
        }
        return messages.size() == 1 ? messages.get(0) : new MultiAppendRequest(mailboxName, tag, messages);
    }

    /**
     * After a message was read, James's frame decoder no longer drops the rest of a refused
     * command's line (it does so only when the whole command came in one read): the rest, and the
     * literals it announces (continued by ImapLiteralGuard, so the client sends them), are read
     * here, so that the command ends with one BAD and the next one is read from its start. Stops
     * on the last line feed, unconsumed, as {@link ImapRequestLineReader#eol()} does.
     */
    private static void skipRestOfCommand(ImapRequestLineReader request) throws DecodingException {
        StringBuilder line = new StringBuilder();
        while (true) {
            char next = request.nextChar();
            if (next != '\n') {
                line.append(next);
                request.consume();
                continue;
            }
            Matcher literal = LITERAL_AT_END.matcher(line);
            if (!literal.find()) {
                return;
            }
            int size = Integer.parseInt(literal.group(1));
            request.consume();
            line.setLength(0);
            try {
                request.read(size, false);
            } catch (IOException e) {
                throw new DecodingException(SOCKET_IO_FAILURE, "Cannot skip a literal of a refused APPEND", e);
            }
        }
    }

    private AppendRequest message(ImapRequestLineReader request, String mailboxName, Tag tag) throws DecodingException {
        Flags flags = request.nextWordChar() == '(' ? request.flagList() : new Flags();
        LocalDateTime date = request.nextWordChar() == '"' ? request.dateTime() : LocalDateTime.now(clock);
        boolean literal8 = request.nextWordChar() == '~';
        if (literal8) {
            request.consume();
        }
        if (request.nextWordChar() != '{') {
            throw new DecodingException(HumanReadableText.ILLEGAL_ARGUMENTS,
                "Expected a literal for the message");
        }
        Literal content;
        boolean binary;
        try {
            content = request.consumeLiteral(false).right;
            binary = literal8 && !servedAsSent(content);
        } catch (IOException e) {
            throw new DecodingException(SOCKET_IO_FAILURE, "Error copying content", e);
        }
        if (binary) {
            throw new BinaryContent();   // a DecodingException is an IOException: thrown outside the try
        }
        return new AppendRequest(mailboxName, flags, Date.from(date.atZone(ZoneId.systemDefault()).toInstant()), content, tag);
    }

    /** A literal8 message that the store could not give back as it came. */
    private static final class BinaryContent extends DecodingException {
        BinaryContent() {
            super(BINARY_NOT_STORED, "binary content in APPEND");
        }
    }

    /**
     * Whether a message would be served as it was sent: without NUL (which no IMAP literal may
     * carry, so BODY[] could not send it; Dovecot turns such parts into base64 when it saves
     * them, which this does not) and with every LF after a CR (the Maildir store serves a file
     * with bare LFs with CRLF, as Dovecot wrote them). RFC 3516 §4.4 answers any other with
     * NO [UNKNOWN-CTE].
     */
    private static boolean servedAsSent(Literal content) throws IOException {
        try (InputStream in = new BufferedInputStream(content.getInputStream())) {
            int previous = -1;
            for (int octet = in.read(); octet >= 0; octet = in.read()) {
                if (octet == 0 || octet == '\n' && previous != '\r') {
                    return false;
                }
                previous = octet;
            }
            return true;
        }
    }

    /**
     * After a literal: a space means another message (RFC 3502), the end of the line the last one.
     * A command too large for memory is read from a file that holds all of it, up to the line end
     * after its last literal (WholeCommandFrameDecoder), so both cases read the same here.
     */
    private static boolean nextMessageFollows(ImapRequestLineReader request) throws DecodingException {
        if (request.nextChar() != ' ') {
            request.eol();
            return false;
        }
        request.consume();
        return true;
    }
}
