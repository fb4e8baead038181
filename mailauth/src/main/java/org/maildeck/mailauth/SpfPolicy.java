package org.maildeck.mailauth;

import java.util.Locale;
import java.util.Optional;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.maildeck.mailets.smtpd.SessionReject;

/**
 * What the SMTP session does with each SPF result, read once from the handler's parameters:
 * {@code onFail} ({@code reject}, default, or {@code accept}), {@code onTempError}
 * ({@code tempfail}, default, or {@code accept}), {@code onPermError} ({@code reject} or
 * {@code accept}, default: a broken record is the sender's mistake, not proof of forgery, and
 * many receivers accept it) and {@code refuseAt} ({@code mail}, default, or {@code rcpt}: some
 * clients retry a refused MAIL at once but give up on refused recipients). softfail, neutral and
 * none are always accepted (RFC 7208 8.4-8.6: not enough to refuse on).
 *
 * <p>The replies use RFC 7372's codes: {@code 550 5.7.23} (SPF validation failed),
 * {@code 550 5.7.24} and {@code 451 4.7.24} (SPF validation error, permanent and temporary).</p>
 */
final class SpfPolicy {

    enum Stage { MAIL, RCPT }

    private final boolean rejectFail;
    private final boolean tempfailTempError;
    private final boolean rejectPermError;
    private final Stage refuseAt;

    SpfPolicy(boolean rejectFail, boolean tempfailTempError, boolean rejectPermError, Stage refuseAt) {
        this.rejectFail = rejectFail;
        this.tempfailTempError = tempfailTempError;
        this.rejectPermError = rejectPermError;
        this.refuseAt = refuseAt;
    }

    static SpfPolicy from(Configuration config) throws ConfigurationException {
        return new SpfPolicy(
            choice(config, "onFail", "reject", "reject", "accept"),
            choice(config, "onTempError", "tempfail", "tempfail", "accept"),
            choice(config, "onPermError", "accept", "reject", "accept"),
            choice(config, "refuseAt", "mail", "mail", "rcpt") ? Stage.MAIL : Stage.RCPT);
    }

    /** True when the parameter is {@code first}, false when {@code second}; anything else is an error. */
    private static boolean choice(Configuration config, String name, String fallback, String first, String second) throws ConfigurationException {
        String value = config.getString(name, fallback).strip().toLowerCase(Locale.ROOT);
        if (!value.equals(first) && !value.equals(second)) {
            throw new ConfigurationException("SPF <" + name + ">: '" + value + "' is neither " + first + " nor " + second);
        }
        return value.equals(first);
    }

    Stage refuseAt() {
        return refuseAt;
    }

    /** The refusal that {@code result} earns a client at {@code clientIp}, if any. */
    Optional<SessionReject> refusal(SpfResult result, String clientIp) {
        String about = result.identity() + " from [" + clientIp + "]";
        return switch (result.result()) {
            case "fail" -> rejectFail
                ? Optional.of(SessionReject.permanent("550", "5.7.23 SPF validation failed: " + about + " not permitted"))
                : Optional.empty();
            case "permerror" -> rejectPermError
                ? Optional.of(SessionReject.permanent("550", "5.7.24 SPF validation error: the SPF record for " + about + " is invalid"))
                : Optional.empty();
            case "temperror" -> tempfailTempError
                ? Optional.of(SessionReject.temporary("451", "4.7.24 SPF validation error: DNS lookup for " + about + " failed, try again later"))
                : Optional.empty();
            default -> Optional.empty();
        };
    }
}
