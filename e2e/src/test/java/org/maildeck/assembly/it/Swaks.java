package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs swaks (the Debian package), the SMTP test tool admins use, and keeps its transcript:
 * lines starting {@code <} are the server's replies.
 */
final class Swaks {

    /** swaks marks server lines {@code <-} ({@code <**} an error), over TLS {@code <~} ({@code <~*}). */
    private static final Pattern SERVER_LINE = Pattern.compile("^<[-~*]{1,2}\\s+(.*)$");

    record Run(int exitCode, String transcript) {
        /** A server reply line starting with {@code reply}; in clear or over TLS, success or error. */
        boolean serverSaid(String reply) {
            return transcript.lines().map(SERVER_LINE::matcher).filter(Matcher::matches)
                .anyMatch(line -> line.group(1).startsWith(reply));
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n" + transcript;
        }
    }

    private final List<String> args = new ArrayList<>(List.of("swaks", "--timeout", "30", "--ehlo", "client.test"));

    static Swaks to(int port) {
        Swaks swaks = new Swaks();
        swaks.args.addAll(List.of("--server", "127.0.0.1:" + port));
        return swaks;
    }

    /** The client's address: 127.0.0.1 is trusted by the shipped configuration, 127.0.0.2 and up are not. */
    Swaks from(String localAddress) {
        args.addAll(List.of("--local-interface", localAddress));
        return this;
    }

    Swaks envelope(String sender, String recipient) {
        args.addAll(List.of("--from", sender, "--to", recipient));
        return this;
    }

    Swaks subject(String subject) {
        args.addAll(List.of("--header", "Subject: " + subject));
        return this;
    }

    /** One more header field of the message, e.g. {@code From: <ceo@example.com>}. */
    Swaks header(String field) {
        args.addAll(List.of("--header", field));
        return this;
    }

    Swaks startTls() {
        args.add("--tls");
        return this;
    }

    Swaks implicitTls() {
        args.add("--tlsc");
        return this;
    }

    Swaks auth(String mechanism, String user, String password) {
        args.addAll(List.of("--auth", mechanism, "--auth-user", user, "--auth-password", password));
        return this;
    }

    Swaks quitAfter(String stage) {
        args.addAll(List.of("--quit-after", stage));
        return this;
    }

    Run run() throws IOException, InterruptedException {
        Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("swaks did not finish: " + String.join(" ", args));
        }
        Run run = new Run(process.exitValue(), new String(output, UTF_8));
        System.out.println("[swaks] " + String.join(" ", args) + "\n" + run);
        return run;
    }
}
