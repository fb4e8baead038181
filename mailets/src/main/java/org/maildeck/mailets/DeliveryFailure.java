package org.maildeck.mailets;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a recipient did not get a message, as a delivery status notification states it (RFC 3464
 * 2.3.4 and 2.3.6): the enhanced status code ({@code 5.1.1}, RFC 3463) and, when there is one,
 * the diagnostic ({@code smtp; 550 5.1.1 <bob@example.com>: User unknown}).
 * <p>
 * Reasons come in three forms: an SMTP reply (the receiving server's, or the one the SMTP
 * session would have given), whose enhanced code is the status (else {@code 5.0.0} or
 * {@code 4.0.0} by its class) and which is the {@code smtp} diagnostic; an enhanced code
 * followed by a text of the server's own ({@code 4.4.1 connect to mx.example.com[192.0.2.1]:25:
 * Connection refused}), an {@code X-Maildeck} diagnostic as Postfix writes {@code X-Postfix};
 * any other text, which gets the fallback status.
 */
public record DeliveryFailure(String status, Optional<String> diagnosticCode) {

    private static final Pattern SMTP_REPLY = Pattern.compile("([245])\\d\\d(?:[ -]+([245]\\.\\d{1,3}\\.\\d{1,3})(?=\\s|$))?(?:[ -].*)?",
        Pattern.DOTALL);
    private static final Pattern STATUS_AND_TEXT = Pattern.compile("([245]\\.\\d{1,3}\\.\\d{1,3})(?:\\s+(.*))?", Pattern.DOTALL);
    /** Diagnostic texts are cut here: a field line stays far below RFC 5322's 998 characters. */
    private static final int MAX_TEXT = 900;

    public static DeliveryFailure from(String reason, String fallbackStatus) {
        String text = oneLine(reason);
        Matcher reply = SMTP_REPLY.matcher(text);
        if (reply.matches()) {
            String status = reply.group(2) != null ? reply.group(2) : reply.group(1) + ".0.0";
            return new DeliveryFailure(status, Optional.of("smtp; " + text));
        }
        Matcher own = STATUS_AND_TEXT.matcher(text);
        if (own.matches()) {
            return new DeliveryFailure(own.group(1), Optional.ofNullable(own.group(2)).map(DeliveryFailure::ownDiagnostic));
        }
        return new DeliveryFailure(fallbackStatus, text.isEmpty() ? Optional.empty() : Optional.of(ownDiagnostic(text)));
    }

    /** As {@link RecipientFailures} keeps it on a mail: the status, a space, the diagnostic. */
    String encoded() {
        return status + diagnosticCode.map(code -> " " + code).orElse("");
    }

    static DeliveryFailure decode(String encoded) {
        int space = encoded.indexOf(' ');
        return space < 0 ? new DeliveryFailure(encoded, Optional.empty())
            : new DeliveryFailure(encoded.substring(0, space), Optional.of(encoded.substring(space + 1)));
    }

    /** The text for people: the SMTP reply or the server's own reason, without the diagnostic type. */
    public Optional<String> text() {
        return diagnosticCode.map(code -> code.substring(code.indexOf(';') + 2));
    }

    private static String ownDiagnostic(String text) {
        return "X-Maildeck; " + text;
    }

    /**
     * One line of printable ASCII: a remote server's reply goes into header-like fields, where
     * a line break would start a field of its choosing and 8-bit bytes have no place.
     */
    private static String oneLine(String reason) {
        String line = reason == null ? "" : reason.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ").replaceAll("[^\\x20-\\x7e]", "?");
        return line.length() > MAX_TEXT ? line.substring(0, MAX_TEXT) + "..." : line;
    }
}
