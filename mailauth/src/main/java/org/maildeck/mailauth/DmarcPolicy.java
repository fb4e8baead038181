package org.maildeck.mailauth;

import java.util.Locale;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.maildeck.mailauth.DmarcRecord.Policy;

/**
 * What this server does with a DMARC failure, per the domain's policy, read once from
 * {@link DmarcHook}'s parameters: {@code onReject} ({@code reject}, the default: refused at
 * the end of DATA with {@code 550 5.7.26}; {@code quarantine}: to the Junk folder; {@code mark}:
 * only the header) and {@code onQuarantine} ({@code quarantine}, the default, or {@code mark}).
 * {@code p=none} is only marked, and so is anything but a fail.
 */
final class DmarcPolicy {

    enum Action { REFUSE, JUNK, MARK }

    private final Action onReject;
    private final Action onQuarantine;

    DmarcPolicy(Action onReject, Action onQuarantine) {
        this.onReject = onReject;
        this.onQuarantine = onQuarantine;
    }

    static DmarcPolicy from(Configuration config) throws ConfigurationException {
        Action onReject = switch (config.getString("onReject", "reject").strip().toLowerCase(Locale.ROOT)) {
            case "reject" -> Action.REFUSE;
            case "quarantine" -> Action.JUNK;
            case "mark" -> Action.MARK;
            default -> throw new ConfigurationException("DMARC <onReject>: '" + config.getString("onReject") + "' is none of reject, quarantine, mark");
        };
        Action onQuarantine = switch (config.getString("onQuarantine", "quarantine").strip().toLowerCase(Locale.ROOT)) {
            case "quarantine" -> Action.JUNK;
            case "mark" -> Action.MARK;
            default -> throw new ConfigurationException("DMARC <onQuarantine>: '" + config.getString("onQuarantine") + "' is neither quarantine nor mark");
        };
        return new DmarcPolicy(onReject, onQuarantine);
    }

    Action actionFor(DmarcResult result) {
        if (!result.result().equals("fail")) {
            return Action.MARK;
        }
        return result.disposition() == Policy.REJECT ? onReject
            : result.disposition() == Policy.QUARANTINE ? onQuarantine
            : Action.MARK;
    }
}
