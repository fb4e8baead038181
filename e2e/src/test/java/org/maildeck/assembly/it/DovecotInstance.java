package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private Dovecot 2.3 IMAP server (Debian's {@code dovecot-imapd}) for end-to-end tests that
 * check Maildeck's Maildir++ store against the real thing: same on-disk layout
 * ({@code <mailRoot>/<domain>/<localpart>/Maildir}, logins {@code localpart@domain}), INBOX
 * namespace with separator {@code .}, and {@code Sent}, {@code Drafts}, {@code Trash}, {@code Junk}
 * marked SPECIAL-USE (not auto-created).
 *
 * <p>Everything the instance writes except the mail (configuration, {@code base_dir} sockets,
 * {@code state_dir}, log) stays in its work directory; only if that path is too long for unix
 * socket addresses do the sockets go to {@code /tmp/dovecot-<instance>}, removed on close. It
 * listens on a free loopback port without TLS ({@code AUTH=PLAIN}/{@code LOGIN} allowed in clear)
 * and never touches {@code /etc/dovecot} or {@code /run/dovecot}, so several instances can run
 * side by side, and beside a system Dovecot.
 *
 * <p><b>File ownership.</b> Dovecot's {@code imap} refuses to access mail as root ("Mail access not
 * allowed for root", whatever {@code first_valid_uid}/{@code mail_uid} say), so when the JVM runs as
 * root the users get the uid/gid of {@code nobody}, and Dovecot reads and writes the Maildirs as
 * that account. Maildeck, running as root, can read and write whatever Dovecot creates, but Dovecot
 * cannot write into directories Maildeck created (root, 0755): it then opens mailboxes read-only
 * ("Internal mailbox synchronization failure") or fails to create its lock and index files. So
 * {@link #start} hands the whole mail root to that account, and a test must call
 * {@link #shareMailRoot()} again after Maildeck created or changed anything there and before
 * Dovecot looks at it. (Files may stay root-owned as long as they are readable, 0644, and their
 * directories belong to the Dovecot account; {@code shareMailRoot} simply chowns everything.)
 * When the JVM does not run as root, Dovecot runs "rootless" as the same user and none of this
 * matters.
 *
 * <p>Needs {@code /usr/sbin/dovecot} (see {@link #available()}); installs nothing.
 */
public final class DovecotInstance implements AutoCloseable {

    public static final Path DOVECOT = Path.of("/usr/sbin/dovecot");
    public static final Path DOVEADM = Path.of("/usr/bin/doveadm");
    public static final Path LDA = Path.of("/usr/lib/dovecot/dovecot-lda");
    /** Pigeonhole's Sieve plugin (Debian's {@code dovecot-sieve}). */
    public static final Path SIEVE_PLUGIN = Path.of("/usr/lib/dovecot/modules/lib90_sieve_plugin.so");
    /** Pigeonhole's ManageSieve server (Debian's {@code dovecot-managesieved}). */
    public static final Path MANAGESIEVE = Path.of("/usr/lib/dovecot/managesieve");

    private static final long START_TIMEOUT_MILLIS = 30_000;
    private static final long STOP_TIMEOUT_MILLIS = 15_000;
    /** Characters that need no quoting or escaping in dovecot.conf, passwd-file args and mail_location. */
    private static final String SAFE_PATH = "[A-Za-z0-9._/+@=,-]+";
    /**
     * Longest {@code base_dir} whose sockets (up to {@code token-login/imap-urlauth}) still fit in
     * a unix socket address (108 bytes); a longer work directory gets its sockets in /tmp instead.
     */
    private static final int MAX_BASE_DIR_LENGTH = 76;

    private final Path mailRoot;
    private final Path workDir;
    private final String instanceName;
    private final int mailUid;
    private final int mailGid;
    private final boolean root;
    private final Path baseDir;
    private int port;
    /** Pigeonhole's ManageSieve listener (plain text, PLAIN allowed in clear); 0: not started. */
    private int manageSievePort;
    private boolean withManageSieve;
    private Process process;

    private DovecotInstance(Path mailRoot, Path workDir, String instanceName, int mailUid, int mailGid, boolean root) {
        this.mailRoot = mailRoot;
        this.workDir = workDir;
        this.instanceName = instanceName;
        this.mailUid = mailUid;
        this.mailGid = mailGid;
        this.root = root;
        Path run = workDir.resolve("run");
        this.baseDir = run.toString().length() <= MAX_BASE_DIR_LENGTH ? run : Path.of("/tmp", "dovecot-" + instanceName);
    }

    /**
     * Whether Dovecot is installed here ({@code /usr/sbin/dovecot}). Tests that need it fail without
     * it (scripts/test installs {@code dovecot-imapd}); they do not skip.
     */
    public static boolean available() {
        return Files.isExecutable(DOVECOT);
    }

    /**
     * Writes a configuration under {@code workDir} (created if needed), starts {@code dovecot -F}
     * as a child process on a free 127.0.0.1 port and returns once it greets IMAP clients.
     *
     * @param mailRoot where the users' mail lives: {@code <mailRoot>/<domain>/<localpart>/Maildir}
     * @param usersToPasswords logins ({@code localpart@domain}, compared in lower case as Dovecot
     *     and Maildeck both do) and their clear-text passwords
     * @throws IllegalStateException with Dovecot's output and log if it does not come up
     */
    public static DovecotInstance start(Path mailRoot, Path workDir, Map<String, String> usersToPasswords) {
        return start(mailRoot, workDir, usersToPasswords, false);
    }

    /** {@link #start}, with Pigeonhole's ManageSieve on a free port too ({@link #manageSievePort()}). */
    public static DovecotInstance startWithManageSieve(Path mailRoot, Path workDir, Map<String, String> usersToPasswords) {
        return start(mailRoot, workDir, usersToPasswords, true);
    }

    private static DovecotInstance start(Path mailRoot, Path workDir, Map<String, String> usersToPasswords, boolean withManageSieve) {
        if (!available()) {
            throw new IllegalStateException(DOVECOT + " is not installed (apt-get install dovecot-imapd)");
        }
        Path mail = mailRoot.toAbsolutePath().normalize();
        Path work = workDir.toAbsolutePath().normalize();
        for (Path path : List.of(mail, work)) {
            if (!path.toString().matches(SAFE_PATH)) {
                throw new IllegalArgumentException("path not usable in a Dovecot configuration (want " + SAFE_PATH + "): " + path);
            }
        }
        try {
            Files.createDirectories(mail);
            Files.createDirectories(work);
            int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            int gid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:gid");
            boolean root = uid == 0;
            int[] nobody = root ? nobody() : new int[] {uid, gid};
            String name = "mdk-" + UUID.randomUUID().toString().substring(0, 8);
            DovecotInstance instance = new DovecotInstance(mail, work, name, nobody[0], nobody[1], root);
            instance.withManageSieve = withManageSieve;
            if (root) {
                requireTraversable(mail);
                requireTraversable(work);
            }
            instance.writeUsers(usersToPasswords);
            instance.shareMailRoot();
            instance.launch();
            return instance;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pigeonhole's ManageSieve port on 127.0.0.1 (plain text, no STARTTLS), if started with it. */
    public int manageSievePort() {
        return manageSievePort;
    }

    /** The IMAP port on 127.0.0.1 (plain text, no STARTTLS). */
    public int imapPort() {
        return port;
    }

    public Path mailRoot() {
        return mailRoot;
    }

    public Path workDir() {
        return workDir;
    }

    /** The generated {@code dovecot.conf}. */
    public Path configFile() {
        return workDir.resolve("dovecot.conf");
    }

    /** The Maildir Dovecot uses for {@code localpart@domain}. */
    public Path maildir(String user) {
        String login = user.toLowerCase(Locale.ROOT);
        int at = login.lastIndexOf('@');
        return mailRoot.resolve(login.substring(at + 1)).resolve(login.substring(0, at)).resolve("Maildir");
    }

    /** Dovecot's log (all processes) so far. */
    public String log() {
        return read(workDir.resolve("dovecot.log"));
    }

    /**
     * Hands the mail root to the account Dovecot accesses mail as ({@code chown -R}, symbolic links
     * not followed); call it after Maildeck wrote there and before Dovecot reads. No-op when the JVM
     * is not root.
     */
    public void shareMailRoot() {
        if (!root) {
            return;
        }
        try {
            Files.walkFileTree(mailRoot, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                    chown(dir);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    chown(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    // vanished while walking (Dovecot or Maildeck renamed it): nothing to hand over
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void chown(Path path) throws IOException {
        try {
            Files.setAttribute(path, "unix:uid", mailUid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", mailGid, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            // renamed or deleted meanwhile
        }
    }

    /**
     * Runs {@code doveadm -c <this config> ARGS} (for instance {@code "force-resync", "-u", user,
     * "INBOX"} or {@code "fetch", "-u", user, "uid flags", "mailbox", "INBOX"}) and returns what it
     * printed; throws if it exits with an error.
     */
    public String doveadm(String... args) {
        return doveadmReading(new byte[0], args);
    }

    /** {@link #doveadm} with {@code input} on its standard input (e.g. {@code sieve put} reads the script there). */
    public String doveadmReading(byte[] input, String... args) {
        List<String> command = new ArrayList<>(List.of(DOVEADM.toString(), "-c", configFile().toString()));
        command.addAll(List.of(args));
        return run(command, input, "doveadm " + String.join(" ", args));
    }

    private static String run(List<String> command, byte[] input, String what) {
        return ExternalCommand.output(new ProcessBuilder(command), input, what);
    }

    /**
     * Delivers {@code message} to {@code user} with Dovecot's LDA ({@code dovecot-lda -d user -f
     * sender}), which runs the user's active Sieve script when Pigeonhole is installed; returns what
     * it printed, throws if it exits with an error.
     */
    public String deliverWithLda(String user, String sender, byte[] message) {
        return run(List.of(LDA.toString(), "-c", configFile().toString(), "-d", user, "-f", sender), message, "dovecot-lda");
    }

    /**
     * Stops Dovecot (SIGTERM, SIGKILL after {@value #STOP_TIMEOUT_MILLIS} ms), waits for it, and
     * kills whatever process of this instance is left (its children carry
     * {@code dovecot-<instance>/} in their process title).
     */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            }
            List<ProcessHandle> leftovers = new ArrayList<>(children);
            leftovers.addAll(processesOfThisInstance());
            for (ProcessHandle child : leftovers) {
                child.destroyForcibly();
            }
            for (ProcessHandle child : leftovers) {
                child.onExit().get(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("Dovecot " + instanceName + " did not stop: " + processesOfThisInstance(), e);
        } finally {
            process = null;
            if (!baseDir.startsWith(workDir)) {
                deleteRecursively(baseDir);
            }
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // only sockets and pid files of a stopped instance: not worth failing a test for
        }
    }

    /** Live processes whose title marks them as this instance's ({@code dovecot-<instance>/...}). */
    public List<ProcessHandle> processesOfThisInstance() {
        String prefix = "dovecot-" + instanceName + "/";
        List<ProcessHandle> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String pid = entry.getFileName().toString();
                if (!pid.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String commandLine;
                try {
                    commandLine = new String(Files.readAllBytes(entry.resolve("cmdline")), UTF_8);
                } catch (IOException e) {
                    continue; // gone meanwhile
                }
                if (commandLine.startsWith(prefix) || commandLine.contains(configFile().toString())) {
                    ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive).ifPresent(found::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    private void launch() throws IOException {
        String lastFailure = "";
        for (int attempt = 0; attempt < 3; attempt++) {
            port = TestPorts.next();
            manageSievePort = withManageSieve ? TestPorts.next() : 0;
            Files.writeString(configFile(), configuration(), UTF_8);
            Path out = workDir.resolve("dovecot.out");
            process = new ProcessBuilder(DOVECOT.toString(), "-F", "-c", configFile().toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                .start();
            process.getOutputStream().close();
            if (awaitGreeting()) {
                return;
            }
            lastFailure = "dovecot -F output:\n" + tail(read(workDir.resolve("dovecot.out")))
                + "\ndovecot.log:\n" + tail(log());
            close();
            if (!lastFailure.contains("Address already in use")) {
                break;
            }
        }
        throw new IllegalStateException("Dovecot did not start (config " + configFile() + ")\n" + lastFailure);
    }

    /** Waits until the port greets with {@code * OK}; false if Dovecot exits or the time is up. */
    private boolean awaitGreeting() {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                socket.setSoTimeout(5000);
                String greeting = new BufferedReader(new InputStreamReader(socket.getInputStream(), US_ASCII)).readLine();
                if (greeting != null && greeting.startsWith("* OK")) {
                    return true;
                }
            } catch (IOException e) {
                // not listening yet
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private String configuration() {
        StringBuilder conf = new StringBuilder();
        conf.append("# Written by ").append(DovecotInstance.class.getName()).append(" for an end-to-end test.\n")
            .append(withManageSieve ? "protocols = imap sieve\n" : "protocols = imap\n")
            .append("listen = 127.0.0.1\n")
            .append("base_dir = ").append(baseDir).append('\n')
            .append("state_dir = ").append(workDir.resolve("state")).append('\n')
            .append("instance_name = ").append(instanceName).append('\n')
            .append("log_path = ").append(workDir.resolve("dovecot.log")).append('\n')
            .append("ssl = no\n")
            .append("auth_mechanisms = plain login\n")
            .append("disable_plaintext_auth = no\n")
            .append("auth_verbose = yes\n")
            .append("mail_location = maildir:").append(mailRoot).append("/%d/%n/Maildir\n")
            // exactly the one account the users file hands out
            .append("first_valid_uid = ").append(mailUid).append('\n')
            .append("last_valid_uid = ").append(mailUid).append('\n')
            .append("first_valid_gid = ").append(mailGid).append('\n')
            .append("last_valid_gid = ").append(mailGid).append('\n');
        if (!root) {
            // rootless: every process runs as the current user, no chroots
            String user = System.getProperty("user.name");
            conf.append("default_internal_user = ").append(user).append('\n')
                .append("default_internal_group = ").append(groupName(mailGid)).append('\n')
                .append("default_login_user = ").append(user).append('\n')
                .append("service anvil {\n  chroot =\n}\n")
                .append("service imap-login {\n  chroot =\n}\n");
            if (withManageSieve) {
                conf.append("service managesieve-login {\n  chroot =\n}\n");
            }
        }
        conf.append("passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ").append(workDir.resolve("users")).append("\n}\n")
            .append("userdb {\n  driver = passwd-file\n  args = username_format=%u ").append(workDir.resolve("users")).append("\n}\n")
            .append("service imap-login {\n")
            .append("  inet_listener imap {\n    address = 127.0.0.1\n    port = ").append(port).append("\n  }\n")
            .append("  inet_listener imaps {\n    port = 0\n  }\n")
            .append("}\n");
        if (withManageSieve) {
            // plain text like IMAP here (ssl = no, disable_plaintext_auth = no)
            conf.append("service managesieve-login {\n  inet_listener sieve {\n    address = 127.0.0.1\n    port = ")
                .append(manageSievePort).append("\n  }\n}\n");
        }
        conf.append("namespace inbox {\n  inbox = yes\n  separator = .\n");
        for (String specialUse : List.of("Sent", "Drafts", "Trash", "Junk")) {
            conf.append("  mailbox ").append(specialUse).append(" {\n    special_use = \\").append(specialUse).append("\n  }\n");
        }
        conf.append("}\n");
        // Pigeonhole (Debian's dovecot-sieve, when installed): Maildeck's script layout, run by the LDA
        conf.append("plugin {\n  sieve = file:~/sieve;active=~/.dovecot.sieve\n}\n");
        if (Files.exists(SIEVE_PLUGIN)) {
            // a fileinto creates the folder, as Maildeck's delivery does (with or without :create)
            conf.append("postmaster_address = postmaster@localhost\n")
                .append("lda_mailbox_autocreate = yes\n")
                .append("protocol lda {\n  mail_plugins = $mail_plugins sieve\n}\n");
        }
        return conf.toString();
    }

    /** {@code user:{PLAIN}password:uid:gid::::}, readable by Dovecot's auth process (user dovecot). */
    private void writeUsers(Map<String, String> usersToPasswords) throws IOException {
        StringBuilder users = new StringBuilder();
        for (Map.Entry<String, String> entry : usersToPasswords.entrySet()) {
            String user = entry.getKey().toLowerCase(Locale.ROOT);
            String password = entry.getValue();
            int at = user.lastIndexOf('@');
            if (at <= 0 || at == user.length() - 1) {
                throw new IllegalArgumentException("user must be localpart@domain: " + user);
            }
            if ((user + password).chars().anyMatch(c -> c == ':' || c < 0x20 || c == 0x7f)) {
                throw new IllegalArgumentException("no ':' or control characters in a passwd-file user or password: " + user);
            }
            // home: the Maildir's parent, where Pigeonhole keeps the user's Sieve scripts
            Path home = mailRoot.resolve(user.substring(at + 1)).resolve(user.substring(0, at));
            users.append(user).append(":{PLAIN}").append(password).append(':')
                .append(mailUid).append(':').append(mailGid).append("::").append(home).append("::\n");
        }
        Path file = workDir.resolve("users");
        Files.writeString(file, users, UTF_8);
        Files.setAttribute(file, "unix:mode", 0644);
    }

    /** Dovecot's unprivileged processes must reach the work directory and the mail root. */
    private static void requireTraversable(Path path) throws IOException {
        for (Path dir = path; dir != null; dir = dir.getParent()) {
            int mode = (Integer) Files.getAttribute(dir, "unix:mode");
            if ((mode & 0001) == 0) {
                throw new IllegalStateException(dir + " is not searchable by others (mode " + Integer.toOctalString(mode & 07777)
                    + "); Dovecot's unprivileged processes could not reach " + path);
            }
        }
    }

    /** uid and gid of {@code nobody} from /etc/passwd, 65534/65534 if it is not there. */
    private static int[] nobody() throws IOException {
        for (String line : Files.readAllLines(Path.of("/etc/passwd"), UTF_8)) {
            String[] fields = line.split(":");
            if (fields.length > 3 && fields[0].equals("nobody")) {
                return new int[] {Integer.parseInt(fields[2]), Integer.parseInt(fields[3])};
            }
        }
        return new int[] {65534, 65534};
    }

    private static String groupName(int gid) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/group"), UTF_8)) {
                String[] fields = line.split(":");
                if (fields.length > 2 && fields[2].equals(Integer.toString(gid))) {
                    return fields[0];
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return Integer.toString(gid);
    }

    private static String tail(String text) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")\n";
        }
    }
}
