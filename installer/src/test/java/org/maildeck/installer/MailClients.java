package org.maildeck.installer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The Python mail clients (smtplib, imaplib; {@code mail_clients.py}) run where the installed
 * server's ports are: a network namespace, or a booted system's network.
 */
final class MailClients {

    private static final Duration DELIVERY = Duration.ofSeconds(60);

    private final Function<List<String>, HostCommand.Result> inTheServersNetwork;

    MailClients(Function<List<String>, HostCommand.Result> inTheServersNetwork) {
        this.inTheServersNetwork = inTheServersNetwork;
    }

    /** Sends one message over SMTP on port 25; the output has the greeting, the EHLO code, the refused recipients and "sent". */
    HostCommand.Result send(String from, String to, String subject) {
        return run("smtp", "25", from, to, subject);
    }

    /**
     * Delivery is asynchronous (queue, content filter): polls IMAP on port 143 for up to a minute,
     * until {@code wanted} INBOX messages contain {@code text}; returns the last count, or fails with
     * the client's output if the last poll could not log in or read.
     */
    int awaitImapCount(String user, String password, String text, int wanted) throws InterruptedException {
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        HostCommand.Result last;
        int found = -1;
        do {
            last = run("imap", "143", user, password, text);
            if (last.exitCode() == 0) {
                found = Integer.parseInt(last.output().replaceAll("(?s).*found (\\d+).*", "$1"));
                if (found >= wanted) {
                    return found;
                }
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        last.orFail();
        return found;
    }

    private HostCommand.Result run(String... arguments) {
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", BuiltPackages.mailClients().toString()));
        command.addAll(List.of(arguments));
        return inTheServersNetwork.apply(command);
    }
}
