package org.maildeck.contentfilter;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;

import org.maildeck.antispam.SpamdClient;
import org.maildeck.antispam.SpamdException;
import org.maildeck.antispam.SpamdResult;

/**
 * SpamAssassin on the route: spamd scores the message ({@code SYMBOLS}). Mail larger than
 * {@code maxSize} is not sent (amavisd's {@code $sa_mail_body_size_limit}: spam is small, and
 * spamd's time grows with size); mail found infected is not scored unless configured otherwise.
 */
public final class SpamdScanner extends NamedScanner {

    public static final String NAME = "spamassassin";
    private static final String ENGINE = "SpamAssassin";

    private final SpamdClient spamd;
    private final long maxSize;
    private final boolean skipInfected;

    public SpamdScanner(SpamdClient spamd, Duration timeout, long maxSize, boolean skipInfected) {
        super(NAME, timeout);
        this.spamd = spamd;
        this.maxSize = maxSize;
        this.skipInfected = skipInfected;
    }

    @Override
    public boolean skipsInfectedMail() {
        return skipInfected;
    }

    @Override
    public ScannerVerdict scan(ScanInput message) throws IOException {
        byte[] content;
        try (InputStream in = message.openStream()) {
            content = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxSize + 1));
        }
        if (content.length > maxSize) {
            return new ScannerVerdict.Unchecked(NAME, "larger than " + maxSize + " bytes");
        }
        SpamdResult result;
        try {
            result = spamd.check(content, Optional.empty());
        } catch (SpamdException e) {
            throw ScannerTimeoutException.whenTimedOut(e);
        }
        return new ScannerVerdict.Scored(NAME, ENGINE, result.score(), result.threshold(), result.symbols());
    }
}
