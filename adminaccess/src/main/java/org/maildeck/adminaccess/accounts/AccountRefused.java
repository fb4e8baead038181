package org.maildeck.adminaccess.accounts;

/**
 * Why a change of domains, accounts or aliases was not made, in one line an admin reads: the
 * admin commands print it after {@code maildeck: } (exit code 2 for {@link #usage()}, 1
 * otherwise), the web console shows it above the form.
 */
public final class AccountRefused extends RuntimeException {

    private final boolean usage;

    private AccountRefused(String message, boolean usage) {
        super(message, null, false, false);
        this.usage = usage;
    }

    /** The store refused the change, or it would contradict what is stored. */
    public static AccountRefused refused(String format, Object... args) {
        return new AccountRefused(String.format(format, args), false);
    }

    /** The input itself is malformed (an address or domain that cannot be one). */
    public static AccountRefused usage(String format, Object... args) {
        return new AccountRefused(String.format(format, args), true);
    }

    public boolean usage() {
        return usage;
    }
}
