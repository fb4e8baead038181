package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.maildeck.localdaemon.DaemonException;
import org.maildeck.localdaemon.TestDaemon;

/**
 * A private Postfix (Debian's {@code postfix} 3.7) in front of Maildeck, for the tests of the
 * milter and the filter port: the MTA an admin already runs, with a configuration of its own.
 *
 * <p>Everything it reads and writes is in a temporary directory: its {@code config_directory}
 * (a generated main.cf and master.cf, plus copies of the package's meta files so that
 * {@code postfix check} never sets permissions in /etc/postfix), {@code queue_directory},
 * {@code data_directory} and the mail log ({@code maillog_file} through postlogd: no syslog is
 * assumed). smtpd listens on a free port of 127.0.0.1 ({@code inet_interfaces = 127.0.0.1}); no
 * service runs chrooted (a chroot needs copies of /etc files in the queue). The system service and
 * /etc/postfix are never used. The master runs in the foreground ({@code postfix start-fg}) under
 * {@link TestDaemon}, ready once smtpd greets; {@link #close()} runs {@code postfix stop}, then
 * TestDaemon's SIGTERM/SIGKILL, and removes the directory.
 *
 * <p>Mail for any domain from 127.0.0.0/8 is accepted ({@code mynetworks}) and relayed to
 * {@link Options#relayTo} ({@code relayhost = [127.0.0.1]:port}, no DNS). {@link Options#milter}
 * sets {@code smtpd_milters}; {@link Options#contentFilter} sets
 * {@code content_filter = smtp-amavis:[127.0.0.1]:port} and adds the amavisd-style
 * {@code smtp-amavis} transport and the reinjection smtpd on another free port to master.cf, as
 * the README tells admins to.
 *
 * <p><b>Root.</b> Postfix's master must run as root (it binds the ports and changes to
 * {@code mail_owner}, which Postfix requires to be an unprivileged account), and {@code postfix}
 * is "reserved for the superuser". So: run as root, the commands run directly with
 * {@code mail_owner = postfix} and {@code setgid_group = postdrop}, the accounts the package
 * creates; run as another user, they run through {@code sudo -n} (passwordless sudo, as
 * scripts/test already needs to install packages), and the directory is removed the same way
 * (this path is not exercised by the tests' usual root runs).
 * Without either the start fails saying so: these tests need a real Postfix and do not skip.
 */
final class PostfixProcess implements AutoCloseable {

    static final Path POSTFIX = Path.of("/usr/sbin/postfix");
    private static final Duration QUEUE_TIMEOUT = Duration.ofSeconds(60);

    /**
     * What sits around Postfix: the next hop of everything it relays, and optionally a milter and
     * an after-queue content filter. Ports are on 127.0.0.1.
     */
    record Options(int relayTo, Optional<String> milter, Optional<Integer> contentFilter, Optional<Integer> reinjection, List<String> mainCf,
                   List<String> reinjectionAccess) {

        Options(int relayTo, Optional<String> milter, Optional<Integer> contentFilter, Optional<Integer> reinjection, List<String> mainCf) {
            this(relayTo, milter, contentFilter, reinjection, mainCf, List.of());
        }

        /** Postfix relaying all mail to 127.0.0.1:{@code port} (Maildeck's SMTP port, an SmtpSink...). */
        static Options relayingTo(int port) {
            return new Options(port, Optional.empty(), Optional.empty(), Optional.empty(), List.of());
        }

        /**
         * The reinjection smtpd answers RCPT TO {@code recipient} with {@code reply} (an access(5)
         * action such as {@code 550 5.1.1 No such user} or {@code 450 4.2.0 Try later}): a next hop
         * that refuses, for the filter's tests.
         */
        Options refusingAtReinjection(String recipient, String reply) {
            List<String> access = new ArrayList<>(reinjectionAccess);
            access.add(recipient + " " + reply);
            return new Options(relayTo, milter, contentFilter, reinjection, mainCf, List.copyOf(access));
        }

        /** {@code smtpd_milters = inet:127.0.0.1:port}. */
        Options milter(int port) {
            return new Options(relayTo, Optional.of("inet:127.0.0.1:" + port), contentFilter, reinjection, mainCf, reinjectionAccess);
        }

        /** {@code content_filter = smtp-amavis:[127.0.0.1]:port} with a reinjection smtpd on a free port. */
        Options contentFilter(int port) {
            return new Options(relayTo, milter, Optional.of(port), reinjection, mainCf, reinjectionAccess);
        }

        /** As {@link #contentFilter(int)}, the reinjection smtpd on {@code reinjectionPort} (the filter's next hop). */
        Options contentFilter(int port, int reinjectionPort) {
            return new Options(relayTo, milter, Optional.of(port), Optional.of(reinjectionPort), mainCf, reinjectionAccess);
        }

        /** An extra main.cf line ({@code name = value}), after the generated ones (so it wins). */
        Options with(String mainCfLine) {
            List<String> lines = new ArrayList<>(mainCf);
            lines.add(mainCfLine);
            return new Options(relayTo, milter, contentFilter, reinjection, List.copyOf(lines), reinjectionAccess);
        }
    }

