package org.maildeck.installer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A {@link DebianRoot} booted with systemd as its PID 1 ({@code systemd-nspawn --boot}), in a
 * network namespace of its own with only loopback, so its ports 25 and 143 are its own. The
 * test host need not run systemd: nspawn registers with no machine manager
 * ({@code --register=no}) and makes no scope unit ({@code --keep-unit}). Commands reach the
 * booted system through {@code nsenter} into its PID 1's namespaces.
 */
final class BootedSystem implements AutoCloseable {

    private static final Duration BOOT = Duration.ofMinutes(2);
    private static final Duration SHORT = Duration.ofSeconds(60);

    private final Process nspawn;
    private final long init;

    private BootedSystem(Process nspawn, long init) {
        this.nspawn = nspawn;
        this.init = init;
    }

    /** Boots {@code root}; returns once systemd says the system is up ({@code running} or {@code degraded}). */
    static BootedSystem boot(DebianRoot root, Path console) throws InterruptedException {
        Process nspawn;
        try {
            nspawn = new ProcessBuilder("systemd-nspawn", "--quiet", "--directory=" + root.path(), "--boot",
                    "--register=no", "--keep-unit", "--private-network",
                    "--machine=maildeck-" + UUID.randomUUID().toString().substring(0, 8))
                .redirectErrorStream(true).redirectOutput(console.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + BOOT.toNanos();
        while (nspawn.isAlive() && nspawn.children().findAny().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (!nspawn.isAlive() || nspawn.children().findAny().isEmpty()) {
            nspawn.destroyForcibly();
            throw new AssertionError("systemd-nspawn did not start the root's systemd; console in " + console);
        }
        BootedSystem system = new BootedSystem(nspawn, nspawn.children().findFirst().orElseThrow().pid());
        String state = "";
        while (System.nanoTime() < deadline) {
            state = system.run(SHORT, "systemctl", "is-system-running", "--wait").output().trim();
            if (state.equals("running") || state.equals("degraded")) {
                return system;
            }
            Thread.sleep(500);
        }
        system.close();
        throw new AssertionError("the booted system is " + state + " after " + BOOT + "; console in " + console);
    }

    /** {@code command}, as run by root inside the booted system. */
    HostCommand.Result run(Duration timeout, String... command) {
        return HostCommand.run(timeout, entered("-a", List.of(command)));
    }

    HostCommand.Result run(Duration timeout, String input, List<String> command) {
        return HostCommand.run(timeout, entered("-a", command), input);
    }

    /** A command of the test host, run in the booted system's network (its loopback, its ports). */
    HostCommand.Result inItsNetwork(Duration timeout, List<String> command) {
        return HostCommand.run(timeout, entered("-n", command));
    }

    /** A unit's property, e.g. {@code property("maildeck", "MainPID")}. */
    String property(String unit, String name) {
        return run(SHORT, "systemctl", "show", "--property=" + name, "--value", unit).orFail().output().trim();
    }

    private List<String> entered(String namespaces, List<String> command) {
        List<String> entered = new ArrayList<>(List.of("nsenter", "--target", String.valueOf(init), namespaces, "--"));
        entered.addAll(command);
        return entered;
    }

    /** Powers the system off as systemd does, which stops the services; kills it if that takes too long. */
    @Override
    public void close() throws InterruptedException {
        if (nspawn.isAlive()) {
            HostCommand.run(SHORT, entered("-a", List.of("systemctl", "--no-block", "poweroff")));
            if (!nspawn.waitFor(BOOT.toSeconds(), TimeUnit.SECONDS)) {
                nspawn.descendants().forEach(ProcessHandle::destroyForcibly);
                nspawn.destroyForcibly();
                nspawn.waitFor(SHORT.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }
}
