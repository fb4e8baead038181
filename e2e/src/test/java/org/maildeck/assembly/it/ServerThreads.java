package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a running server's threads are doing, for a test that failed while waiting on the server:
 * the whole thread dump ({@code jcmd <pid> Thread.print}) goes to a file beside the server log,
 * and a summary of the threads at work in Maildeck, James or Camel code (not idle in a pool, a
 * selector or a timer) goes into the failure, where a CI log shows it.
 */
final class ServerThreads {

    /** Frames of a thread that waits for work rather than in it. */
    private static final List<String> IDLE = List.of(
        "ThreadPoolExecutor.getTask", "DelayedWorkQueue.take", "ForkJoinPool.awaitWork", "EPoll.wait",
        "EPollSelectorImpl.doSelect", "Epoll.epollWait", "ServerSocket.accept", "NioEndpoint", "Object.wait(java.base",
        "ReferenceQueue.remove", "Reference.waitForReferencePendingList", "AbstractQueuedSynchronizer$ConditionObject.awaitNanos(java.base@17",
        "TimerThread.mainLoop", "QueuedThreadPool$Runner.idleJobPoll", "SocketDispatcher.read0", "JmsConsumer");
    private static final int TOP_FRAMES_SHOWN = 3;
    private static final int SERVER_FRAMES_SHOWN = 6;

    private ServerThreads() {
    }

    /** The summary; the full dump is written to {@code dumpDirectory}. Never throws. */
    static String describe(long pid, Path dumpDirectory) {
        Path file = dumpDirectory.resolve("threads-" + Instant.now().toString().replace(':', '-') + ".txt");
        String dump;
        try {
            Files.createDirectories(dumpDirectory);
            // Into a file, then read: a jcmd that hangs must not hang the test with it.
            Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "Thread.print").redirectErrorStream(true)
                .redirectOutput(file.toFile()).start();
            if (!jcmd.waitFor(30, TimeUnit.SECONDS)) {
                jcmd.destroyForcibly();
                return "(no thread dump of server " + pid + ": jcmd gave none within 30 s)";
            }
            dump = Files.readString(file, UTF_8);
        } catch (IOException | InterruptedException e) {
            return "(no thread dump of server " + pid + ": " + e + ")";
        }
        List<String> working = busyThreads(dump);
        return "server " + pid + ": " + working.size() + " threads at work (full dump: " + file + ")"
            + (working.isEmpty() ? "" : "\n" + String.join("\n", working));
    }

    /** Each thread of the dump at work in server code, as its header line and top frames. */
    static List<String> busyThreads(String dump) {
        List<String> working = new ArrayList<>();
        for (String block : dump.split("\n\\s*\n")) {
            String[] lines = block.strip().split("\n");
            if (lines.length < 2 || !lines[0].startsWith("\"")) {
                continue;
            }
            boolean serverCode = block.contains("org.maildeck.") || block.contains("org.apache.james.")
                || block.contains("org.apache.camel.");
            boolean idle = IDLE.stream().anyMatch(block::contains) && !block.contains("org.maildeck.");
            if (serverCode && !idle) {
                working.add(summary(lines));
            }
        }
        return working;
    }

    /** The header, the state, the top frames (with the lock lines) and the first frames in server code below them. */
    private static String summary(String[] lines) {
        StringBuilder shown = new StringBuilder(lines[0].replaceAll(" (os_prio|cpu|elapsed|tid|nid)=\\S+", ""));
        int frames = 0;
        int serverFrames = 0;
        boolean gap = false;
        for (int i = 1; i < lines.length && serverFrames < SERVER_FRAMES_SHOWN; i++) {
            String line = lines[i].strip();
            if (line.startsWith("java.lang.Thread.State: ")) {
                shown.append("  ").append(line.substring("java.lang.Thread.State: ".length()));
                continue;
            }
            boolean frame = line.startsWith("at ");
            boolean serverFrame = frame && (line.contains("org.maildeck.") || line.contains("org.apache.james.")
                || line.contains("org.apache.camel."));
            if ((frame && frames < TOP_FRAMES_SHOWN) || serverFrame || (!frame && frames <= TOP_FRAMES_SHOWN && line.startsWith("- "))) {
                shown.append(gap ? "\n    ..." : "").append("\n    ").append(line);
                gap = false;
                serverFrames += serverFrame && frames >= TOP_FRAMES_SHOWN ? 1 : 0;
            } else if (frame) {
                gap = true;
            }
            frames += frame ? 1 : 0;
        }
        return shown.toString();
    }
}
