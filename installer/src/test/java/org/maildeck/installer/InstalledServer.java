package org.maildeck.installer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The installed server started the way maildeck.service starts it, without systemd (there is
 * none in the test root): the unit's {@code ExecStart} command as its {@code User}/{@code Group},
 * with its {@code AmbientCapabilities} and {@code NoNewPrivileges}, given by setpriv, and the
 * settings of the unit's {@code EnvironmentFile}s that exist in the root (the admin's
 * /etc/default/maildeck).
 */
public final class InstalledServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final Process process;
    private final Path log;

    private InstalledServer(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static InstalledServer startAsTheUnitDoes(DebianRoot root, NetworkNamespace network, String unitFile, Path log)
            throws IOException, InterruptedException {
        List<String> unit = Files.readAllLines(root.file(unitFile));
        List<String> command = new ArrayList<>(List.of("setpriv",
            "--reuid=" + setting(unit, "User"), "--regid=" + setting(unit, "Group"), "--init-groups"));
        String capabilities = setting(unit, "AmbientCapabilities");
        for (String capability : capabilities.split("\\s+")) {
            String name = "+" + capability.toLowerCase(Locale.ROOT).replaceFirst("^cap_", "");
            command.add("--inh-caps=" + name);
            command.add("--ambient-caps=" + name);
        }
        if (setting(unit, "NoNewPrivileges").equals("true")) {
            command.add("--no-new-privs");
        }
        command.add("--");
        command.addAll(List.of(setting(unit, "ExecStart").split("\\s+")));
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(network.wrap(root.insideStoppable(command)));
        builder.environment().putAll(environmentFiles(root, unit));
        Process process = builder
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
            .start();
        InstalledServer server = new InstalledServer(process, log);
        server.awaitReady();
        return server;
    }

    static String setting(List<String> unit, String key) {
        return unit.stream()
            .filter(line -> line.startsWith(key + "="))
            .map(line -> line.substring(key.length() + 1).trim())
            .reduce((first, second) -> second)
            .orElseThrow(() -> new AssertionError("maildeck.service has no " + key + "="));
    }

    /**
     * The {@code KEY=VALUE} lines of the unit's {@code EnvironmentFile=}s, as systemd reads them
     * (a leading {@code -}: the file may be missing); comments and blank lines skipped.
     */
    static Map<String, String> environmentFiles(DebianRoot root, List<String> unit) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String line : unit) {
            if (!line.startsWith("EnvironmentFile=")) {
                continue;
            }
            String name = line.substring("EnvironmentFile=".length()).trim();
            boolean optional = name.startsWith("-");
            Path file = root.file(optional ? name.substring(1) : name);
            if (optional && !Files.exists(file)) {
                continue;
            }
            for (String setting : Files.readAllLines(file)) {
                String trimmed = setting.trim();
                int equals = trimmed.indexOf('=');
                if (!trimmed.isEmpty() && !trimmed.startsWith("#") && !trimmed.startsWith(";") && equals > 0) {
                    settings.put(trimmed.substring(0, equals).trim(), unquoted(trimmed.substring(equals + 1).trim()));
                }
            }
        }
        return settings;
    }

    private static String unquoted(String value) {
        boolean quoted = value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"));
        return quoted ? value.substring(1, value.length() - 1) : value;
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.readString(log).contains(" ready in ")) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("the installed server exited (" + process.exitValue() + "):\n" + Files.readString(log));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the installed server was not ready within " + START_TIMEOUT + ":\n" + Files.readString(log));
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    /** SIGTERM, as systemctl stop sends it; the exit status the unit counts as success. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the installed server did not stop within the unit's TimeoutStopSec (90 s)");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}