    private final TestDaemon daemon;
    private final List<String> privilege;
    private final int smtpPort;
    private final int reinjectionPort;

    private PostfixProcess(TestDaemon daemon, List<String> privilege, int smtpPort, int reinjectionPort) {
        this.daemon = daemon;
        this.privilege = privilege;
        this.smtpPort = smtpPort;
        this.reinjectionPort = reinjectionPort;
    }

    /** Writes the configuration, starts Postfix and returns once its smtpd greets. */
    static PostfixProcess start(Options options) {
        if (!Files.isExecutable(POSTFIX)) {
            throw new IllegalStateException(POSTFIX + " is not installed (apt-get install postfix; scripts/test does)");
        }
        List<String> privilege = privilege();
        Path directory = TestDaemon.createDirectory("postfix");
        int smtpPort = TestDaemon.freePort();
        int reinjectionPort = options.reinjection().orElseGet(TestDaemon::freePort);
        try {
            writeConfiguration(directory, options, smtpPort, reinjectionPort);
            if (!privilege.isEmpty()) {
                // Postfix wants root to own its configuration and queue; the directory itself stays
                // the test's, for TestDaemon's output file.
                run(directory, concat(privilege, List.of("chown", "-R", "root:root",
                    directory.resolve("conf").toString(), directory.resolve("meta").toString(), directory.resolve("queue").toString())));
            }
            run(directory, concat(privilege, List.of("chown", "postfix", directory.resolve("data").toString())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = concat(privilege, List.of(POSTFIX.toString(), "-c", directory.resolve("conf").toString(), "start-fg"));
        TestDaemon daemon = new TestDaemon("postfix", "postfix", directory, command, () -> greets(smtpPort));
        PostfixProcess postfix = new PostfixProcess(daemon, privilege, smtpPort, reinjectionPort);
        try {
            daemon.start();
        } catch (IllegalStateException e) {
            String log = postfix.mailLog();
            postfix.close();
            throw new IllegalStateException(e.getMessage() + "\nmail log:\n" + log, e);
        }
        return postfix;
    }

    /** smtpd's port on 127.0.0.1, open to 127.0.0.0/8 for any recipient. */
    int smtpPort() {
        return smtpPort;
    }

    /** The reinjection smtpd's port ({@code -o content_filter=}): the filter's next hop. */
    int reinjectionPort() {
        return reinjectionPort;
    }

    /** Postfix's own log (maillog_file): one line per queue event. */
    String mailLog() {
        try {
            return Files.readString(daemon.directory().resolve("maillog"), UTF_8);
        } catch (IOException e) {
            return "(no mail log: " + e + ")";
        }
    }

    /** The queue ids of the messages in Postfix's queue now ({@code postqueue -j}). */
    List<String> queueIds() {
        Pattern id = Pattern.compile("\"queue_id\": *\"([0-9A-Za-z]+)\"");
        List<String> ids = new ArrayList<>();
        Matcher matcher = id.matcher(postqueue("-j"));
        while (matcher.find()) {
            ids.add(matcher.group(1));
        }
        return ids;
    }

    /** Waits until Postfix's queue holds {@code count} messages (deferred or active). */
    void awaitQueued(int count) throws InterruptedException {
        long deadline = System.nanoTime() + QUEUE_TIMEOUT.toNanos();
        while (queueIds().size() != count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Postfix's queue does not hold " + count + " message(s): " + postqueue("-p") + "\nmail log:\n" + mailLog());
            }
            Thread.sleep(100);
        }
    }

    /** Waits until the mail log has a line matching {@code regex}, and returns it. */
    String awaitMailLog(String regex) throws InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + QUEUE_TIMEOUT.toNanos();
        while (true) {
            Optional<String> line = mailLog().lines().filter(l -> pattern.matcher(l).find()).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no Postfix mail log line matching " + regex + ":\n" + mailLog());
            }
            Thread.sleep(100);
        }
    }

