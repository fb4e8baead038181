package org.maildeck.assembly.cli;

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
    private final boolean noAnswer;

    private AdminFailure(String message, int exitCode, boolean noAnswer) {
        super(message, null, false, false);
        this.exitCode = exitCode;
        this.noAnswer = noAnswer;
    }

    static AdminFailure refused(String format, Object... args) {
        return new AdminFailure(String.format(format, args), REFUSED, false);
    }

    /** No answer where the server would be (not running, not yet or no longer answering): for {@code status}, a state rather than a failure. */
    static AdminFailure noAnswer(String format, Object... args) {
        return new AdminFailure(String.format(format, args), REFUSED, true);
    }

    static AdminFailure usage(String format, Object... args) {
        return new AdminFailure(String.format(format, args), USAGE, false);
    }

    boolean noAnswer() {
        return noAnswer;
    }

    int exitCode() {
        return exitCode;
    }
}
