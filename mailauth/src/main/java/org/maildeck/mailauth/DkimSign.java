package org.maildeck.mailauth;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.apache.james.filesystem.api.FileSystem;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.maildeck.mailets.MailLog;

/**
 * Signs mail with the DKIM key of its From: domain (RFC 6376: rsa-sha256, relaxed/relaxed), for
 * every domain with a key in the key directory ({@link DkimKeyRing}); mail of other domains goes
 * on unsigned. One mail-log line per signature: {@code <queue id>: dkim-sign: d=example.org, s=mail}.
 *
 * <p>Why not James's {@code DKIMSign}: it holds one key and one template (one domain) per mailet,
 * read from the mailet's configuration; a server with many domains, whose keys come and go with
 * {@code maildeck dkim keygen}, needs the key chosen per message. The signing itself is
 * {@link DkimSigning}'s, on jDKIM. ed25519-sha256 (RFC 8463) is not
 * offered: jDKIM 0.3 makes every key an RSA key ({@code KeyFactory "RSA"}) and signs the canonical
 * headers in one JCA {@code Signature}, while Ed25519 in DKIM signs their SHA-256 hash, a step jDKIM has
 * no place for; and receivers still require RSA, so an ed25519 signature could only be a second one.</p>
 *
 * <p>Parameters: {@code keyDirectory} (default {@code file://conf/dkim}), {@code headers} (the fields
 * to sign, colon-separated; a listed field the message lacks is signed as absent, so that it cannot be
 * added later), {@code recheckSeconds} (how often the directory is looked at for new keys, default 10).</p>
 *
 * <p>Put it last before RemoteDelivery: any later change to the message breaks the signature. Mail
 * with 8-bit content sent to a server without 8BITMIME is converted to 7 bit by RemoteDelivery after
 * signing and will fail verification there, as James's DKIMSign documentation warns.</p>
 */
public class DkimSign extends GenericMailet {

    private final FileSystem fileSystem;
    private final MailAuthCounters counters;
    private DkimKeyRing keys;
    private DkimSigning signing;

    @Inject
    public DkimSign(FileSystem fileSystem, MailAuthCounters counters) {
        this.fileSystem = fileSystem;
        this.counters = counters;
    }

    @Override
    public void init() throws MessagingException {
        try {
            signing = new DkimSigning(getInitParameter("headers", DkimSigning.DEFAULT_HEADERS));
        } catch (IllegalArgumentException e) {
            throw new MessagingException("DkimSign: " + e.getMessage(), e);
        }
        Path directory;
        try {
            directory = fileSystem.getFile(getInitParameter("keyDirectory", "file://conf/" + DkimKeyFile.DIRECTORY)).toPath();
        } catch (IOException e) {
            throw new MessagingException("DkimSign: keyDirectory: " + e.getMessage(), e);
        }
        keys = new DkimKeyRing(directory, Duration.ofSeconds(Integer.parseInt(getInitParameter("recheckSeconds", "10"))), Clock.systemUTC());
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        MimeMessage message = mail.getMessage();
        Optional<DkimKeyFile> key = fromDomain(message).flatMap(keys::forDomain);
        if (key.isEmpty()) {
            return;
        }
        HeaderEdits.prepend(message, signing.signatureField(message, key.get()));
        counters.count("dkim-sign");
        MailLog.LOGGER.info("{}: dkim-sign: d={}, s={}", mail.getName(), key.get().domain(), key.get().selector());
    }

    /** The domain of the message's one From: address; none for a missing, unparsable or multi-address From:. */
    static Optional<String> fromDomain(MimeMessage message) throws MessagingException {
        String[] from = message.getHeader("From");
        if (from == null || from.length != 1) {
            return Optional.empty();
        }
        try {
            InternetAddress[] addresses = InternetAddress.parseHeader(from[0], false);
            if (addresses.length != 1) {
                return Optional.empty();
            }
            String address = addresses[0].getAddress();
            int at = address == null ? -1 : address.lastIndexOf('@');
            return at < 0 ? Optional.empty() : Optional.of(address.substring(at + 1).toLowerCase(Locale.ROOT));
        } catch (AddressException e) {
            return Optional.empty();
        }
    }

    @Override
    public String getMailetInfo() {
        return "Maildeck DkimSign";
    }
}
