package org.maildeck.mailets.smtpd;

import java.util.List;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.ProtocolHandler;
import org.apache.james.protocols.api.handler.ProtocolHandlerResultHandler;
import org.apache.james.protocols.smtp.SMTPResponse;

/**
 * Keeps every reply line within RFC 5321's 512 octets (4.5.3.1.5, CRLF included): replies that
 * quote the client (an EHLO name, an address in a refusal) could otherwise be as long as the
 * command line, up to {@code commandLineLimit}. A longer line is cut and ends with "...".
 */
public class ReplyLineLimit implements ProtocolHandlerResultHandler<Response, ProtocolSession> {

    static final int MAX_LINE = 510;
    private static final String CUT = "...";
    // "250-" or "250 " in front of each line's text
    private static final int CODE_AND_SEPARATOR = 4;

    @Override
    public Response onResponse(ProtocolSession session, Response response, long executionTime, ProtocolHandler handler) {
        if (response == null || response.getLines().stream().allMatch(line -> line.length() <= MAX_LINE)) {
            return response;
        }
        List<CharSequence> lines = response.getLines();
        SMTPResponse shortened = new SMTPResponse(response.getRetCode(), shortenedText(lines.get(0)));
        lines.stream().skip(1).forEach(line -> shortened.appendLine(shortenedText(line)));
        shortened.setEndSession(response.isEndSession());
        return shortened;
    }

    private static String shortenedText(CharSequence line) {
        if (line.length() <= MAX_LINE) {
            return line.length() < CODE_AND_SEPARATOR ? "" : line.subSequence(CODE_AND_SEPARATOR, line.length()).toString();
        }
        return line.subSequence(CODE_AND_SEPARATOR, MAX_LINE - CUT.length()) + CUT;
    }
}
