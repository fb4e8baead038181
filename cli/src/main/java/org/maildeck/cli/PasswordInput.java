package org.maildeck.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.Arrays;

/** Where a new password comes from: the first line of stdin, or typed twice on the terminal. */
final class PasswordInput {

    private PasswordInput() {
    }

    static String read(boolean fromStdin, String address) {
        // an empty one is refused by the account rules (Accounts)
        return fromStdin ? firstLineOfStdin() : typedTwice(address);
    }

    private static String firstLineOfStdin() {
        try {
            // Not closed: System.in belongs to the process.
            String line = new BufferedReader(new InputStreamReader(System.in, UTF_8)).readLine();
            return line == null ? "" : line;
        } catch (IOException e) {
            throw AdminFailure.refused("cannot read the password from standard input: %s", e.getMessage());
        }
    }

    private static String typedTwice(String address) {
        Console console = System.console();
        if (console == null) {
            throw AdminFailure.usage("no terminal to ask for the password; give it on standard input with --password-stdin");
        }
        char[] first = console.readPassword("New password for %s: ", address);
        if (first == null || first.length == 0) {
            return "";
        }
        char[] second = console.readPassword("Repeat the password: ");
        try {
            if (!Arrays.equals(first, second)) {
                throw AdminFailure.refused("passwords do not match");
            }
            return new String(first);
        } finally {
            Arrays.fill(first, ' ');
            if (second != null) {
                Arrays.fill(second, ' ');
            }
        }
    }
}
