package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The account of the servers a run started, per test class: {@code <testWork>/server-starts.tsv}
 * gets a line when {@code bin/maildeck start} made a server ready ({@code start}, with its wall
 * time and CPU to ready; the few tests that run the launcher themselves, e.g. {@code run} in the
 * foreground, are not counted) and one when the harness stops, kills or closes it ({@code end},
 * with the CPU it used in all). A server start is the most expensive thing the end-to-end tests do (CI is bound by the CPU of
 * its two cores, and the servers take most of it), and what a class costs is not visible in its
 * test times, which mostly say how loaded the machine was. {@code scripts/server-starts} sums
 * the file by class. The forks write to the one file, a line at a time (appends of one short
 * line do not interleave).
 */
final class ServerStarts {

    private static final Path FILE = MaildeckInstance.testWork().resolve("server-starts.tsv");
    private static final String PACKAGE = ServerStarts.class.getPackageName() + ".";
    /** USER_HZ, the unit of /proc/PID/stat's times: 100 on Linux. */
    private static final long TICKS_PER_SECOND = 100;

    /** The class whose servers these are when no test class is on the stack (a JUnit extension starts them). */
    private static volatile String currentClass = "?";
    /** The class that started each server process of this JVM, by pid. */
    private static final Map<Long, String> STARTED_BY = new ConcurrentHashMap<>();

    private ServerStarts() {
    }

    /** The test class now running in this JVM (Failsafe's forks run their classes one at a time). */
    static void inClass(Class<?> testClass) {
        currentClass = testClass.getSimpleName();
    }

    /**
     * Called when {@code bin/maildeck start} succeeded, begun at {@code startedNanos}; nothing is
     * counted when it found server {@code pid} already running.
     */
    static void ready(long pid, long startedNanos) {
        String testClass = testClassOnTheStack().orElse(currentClass);
        if (STARTED_BY.putIfAbsent(pid, testClass) != null) {
            return;
        }
        append("start", testClass, pid, String.format(Locale.ROOT, "%.1f", (System.nanoTime() - startedNanos) / 1e9), cpuSeconds(pid));
    }

    /** Called just before the harness stops or kills server {@code pid}: the CPU it used. */
    static void ending(long pid) {
        String cpu = cpuSeconds(pid);
        String testClass = STARTED_BY.remove(pid);
        if (!cpu.isEmpty()) {
            append("end", testClass == null ? currentClass : testClass, pid, "", cpu);
        }
    }

    private static Optional<String> testClassOnTheStack() {
        return StackWalker.getInstance().walk(frames -> frames
            .map(StackWalker.StackFrame::getClassName)
            .filter(name -> name.startsWith(PACKAGE))
            .map(name -> name.substring(PACKAGE.length()).replaceFirst("\\$.*", ""))
            .filter(name -> name.endsWith("IT") || name.equals(ServerClassArchive.class.getSimpleName()))
            .findFirst());
    }

    /** User + system CPU of the process in seconds, from /proc ("" when it is gone). */
    private static String cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return String.format(Locale.ROOT, "%.2f", (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) TICKS_PER_SECOND);
        } catch (IOException | RuntimeException gone) {
            return "";
        }
    }

    private static void append(String event, String testClass, long pid, String wallSeconds, String cpuSeconds) {
        String line = String.join("\t", event, testClass, Long.toString(pid), wallSeconds, cpuSeconds) + "\n";
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, line, UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // an account only: never a reason for a test to fail
        }
    }
}
