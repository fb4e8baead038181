package org.maildeck.contentfilter;

import java.io.IOException;
import java.time.Duration;

import org.maildeck.antivirus.ClamdClient;
import org.maildeck.antivirus.ClamdException;
import org.maildeck.antivirus.ScanResult;

/** ClamAV on the route: the message streamed to clamd as it is (clamd decodes MIME and archives). */
public final class ClamdScanner extends NamedScanner {

    public static final String NAME = "clamav";

    private final ClamdClient clamd;
    private volatile String engine;

    public ClamdScanner(ClamdClient clamd, Duration timeout) {
        super(NAME, timeout);
        this.clamd = clamd;
    }

    /**
     * The client cuts every wait of the scan at the time limit. Not the first scan's question for
     * clamd's version (once per server run, on its own connection, bounded by the client's
     * connect and read timeouts), and a connect timeout longer than the limit.
     */
    @Override
    public boolean limitsItsOwnTime() {
        return true;
    }

    @Override
    public ScannerVerdict scan(ScanInput message) throws IOException {
        String engineVersion;
        ScanResult result;
        try {
            engineVersion = engine();
            result = clamd.scan(message::openStream, timeout());
        } catch (ClamdException e) {
            throw ScannerTimeoutException.whenTimedOut(e);
        }
        if (result instanceof ScanResult.Infected infected) {
            return new ScannerVerdict.Infected(NAME, engineVersion, infected.signature());
        }
        if (result instanceof ScanResult.TooLarge tooLarge) {
            return new ScannerVerdict.Unchecked(NAME, "larger than clamd's StreamMaxLength (" + tooLarge.limitBytes() + " bytes)");
        }
        return new ScannerVerdict.Clean(NAME, engineVersion);
    }

    /* Asked on the first scan that reaches clamd, then kept: the header does not need a fresh value per message. */
    private String engine() throws ClamdException {
        String known = engine;
        if (known == null) {
            known = clamd.engineVersion();
            engine = known;
        }
        return known;
    }
}
