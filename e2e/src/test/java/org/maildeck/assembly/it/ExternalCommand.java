package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * A tool of the machine that a test daemon's harness runs to its end (doveadm, dovecot-lda,
 * postqueue, chown as root): its output, standard error included, or a failure that says
 * what ran and shows that output.
 */
final class ExternalCommand {

    private static final long WAIT_SECONDS = 60;

    private ExternalCommand() {
    }

    /**
     * Runs {@code command} with {@code input} on its standard input (then closed) and returns its
     * output; throws if it exits non-zero or runs longer than a minute. {@code what} names it in
     * the failure.
     */
    static String output(ProcessBuilder command, byte[] input, String what) {
        try {
            Process process = command.redirectErrorStream(true).start();
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(input);
            }
            String output = new String(process.getInputStream().readAllBytes(), UTF_8);
            if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(what + " did not finish:\n" + output);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(what + " exited " + process.exitValue() + ":\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
