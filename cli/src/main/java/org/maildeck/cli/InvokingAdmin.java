package org.maildeck.cli;

/** Who runs an admin command, for the mail log lines of what it changes. */
final class InvokingAdmin {

    private InvokingAdmin() {
    }

    /** The admin's login, also behind sudo: {@code alice (via sudo as root)}. */
    static String name() {
        String sudoUser = System.getenv("SUDO_USER");
        String user = System.getProperty("user.name", "unknown");
        return sudoUser == null || sudoUser.isBlank() ? user : sudoUser + " (via sudo as " + user + ")";
    }
}
