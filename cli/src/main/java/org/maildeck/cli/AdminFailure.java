package org.maildeck.cli;

/**
 * Why an admin command could not be done, as the one line printed on stderr (after
 * {@code maildeck: }) and the process exit code. Every expected failure is reported this way
 * so that scripts see one stable line and never a stack trace.
 */
final class AdminFailure extends RuntimeException {

    /** The server refused the operation, or could not be asked. */
    static final int REFUSED = 1;
    /** The command line itself is wrong: unknown command, missing or malformed argument. */
    static final int USAGE = 2;

    private final int exitCode;
    private final boolean serverNotRunning;

    private AdminFailure(String message, int exitCode, boolean serverNotRunning) {
        super(message, null, false, false);
        this.exitCode = exitCode;
        this.serverNotRunning = serverNotRunning;
    }

    static AdminFailure refused(String format, Object... args) {
        return new AdminFailure(String.format(format, args), REFUSED, false);
    }

    /** Nothing listens where the server would: it does not run (or has not opened its ports yet). */
    static AdminFailure serverNotRunning(String format, Object... args) {
        return new AdminFailure(String.format(format, args), REFUSED, true);
    }

    static AdminFailure usage(String format, Object... args) {
        return new AdminFailure(String.format(format, args), USAGE, false);
    }

    int exitCode() {
        return exitCode;
    }

    boolean serverNotRunning() {
        return serverNotRunning;
    }
}
