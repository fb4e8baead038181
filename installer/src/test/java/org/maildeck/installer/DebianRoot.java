package org.maildeck.installer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Debian bookworm root made with debootstrap, to install the packages into. The base root
 * (minbase, package lists, the Java runtime's .debs downloaded but not installed) is built once
 * and kept in {@code maildeck.packageTest.cache} (default /var/cache/maildeck-tests); every
 * test class works on a fresh copy of it, so that apt still resolves and installs the
 * dependencies of the package under test.
 */
public final class DebianRoot implements AutoCloseable {

    /** Changed whenever what the base root holds changes, so that an old cache is rebuilt. */
    private static final String RECIPE = "bookworm minbase + lists + default-jre-headless downloaded, v1";
    private static final String MIRROR = System.getenv().getOrDefault("MAILDECK_DEBIAN_MIRROR", "http://deb.debian.org/debian");
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(20);

    private final Path root;

    private DebianRoot(Path root) {
        this.root = root;
    }

    /** A fresh copy of the cached base root at {@code where} (which must not exist yet). */
    public static DebianRoot freshCopy(Path where) throws IOException {
        Path base = cachedBase();
        Files.createDirectories(where.getParent());
        HostCommand.run(Duration.ofMinutes(5), "cp", "-a", base.toString(), where.toString()).orFail();
        // name service as on the host: the server resolves its own host name at start
        for (String file : List.of("etc/resolv.conf", "etc/hosts")) {
            Files.writeString(where.resolve(file), Files.readString(Path.of("/" + file)));
        }
        return new DebianRoot(where);
    }

    /**
     * A fresh copy, at {@code where}, of a root that boots: the base root plus systemd, D-Bus and
     * the Java runtime installed (built once from the base root and cached beside it), without the
     * base root's policy-rc.d, so that package scripts start services as on a real system. Its host
     * name, {@link #UNRESOLVED_HOSTNAME}, is in neither /etc/hosts nor DNS, as on many fresh VMs
     * and containers.
     */
    public static DebianRoot freshBootableCopy(Path where) throws IOException {
        Path bootable = cachedBootable();
        Files.createDirectories(where.getParent());
        HostCommand.run(Duration.ofMinutes(5), "cp", "-a", bootable.toString(), where.toString()).orFail();
        Files.delete(where.resolve("usr/sbin/policy-rc.d"));
        Files.writeString(where.resolve("etc/hostname"), UNRESOLVED_HOSTNAME + "\n");
        Files.writeString(where.resolve("etc/hosts"), "127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n");
        return new DebianRoot(where);
    }

    /** The host name of {@link #freshBootableCopy} roots. */
    public static final String UNRESOLVED_HOSTNAME = "maildeck-unlisted";

    private static final String BOOTABLE_RECIPE = RECIPE + " + systemd systemd-sysv dbus default-jre-headless installed, v1";

    private static Path cachedBootable() throws IOException {
        Path base = cachedBase();
        return cached("bookworm-systemd", BOOTABLE_RECIPE, building -> {
            HostCommand.run(Duration.ofMinutes(5), "cp", "-a", base.toString(), building.path().toString()).orFail();
            Files.writeString(building.file("/etc/resolv.conf"), Files.readString(Path.of("/etc/resolv.conf")));
            building.run(BUILD_TIMEOUT, "apt-get", "update", "-q").orFail();
            // policy-rc.d (from the base root) keeps the new services from starting here
            building.run(BUILD_TIMEOUT, "apt-get", "install", "-y", "-q", "--no-install-recommends",
                "systemd", "systemd-sysv", "dbus", "default-jre-headless").orFail();
        });
    }

    private static Path cachedBase() throws IOException {
        return cached("bookworm", RECIPE, building -> {
            HostCommand.run(BUILD_TIMEOUT, "debootstrap", "--variant=minbase", "bookworm", building.path().toString(), MIRROR).orFail();
            // no service is ever started by a package script inside the test roots
            Path policy = building.file("/usr/sbin/policy-rc.d");
            Files.writeString(policy, "#!/bin/sh\nexit 101\n");
            policy.toFile().setExecutable(true, false);
            Files.writeString(building.file("/etc/resolv.conf"), Files.readString(Path.of("/etc/resolv.conf")));
            building.run(BUILD_TIMEOUT, "apt-get", "update", "-q").orFail();
            building.run(BUILD_TIMEOUT, "apt-get", "install", "-y", "-q", "--download-only", "--no-install-recommends",
                "default-jre-headless").orFail();
        });
    }

    @FunctionalInterface
    private interface RootBuild {
        void into(DebianRoot building) throws IOException;
    }

    /**
     * {@code <cache>/<name>}, built by {@code build} unless the cache holds one made by this
     * {@code recipe}. The package test classes may run in parallel JVMs: one builds, the others wait.
     */
    private static Path cached(String name, String recipe, RootBuild build) throws IOException {
        Path cache = Path.of(System.getProperty("maildeck.packageTest.cache", "/var/cache/maildeck-tests"));
        Files.createDirectories(cache);
        Path cached = cache.resolve(name);
        Path stamp = cached.resolve(".maildeck-recipe");
        try (FileChannel channel = FileChannel.open(cache.resolve("." + name + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            if (Files.isRegularFile(stamp) && Files.readString(stamp).equals(recipe)) {
                return cached;
            }
            Path building = cache.resolve(name + ".building");
            removeTree(building);
            removeTree(cached);
            build.into(new DebianRoot(building));
            Files.writeString(building.resolve(".maildeck-recipe"), recipe);
            Files.move(building, cached, StandardCopyOption.ATOMIC_MOVE);
            return cached;
        }
    }

    public Path path() {
        return root;
    }

    /** A path of the root, e.g. {@code file("/etc/passwd")}. */
    public Path file(String absolute) {
        return root.resolve(absolute.substring(1));
    }

    /** {@code command} as run chrooted into this root, with /proc mounted (see {@link #withProc}). */
    public List<String> inside(List<String> command) {
        return withProc(chrooted(command));
    }

    /**
     * A long-running {@code command} chrooted into this root that the test stops with a signal
     * (the server): /proc mounted, but in the host's process namespace, where the signal reaches
     * it (a process namespace's first process is its init and ignores SIGTERM).
     */
    public List<String> insideStoppable(List<String> command) {
        return withProc(chrooted(command), false);
    }

    private List<String> chrooted(List<String> command) {
        List<String> chrooted = new ArrayList<>(List.of("chroot", root.toString()));
        chrooted.addAll(command);
        return chrooted;
    }

    /**
     * {@code command} run on the host with this root's /proc mounted, as on a running system
     * (Java, thus keytool, needs it; {@code rpm --root} runs its scriptlets chrooted here). The
     * mount lives in a mount namespace of the command's own and ends with it, so none outlives a test.
     */
    public List<String> withProc(List<String> command) {
        return withProc(command, true);
    }

    /**
     * With {@code ownProcesses}, the command also gets a process namespace of its own, so that
     * its /proc shows its own processes only: userdel refuses a user "currently used by" any
     * process of the same uid, and the root's maildeck user may have the uid of a host user whose
     * processes run meanwhile (another test's Postfix, Dovecot or clamd).
     */
    private List<String> withProc(List<String> command, boolean ownProcesses) {
        List<String> wrapped = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private"));
        if (ownProcesses) {
            // killed with the unshare process when a test's time limit kills that
            wrapped.addAll(List.of("--pid", "--kill-child"));
        }
        wrapped.addAll(List.of("--", "sh", "-c", "mount -t proc proc \"$0/proc\" && exec \"$@\"", root.toString()));
        wrapped.addAll(command);
        return wrapped;
    }

    public HostCommand.Result run(Duration timeout, String... command) {
        return HostCommand.run(timeout, inside(List.of(command)));
    }

    public String read(String absolute) {
        try {
            return Files.readString(file(absolute), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code stat} in the root, with the root's own user names, e.g. {@code "maildeck:maildeck 750"}. */
    public String ownerAndMode(String absolute) {
        return run(Duration.ofSeconds(30), "stat", "-c", "%U:%G %a", absolute).orFail().output().trim();
    }

    @Override
    public void close() {
        removeTree(root);
    }

    private static void removeTree(Path tree) {
        if (Files.exists(tree)) {
            // --one-file-system: should a mount ever be left inside, it is not followed
            HostCommand.run(Duration.ofMinutes(5), "rm", "-rf", "--one-file-system", tree.toString()).orFail();
        }
    }
}
