package org.maildeck.installer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A command run on the test host, its output (stdout and stderr together) kept for the assertion messages. */
public final class HostCommand {

    public record Result(List<String> command, int exitCode, String output) {
        public Result orFail() {
            if (exitCode != 0) {
                throw new AssertionError("exit " + exitCode + " from " + String.join(" ", command) + ":\n" + output);
            }
            return this;
        }

        @Override
        public String toString() {
            return String.join(" ", command) + " -> exit " + exitCode + "\n" + output;
        }
    }

    private HostCommand() {
    }

    public static Result run(Duration timeout, List<String> command) {
        return run(timeout, command, null);
    }

    /** Runs {@code command} with {@code input} (or nothing) on its standard input. */
    public static Result run(Duration timeout, List<String> command, String input) {
        return run(timeout, Map.of(), command, input);
    }

    /** Runs {@code command} with {@code environment} added to the test's own. */
    public static Result run(Duration timeout, Map<String, String> environment, List<String> command) {
        return run(timeout, environment, command, null);
    }

    private static Result run(Duration timeout, Map<String, String> environment, List<String> command, String input) {
        try {
            Path output = Files.createTempFile("maildeck-cmd", ".out");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
                builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
                builder.environment().put("LC_ALL", "C");
                builder.environment().putAll(environment);
                Process process = builder.start();
                try (var stdin = process.getOutputStream()) {
                    if (input != null) {
                        stdin.write(input.getBytes(StandardCharsets.UTF_8));
                    }
                }
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("no end within " + timeout + ": " + String.join(" ", command) + "\n" + Files.readString(output));
                }
                return new Result(command, process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + command, e);
        }
    }

    public static Result run(Duration timeout, String... command) {
        return run(timeout, List.of(command));
    }
}