    /** {@code postqueue -f}: tries every queued message now, deferred ones included. */
    void flush() {
        postqueue("-f");
    }

    private String postqueue(String option) {
        return run(daemon.directory(), concat(privilege, List.of("/usr/sbin/postqueue", "-c", daemon.directory().resolve("conf").toString(), option)));
    }

    /** {@code postfix stop}, then TestDaemon's SIGTERM/SIGKILL, then the directory goes. */
    @Override
    public void close() {
        try {
            run(daemon.directory(), concat(privilege, List.of(POSTFIX.toString(), "-c", daemon.directory().resolve("conf").toString(), "stop")));
        } catch (IllegalStateException e) {
            // not running (any more): the stop below is enough
        }
        daemon.stop();
        if (privilege.isEmpty()) {
            daemon.close();
        } else {
            run(Path.of("/"), concat(privilege, List.of("rm", "-rf", daemon.directory().toString())));
        }
    }

    private static void writeConfiguration(Path directory, Options options, int smtpPort, int reinjectionPort) throws IOException {
        Path conf = directory.resolve("conf");
        Path meta = directory.resolve("meta");
        for (Path path : List.of(conf, meta.resolve("postfix-files.d"), meta.resolve("dynamicmaps.cf.d"), directory.resolve("queue"), directory.resolve("data"))) {
            Files.createDirectories(path);
        }
        // The package's meta files: postfix-files tells `postfix check` what to create and own.
        for (String file : List.of("postfix-files", "dynamicmaps.cf")) {
            Files.copy(Path.of("/etc/postfix", file), meta.resolve(file));
        }
        List<String> main = new ArrayList<>(List.of(
            "compatibility_level = 3.6",
            "queue_directory = " + directory.resolve("queue"),
            "data_directory = " + directory.resolve("data"),
            "meta_directory = " + meta,
            "daemon_directory = /usr/lib/postfix/sbin",
            "command_directory = /usr/sbin",
            "shlib_directory = /usr/lib/postfix",
            "mail_owner = postfix",
            "setgid_group = postdrop",
            "syslog_name = postfix-test",
            "maillog_file = " + directory.resolve("maillog"),
            "maillog_file_prefixes = " + directory,
            "myhostname = postfix-test.invalid",
            "mydomain = invalid",
            "myorigin = $myhostname",
            "mydestination =",
            "inet_interfaces = 127.0.0.1",
            "inet_protocols = ipv4",
            "mynetworks = 127.0.0.0/8",
            "smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination",
            "relayhost = [127.0.0.1]:" + options.relayTo(),
            "smtp_dns_support_level = disabled",
            "smtp_host_lookup = native",
            "alias_maps =",
            "alias_database =",
            "local_recipient_maps =",
            "relay_domains =",
            "smtputf8_enable = no",
            "biff = no",
            "append_dot_mydomain = no",
            "smtpd_banner = $myhostname ESMTP",
            // A deferred message is retried by flush() or after a few seconds, not after minutes.
            "queue_run_delay = 5s",
            "minimal_backoff_time = 5s",
            "maximal_backoff_time = 10s",
            "smtp_connect_timeout = 5s",
            // The milter's and the filter's own answers are what the tests look at.
            "milter_default_action = tempfail"));
        options.milter().ifPresent(milter -> main.add("smtpd_milters = " + milter));
        options.contentFilter().ifPresent(port -> {
            main.add("content_filter = smtp-amavis:[127.0.0.1]:" + port);
            // one recipient per delivery to the filter: its answer is that recipient's (README)
            main.add("smtp-amavis_destination_recipient_limit = 1");
        });
        main.addAll(options.mainCf());
        Files.writeString(conf.resolve("main.cf"), String.join("\n", main) + "\n", US_ASCII);

        // master.cf: the services a mail from smtpd to the next hop passes, no chroot.
        List<String> master = new ArrayList<>(List.of(
            "127.0.0.1:" + smtpPort + " inet n - n - - smtpd",
            "pickup    unix  n       -       n       60      1       pickup",
            "cleanup   unix  n       -       n       -       0       cleanup",
            "qmgr      unix  n       -       n       300     1       qmgr",
            "rewrite   unix  -       -       n       -       -       trivial-rewrite",
            "bounce    unix  -       -       n       -       0       bounce",
            "defer     unix  -       -       n       -       0       bounce",
            "trace     unix  -       -       n       -       0       bounce",
            "verify    unix  -       -       n       -       1       verify",
            "flush     unix  n       -       n       1000?   0       flush",
            "proxymap  unix  -       -       n       -       -       proxymap",
            "proxywrite unix -       -       n       -       1       proxymap",
            "smtp      unix  -       -       n       -       -       smtp",
            "relay     unix  -       -       n       -       -       smtp",
            "showq     unix  n       -       n       -       -       showq",
            "error     unix  -       -       n       -       -       error",
            "retry     unix  -       -       n       -       -       error",
            "discard   unix  -       -       n       -       -       discard",
            "anvil     unix  -       -       n       -       1       anvil",
            "scache    unix  -       -       n       -       1       scache",
            "postlog   unix-dgram n  -       n       -       1       postlogd"));
        if (options.contentFilter().isPresent()) {
            // As README.md's filter-port section (amavisd-new's README.postfix, reduced).
            master.addAll(List.of(
                "smtp-amavis unix -      -       n       -       2       smtp",
                "  -o smtp_data_done_timeout=1200",
                "  -o smtp_send_xforward_command=yes",
                "  -o disable_dns_lookups=yes",
                "  -o max_use=20",
                "127.0.0.1:" + reinjectionPort + " inet n - n - - smtpd",
                "  -o content_filter=",
                "  -o local_recipient_maps=",
                "  -o relay_recipient_maps=",
                "  -o smtpd_restriction_classes=",
                "  -o smtpd_delay_reject=no",
                "  -o smtpd_client_restrictions=permit_mynetworks,reject",
                "  -o smtpd_helo_restrictions=",
                "  -o smtpd_sender_restrictions=",
                "  -o smtpd_recipient_restrictions=check_recipient_access,texthash:" + conf.resolve("reinjection_access") + ",permit_mynetworks,reject",
                "  -o smtpd_data_restrictions=reject_unauth_pipelining",
                "  -o smtpd_end_of_data_restrictions=",
                "  -o mynetworks=127.0.0.0/8",
                "  -o smtpd_error_sleep_time=0",
                "  -o smtpd_soft_error_limit=1001",
                "  -o smtpd_hard_error_limit=1000",
                "  -o smtpd_client_connection_count_limit=0",
                "  -o smtpd_client_connection_rate_limit=0",
                "  -o receive_override_options=no_header_body_checks,no_unknown_recipient_checks,no_milters"));
        }
        Files.writeString(conf.resolve("master.cf"), String.join("\n", master) + "\n", US_ASCII);
        Files.writeString(conf.resolve("reinjection_access"), options.reinjectionAccess().stream().map(line -> line + "\n").reduce("", String::concat), US_ASCII);
    }

