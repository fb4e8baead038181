package org.maildeck.assembly.imap.append;

import static org.apache.james.imap.api.display.HumanReadableText.SOCKET_IO_FAILURE;

import java.io.IOException;
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
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.decode.DecodingException;
import org.apache.james.imap.decode.ImapRequestLineReader;
import org.apache.james.imap.decode.parser.AppendCommandParser;
import org.apache.james.imap.message.request.AppendRequest;

/**
 * APPEND with one message or several (RFC 3502 §6: {@code append = "APPEND" SP mailbox 1*append-message},
 * {@code append-message = [SP flag-list] [SP date-time] SP literal}, the literal a literal8 {@code ~{n}}
 * as RFC 3516 §4.4 allows). James 3.8.1 reads one
 * message; one is still given to James's processor as its {@link AppendRequest}, several become a
 * {@link MultiAppendRequest}. Literals are read without James's end-of-line check inside the
 * message stream (which would take the space before the next message for an error): the end of
 * the line is checked after the last one.
 *
 * <p>James's frame decoder sends the continuation of the first synchronising literal only; the
 * following ones are continued by ImapLiteralGuard, which follows the client's literals.</p>
 */
public class MultiAppendCommandParser extends AppendCommandParser {

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
        if (request.nextWordChar() == '~') {
            // RFC 3516 §4.4: the message as a literal8, which may hold NUL; the Maildir keeps any octet
            request.consume();
        }
        if (request.nextWordChar() != '{') {
            throw new DecodingException(HumanReadableText.ILLEGAL_ARGUMENTS,
                "Expected a literal for the message");
        }
        try {
            return new AppendRequest(mailboxName, flags, Date.from(date.atZone(ZoneId.systemDefault()).toInstant()),
                request.consumeLiteral(false).right, tag);
        } catch (IOException e) {
            throw new DecodingException(SOCKET_IO_FAILURE, "Error copying content", e);
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
