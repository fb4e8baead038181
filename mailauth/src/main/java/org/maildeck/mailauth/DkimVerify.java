package org.maildeck.mailauth;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.dnsservice.api.DNSService;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.maildeck.mailets.MailLog;
import org.maildeck.mailets.smtpd.RelayDecision;

/**
 * Checks the DKIM signatures of arriving mail ({@link DkimVerification}) and says what it found in
 * one {@code Authentication-Results} field on top of the message (RFC 8601), e.g.
 * {@code Authentication-Results: mail.example.org; dkim=pass header.d=example.com header.s=sel header.b=AbCdEfGh},
 * and one mail-log line, {@code <queue id>: dkim=pass d=example.com s=sel}. The SPF result of the
 * SMTP session ({@link SpfHook}), when there is one, joins the same header
 * ({@code ; spf=pass smtp.mailfrom=alice@example.com}), and so does DMARC's ({@link DmarcHook}):
 * one header per message. When DmarcHook checked the signatures during the SMTP session, its
 * results are used here, not found a second time.
 *
 * <p>Any Authentication-Results field already naming this server ({@code authservId}) is a forgery
 * (RFC 8601 5) and is removed from every mail, checked or not. Mail from a trusted client (a
 * trusted network, a logged-in sender: {@link RelayDecision#trustedClient}) is not checked: it is
 * ours, about to be signed rather than verified.</p>
 *
 * <p>Why not James's {@code DKIMVerify}: it records one summary string in a mail attribute
 * ("pass (identity ...)" for the passing ones only) and its key lookup is bound by Guice to
 * whatever {@code PublicKeyRecordRetriever} the server provides (none in Maildeck's composition);
 * here each signature gets its own result, with the bounds of {@link DkimVerification}, and keys
 * come through the server's DNSService.</p>
 *
 * <p>Parameters: {@code authservId} (the name in the header, required: the server's host name),
 * {@code maxSignatures} (default 5), {@code maxKeyBits} (default 4096), {@code maxKeyRecordLength}
 * (characters of a key record, default 2048), {@code maxSeconds} (no key lookup starts after this
 * time spent on one message, default 20).</p>
 */
public class DkimVerify extends GenericMailet {

    static final String HEADER = "Authentication-Results";

    private final DNSService dns;
    private final MailAuthCounters counters;
    private DkimVerification verification;
    private String authservId;

    @Inject
    public DkimVerify(DNSService dns, MailAuthCounters counters) {
        this.dns = dns;
        this.counters = counters;
    }

    @Override
    public void init() throws MessagingException {
        authservId = getInitParameter("authservId", "").strip();
        if (authservId.isEmpty() || !authservId.matches("[A-Za-z0-9.-]+")) {
            throw new MessagingException("DkimVerify: authservId must be this server's host name, not '" + authservId + "'");
        }
        verification = DkimVerification.configured(dns, (name, fallback) -> Integer.parseInt(getInitParameter(name, String.valueOf(fallback))));
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        MimeMessage message = mail.getMessage();
        int forged = message.getHeader(HEADER) == null ? 0 : HeaderEdits.removeIf(message, this::namesThisServer);
        if (forged > 0) {
            counters.count("authentication-results-removed");
            MailLog.LOGGER.info("{}: removed {} Authentication-Results header(s) claiming to be from {}", mail.getName(), forged, authservId);
        }
        if (RelayDecision.trustedClient(mail).isPresent()) {
            return;
        }
        Optional<List<String>> checkedInSession = CheckedInSession.dkim(mail);
        List<String> dkim;
        if (checkedInSession.isPresent()) {
            dkim = checkedInSession.get();
        } else {
            List<DkimResult> results = verification.verify(message);
            report(mail, results, counters);
            dkim = results.stream().map(DkimResult::resinfo).toList();
        }
        List<String> resinfos = Stream.of(dkim.stream(), SpfHook.resinfo(mail).stream(), CheckedInSession.dmarc(mail).stream())
            .flatMap(resinfo -> resinfo).toList();
        HeaderEdits.prepend(message, HEADER + ": " + authservId + ";"
            + resinfos.stream().map(resinfo -> (resinfos.size() > 1 ? "\r\n\t" : " ") + resinfo).collect(Collectors.joining(";")));
    }

    /** The counters and mail-log lines of the DKIM results of {@code mail}, wherever they were found. */
    static void report(Mail mail, List<DkimResult> results, MailAuthCounters counters) {
        for (DkimResult result : results) {
            counters.count("dkim=" + result.result());
            MailLog.LOGGER.info("{}: {}", mail.getName(), result.logText());
        }
    }

    /** An Authentication-Results field whose authserv-id (its first word, RFC 8601 2.2) is this server's. */
    private boolean namesThisServer(String fieldLine) {
        int colon = fieldLine.indexOf(':');
        if (colon < 0 || !HEADER.equalsIgnoreCase(fieldLine.substring(0, colon).strip())) {
            return false;
        }
        String value = fieldLine.substring(colon + 1).replaceAll("\\([^)]*\\)", " ").strip();
        String id = value.split("[;\\s]", 2)[0];
        return id.toLowerCase(Locale.ROOT).equals(authservId.toLowerCase(Locale.ROOT));
    }

    @Override
    public String getMailetInfo() {
        return "Maildeck DkimVerify";
    }
}
