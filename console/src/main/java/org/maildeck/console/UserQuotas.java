package org.maildeck.console;

import java.util.Locale;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.core.Username;
import org.apache.james.core.quota.QuotaSizeLimit;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.QuotaRoot;
import org.apache.james.mailbox.quota.MaxQuotaManager;
import org.apache.james.mailbox.quota.QuotaManager;
import org.apache.james.mailbox.quota.UserQuotaRootResolver;
import org.apache.james.util.Size;
import org.maildeck.adminaccess.accounts.AccountRefused;
import org.maildeck.mailets.LimitsFirstQuotaManager;

/**
 * A user's storage limit and usage, as the users page shows and changes them. The limit is one
 * database read; the usage is counted from the user's Maildir (every file of every folder), so
 * it is counted only for users who have a limit ({@link LimitsFirstQuotaManager}): an
 * unlimited user is shown as such, without a count.
 */
public class UserQuotas {

    private final UserQuotaRootResolver roots;
    private final MaxQuotaManager limits;
    private final QuotaManager quotas;

    @Inject
    public UserQuotas(UserQuotaRootResolver roots, MaxQuotaManager limits, LimitsFirstQuotaManager quotas) {
        this.roots = roots;
        this.limits = limits;
        this.quotas = quotas;
    }

    /** "12.5 MiB of 500 MiB", or "unlimited". */
    public String describe(Username user) {
        try {
            QuotaRoot root = roots.forUser(user);
            Optional<QuotaSizeLimit> limit = limits.getMaxStorage(root).filter(size -> !size.isUnlimited());
            if (limit.isEmpty()) {
                return "unlimited";
            }
            long used = quotas.getQuotas(root).getStorageQuota().getUsed().asLong();
            return human(used) + " of " + human(limit.get().asLong());
        } catch (MailboxException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /**
     * Sets the user's storage limit from what the admin typed: a size with an optional unit
     * (K, M, G: 1024-based, as in the configuration files), or {@code unlimited}.
     */
    public String setStorageLimit(Username user, String text) {
        String typed = text.strip().toLowerCase(Locale.ROOT);
        try {
            QuotaRoot root = roots.forUser(user);
            if (typed.equals("unlimited")) {
                limits.removeMaxStorage(root);
                return "unlimited";
            }
            long bytes = parse(text);
            limits.setMaxStorage(root, QuotaSizeLimit.size(bytes));
            return human(bytes);
        } catch (MailboxException e) {
            throw AccountRefused.refused("cannot set the quota of '%s': %s", user.asString(), e.getMessage());
        }
    }

    private static long parse(String text) {
        try {
            long bytes = Size.parse(text.strip().toUpperCase(Locale.ROOT)).asBytes();
            if (bytes > 0) {
                return bytes;
            }
        } catch (IllegalArgumentException e) {
            // below
        }
        throw AccountRefused.usage("malformed storage limit '%s' (a size such as 500M or 2G, or unlimited)", text);
    }

    static String human(long bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " bytes" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]).replace(".0 ", " ");
    }
}