    /** Nothing as root; {@code sudo -n} otherwise, if it works without a password. */
    private static List<String> privilege() {
        try {
            if ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0) {
                return List.of();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> sudo = List.of("sudo", "-n");
        try {
            if (new ProcessBuilder(concat(sudo, List.of("true"))).redirectErrorStream(true).start().waitFor() == 0) {
                return sudo;
            }
        } catch (IOException e) {
            // no sudo: said below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("a private Postfix needs root: run the tests as root or with passwordless sudo");
    }

    private static void greets(int port) throws DaemonException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(2000);
            String greeting = new BufferedReader(new InputStreamReader(socket.getInputStream(), US_ASCII)).readLine();
            if (greeting == null || !greeting.startsWith("220")) {
                throw new DaemonException(DaemonException.Kind.PROTOCOL, "Postfix greeted " + greeting);
            }
        } catch (DaemonException e) {
            throw e;
        } catch (IOException e) {
            throw new DaemonException(DaemonException.Kind.UNREACHABLE, "Postfix's smtpd: " + e);
        }
    }

    /** Runs a command to its end and returns its output; fails with the output if it exits non-zero. */
    private static String run(Path directory, List<String> command) {
        return ExternalCommand.output(new ProcessBuilder(command).directory(directory.toFile()), new byte[0], String.join(" ", command));
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
