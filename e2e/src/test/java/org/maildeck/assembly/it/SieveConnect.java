package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code sieve-connect}, the ManageSieve command-line client, against a server on
 * 127.0.0.1: STARTTLS (the certificate not verified: the test servers' are self-signed) unless
 * made {@link #inClear}, PLAIN, the password on its standard input.
 */
final class SieveConnect {

    static final Path BINARY = Path.of("/usr/bin/sieve-connect");

    record Result(int exitCode, String output) {
    }

    private final int port;
    private final String user;
    private final String password;
    private final boolean tls;

    /** A client that authenticates only over STARTTLS ({@code --noclearauth}). */
    SieveConnect(int port, String user, String password) {
        this(port, user, password, true);
    }

    private SieveConnect(int port, String user, String password, boolean tls) {
        this.port = port;
        this.user = user;
        this.password = password;
        this.tls = tls;
    }

    /** A client for a server that offers no TLS (the test Dovecot's plain listener). */
    static SieveConnect inClear(int port, String user, String password) {
        return new SieveConnect(port, user, password, false);
    }

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    Result upload(Path script, String name) throws Exception {
        return run("--upload", "--localsieve", script.toString(), "--remotesieve", name);
    }

    Result activate(String name) throws Exception {
        return run("--activate", "--remotesieve", name);
    }

    Result list() throws Exception {
        return run("--list");
    }

    Result delete(String name) throws Exception {
        return run("--delete", "--remotesieve", name);
    }

    Result check(Path script) throws Exception {
        return run("--checkscript", "--localsieve", script.toString());
    }

    Result download(String name, Path to) throws Exception {
        return run("--download", "--remotesieve", name, "--localsieve", to.toString());
    }

    Result run(String... action) throws Exception {
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--server", "127.0.0.1", "--port", String.valueOf(port),
            "--user", user, "--passwordfd", "0", "--notlsverify", "--authmech", "PLAIN"));
        command.add(tls ? "--noclearauth" : "--clearchan");
        command.addAll(List.of(action));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write((password + "\n").getBytes(UTF_8));
        } catch (IOException closedEarly) {
            // it failed before reading the password: its output says why
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("sieve-connect did not finish: " + command);
        }
        String output = new String(process.getInputStream().readAllBytes(), UTF_8);
        return new Result(process.exitValue(), output);
    }
}
