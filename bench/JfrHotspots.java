// Where the server's CPU and allocations go during a benchmark, from a JFR recording.
//
//   [THREADS=REGEX] java bench/JfrHotspots.java RECORDING.jfr [TOP [FOCUS]]
//
// Made for bench/smtp-ingest run with
//   MAILDECK_JAVA_OPTS="-Xms32m -Xmx512m -XX:+UseSerialGC -XX:StartFlightRecording=filename=/tmp/x.jfr,settings=profile,dumponexit=true"
// (the shipped options of bin/maildeck and JFR; JFR's buffers add up to 80 MiB to the peak RSS)
// The recording also holds the server's start-up, which would drown the ingest: only events from
// the first sample of an SMTP worker thread ("smtpserver-io-*") onwards are counted.
//
// THREADS keeps the execution samples of the threads whose name matches (e.g. "spooler.*").
// Prints, each as a share of the counted samples:
//   - execution samples per thread pool (thread names without their number);
//   - the hottest methods where the sample was taken (self);
//   - the hottest methods anywhere on the stack (inclusive, each method counted once a sample),
//     all of them and then only the project's and its frameworks' (James, Camel, ActiveMQ,
//     Jakarta Mail), which is where a cut can be made;
//   - allocated bytes (jdk.ObjectAllocationSample weights) by class and by the first project or
//     framework frame on the allocating stack;
//   - with FOCUS (a regular expression on "package.Class.method"), the project and framework
//     callers of the first matching frame of each execution sample, as call paths, to find out who
//     asks for an expensive thing.
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

public class JfrHotspots {
    private static final Pattern OURS = Pattern.compile(
        "^(org\\.maildeck|org\\.apache\\.james|org\\.apache\\.camel|org\\.apache\\.activemq"
            + "|javax\\.mail|jakarta\\.mail|com\\.sun\\.mail|org\\.apache\\.mailet)\\..*");

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        Pattern focus = args.length > 2 ? Pattern.compile(args[2]) : null;
        Pattern threads = Pattern.compile(System.getenv().getOrDefault("THREADS", ".*"));
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        Instant from = events.stream()
            .filter(e -> e.getEventType().getName().equals("jdk.ExecutionSample"))
            .filter(e -> threadName(e).startsWith("smtpserver-io"))
            .map(RecordedEvent::getStartTime).min(Instant::compareTo).orElse(Instant.MIN);

        Map<String, Long> pools = new HashMap<>(), self = new HashMap<>(),
            inclusive = new HashMap<>(), inclusiveOurs = new HashMap<>(),
            allocByClass = new HashMap<>(), allocBySite = new HashMap<>(), focusPaths = new HashMap<>();
        long samples = 0, allocated = 0;
        Instant last = from;
        for (RecordedEvent e : events) {
            if (e.getStartTime().isBefore(from)) continue;
            String type = e.getEventType().getName();
            RecordedStackTrace stack = e.getStackTrace();
            if (type.equals("jdk.ExecutionSample") && stack != null && threads.matcher(threadName(e)).matches()) {
                samples++;
                if (e.getStartTime().isAfter(last)) last = e.getStartTime();
                pools.merge(threadName(e).replaceAll("[-#]?\\d+$", ""), 1L, Long::sum);
                List<RecordedFrame> frames = stack.getFrames();
                if (!frames.isEmpty()) self.merge(method(frames.get(0)), 1L, Long::sum);
                if (focus != null) focusPath(frames, focus, focusPaths);
                Set<String> seen = new HashSet<>();
                for (RecordedFrame f : frames) {
                    String m = method(f);
                    if (seen.add(m)) {
                        inclusive.merge(m, 1L, Long::sum);
                        if (OURS.matcher(m).matches()) inclusiveOurs.merge(m, 1L, Long::sum);
                    }
                }
            } else if (type.equals("jdk.ObjectAllocationSample")) {
                long weight = e.getLong("weight");
                allocated += weight;
                allocByClass.merge(e.getClass("objectClass").getName(), weight, Long::sum);
                String site = "(no project frame)";
                if (stack != null) {
                    for (RecordedFrame f : stack.getFrames()) {
                        if (OURS.matcher(method(f)).matches()) { site = method(f); break; }
                    }
                }
                allocBySite.merge(site, weight, Long::sum);
            }
        }
        System.out.printf("window %s .. %s, %d execution samples, %.0f MB allocated (sampled weight)%n",
            from, last, samples, allocated / 1e6);
        print("execution samples by thread pool", pools, samples, top, "%");
        print("self (top frame)", self, samples, top, "%");
        print("inclusive, any frame", inclusive, samples, top, "%");
        print("inclusive, project and framework frames", inclusiveOurs, samples, top * 2, "%");
        print("allocated bytes by class", allocByClass, allocated, top, "% of bytes");
        print("allocated bytes by first project/framework frame", allocBySite, allocated, top, "% of bytes");
        if (focus != null) print("callers of " + focus, focusPaths, samples, top, "%");
    }

    /** FOCUS <- caller <- caller ..., project and framework frames only, the first 8. */
    private static void focusPath(List<RecordedFrame> frames, Pattern focus, Map<String, Long> paths) {
        int at = 0;
        while (at < frames.size() && !focus.matcher(method(frames.get(at))).find()) at++;
        if (at == frames.size()) return;
        StringBuilder path = new StringBuilder(method(frames.get(at)));
        int shown = 0;
        for (int i = at + 1; i < frames.size() && shown < 8; i++) {
            String m = method(frames.get(i));
            if (OURS.matcher(m).matches() && !m.contains("$$Lambda")) {
                path.append("\n           <- ").append(m.replaceAll("^org\\.apache\\.james\\.", "o.a.j."));
                shown++;
            }
        }
        paths.merge(path.toString(), 1L, Long::sum);
    }

    private static String threadName(RecordedEvent e) {
        RecordedThread t = e.getThread("sampledThread");
        if (t == null) t = e.getThread("eventThread");
        if (t == null) return "?";
        return t.getJavaName() != null ? t.getJavaName() : t.getOSName();
    }

    private static String method(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static void print(String title, Map<String, Long> counts, long total, int top, String unit) {
        System.out.printf("%n== %s%n", title);
        counts.entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .limit(top)
            .forEach(c -> System.out.printf("%6.1f %s  %s%n", 100.0 * c.getValue() / Math.max(1, total), unit, c.getKey()));
    }
}
