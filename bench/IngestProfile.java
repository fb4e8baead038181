import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import javax.xml.parsers.DocumentBuilderFactory;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Helper of bench/profile-ingest: sorts the JFR execution samples of an ingest run into the
 * stages of a message's way through Maildeck, and prints sample counts (tab-separated lines
 * "kind, key, samples") that the script turns into CPU milliseconds per message.
 *
 * <pre>java bench/IngestProfile.java RECORDING.jfr MAILETCONTAINER.xml</pre>
 *
 * <h2>Attribution rules</h2>
 * A sample is one Java thread caught running Java code (jdk.ExecutionSample: threads in native
 * code or the kernel, blocked or waiting are not sampled). Its stack is walked from the innermost
 * frame outwards; the first frame that is a STRONG marker decides the stage, except for the
 * quota (first rule), which wins wherever it is in the stack:
 * <ol>
 * <li>Quota usage: org.maildeck.maildir.james.MaildirCurrentQuotaManager,
 *     org.apache.james.mailbox.quota.*, org.apache.james.mailbox.store.quota.*,
 *     org.maildeck.mailets.smtpd.QuotaRcptHook (computing a user's usage, which may read the
 *     Maildir), labelled with the stage the frames outside the outermost quota frame give ("under SMTP
 *     session" for the RCPT quota check, "under Maildir delivery" for the delivery's own).</li>
 * <li>IMAP: org.apache.james.imap*, org.apache.james.imapserver (not part of the ingest; the
 *     benchmark does not use IMAP during the run, so this should stay near zero).</li>
 * <li>Maildir delivery: org.maildeck.maildir.*, org.maildeck.mailets.MaildirDelivery*
 *     (the mailet, its helpers MaildirDeliveryCounters, the store, uidlist, ledger, dotlock, fsyncs).</li>
 * <li>Scanning route: org.apache.camel.*, org.maildeck.contentfilter.*, org.maildeck.antivirus.*,
 *     org.maildeck.antispam.* (the Camel route and the scanner clients, on whatever thread: the
 *     route's own threads or an SMTP thread scanning during DATA).</li>
 * <li>Spool: any frame of org.apache.james.queue.*, org.maildeck.assembly.queue.* or org.maildeck.spool.* (the mail
 *     queue and our decorators). It is "spool enqueue" when some queue frame of the stack is
 *     an enQueue/enqueue method (SMTP's SendMailHandler, re-queues by mailets), otherwise
 *     "spool dequeue" (receiving, rebuilding the Mail from the JMS message and its blob,
 *     acknowledging). ActiveMQ's own frames inside are weak (see below), so the broker work
 *     done synchronously under a send or a receive counts with it.</li>
 * <li>A mailet or matcher named in mailetcontainer.xml (class names without a package are
 *     James's, in org.apache.james.transport.mailets/matchers; inner classes and lambdas
 *     count as their outer class): "processor STATE", STATE being the processor whose
 *     &lt;mailet&gt; names the class (both, joined by "|", for a class two processors use;
 *     "(K processors)" for one that more use, like ToProcessor). The per-mailet split is
 *     printed too.</li>
 * <li>Mailet container: org.apache.james.mailetcontainer.* outside any mailet or matcher
 *     (James's MailetProcessorImpl/ProcessorImpl/MatcherSplitter: matcher splitting, mail
 *     copies, MDC, metrics, the processor-to-processor hand-over; JamesMailSpooler).</li>
 * <li>SMTP session: org.apache.james.protocols.*, org.apache.james.smtpserver.*, io.netty.*,
 *     org.jboss.netty.*, org.maildeck.mailets.smtpd.*, org.maildeck.assembly.smtp.* (reading
 *     the commands and DATA, our hooks, writing the replies).</li>
 * </ol>
 * When no strong marker is in the stack, the first WEAK marker from the innermost frame
 * decides: org.apache.activemq.* "spool broker threads" (dispatch, KahaDB journal and index),
 * reactor.* "reactor scheduling", ch.qos.logback/org.slf4j "logging outside a stage",
 * org.apache.openjpa/org.apache.derby "database outside a stage"; else "other" (JDK-only stacks:
 * timers, JMX, the JFR's own Java threads...).
 * <p>
 * Cross-cutting shares are counted on top (a sample can be in several): any frame of
 * logback/slf4j (logging), javax.mail/jakarta.mail/org.apache.james.mime4j/org.apache.james.
 * server.core.MimeMessage* (MIME parsing and writing), java.io.Object{In,Out}putStream
 * (Java serialisation), openjpa/derby (database), java.util.regex.
 * <p>
 * Stacks deeper than the recording's stack depth are truncated at the outer end: the script
 * raises it to 256 frames (-XX:FlightRecorderOptions:stackdepth=256) and this prints how many
 * samples were truncated; an outer marker (the SMTP session's netty frames) may be missing from
 * those, the inner ones decide anyway.
 */
public class IngestProfile {

    static final String[] IMAP = {"org.apache.james.imap", "org.apache.james.imapserver"};
    static final String[] QUOTA = {"org.maildeck.maildir.james.MaildirCurrentQuotaManager", "org.apache.james.mailbox.quota.",
        "org.apache.james.mailbox.store.quota.", "org.maildeck.mailets.smtpd.QuotaRcptHook"};
    static final String[] DELIVERY = {"org.maildeck.maildir.", "org.maildeck.mailets.MaildirDeliver"};
    static final String[] SCAN = {"org.apache.camel.", "org.maildeck.contentfilter.", "org.maildeck.antivirus.", "org.maildeck.antispam."};
    static final String[] QUEUE = {"org.apache.james.queue.", "org.maildeck.assembly.queue.", "org.maildeck.spool."};
    static final String[] CONTAINER = {"org.apache.james.mailetcontainer."};
    static final String[] SMTP = {"org.apache.james.protocols.", "org.apache.james.smtpserver.", "io.netty.", "org.jboss.netty.",
        "org.maildeck.mailets.smtpd.", "org.maildeck.assembly.smtp."};
    static final String[][] WEAK = {{"org.apache.activemq."}, {"reactor."}, {"ch.qos.logback.", "org.slf4j."}, {"org.apache.openjpa.", "org.apache.derby."}};
    static final String[] WEAK_STAGE = {"spool broker threads (ActiveMQ)", "reactor scheduling", "logging outside a stage", "database outside a stage"};
    static final String[][] CROSS = {{"ch.qos.logback.", "org.slf4j."}, {"javax.mail.", "jakarta.mail.", "org.apache.james.mime4j.", "org.apache.james.server.core.MimeMessage"},
        {"java.io.ObjectOutputStream", "java.io.ObjectInputStream"}, {"org.apache.openjpa.", "org.apache.derby."}, {"java.util.regex."}};
    static final String[] CROSS_NAME = {"logging (logback, slf4j)", "MIME parsing/writing (javax.mail, mime4j, MimeMessage*)",
        "Java serialisation (Object streams)", "database (OpenJPA, Derby)", "regular expressions"};

    public static void main(String[] args) throws Exception {
        Map<String, Set<String>> processorsOf = mailetClasses(new File(args[1]));
        Map<String, Long> stages = new HashMap<>(), mailets = new HashMap<>(), cross = new HashMap<>(),
            self = new HashMap<>(), inclusive = new HashMap<>(), stageSelf = new HashMap<>(), threads = new HashMap<>();
        long total = 0, truncated = 0;
        try (RecordingFile recording = new RecordingFile(Path.of(args[0]))) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                RecordedStackTrace stack = event.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                total++;
                if (stack.isTruncated()) {
                    truncated++;
                }
                List<String> classes = new ArrayList<>();
                List<String> methods = new ArrayList<>();
                for (RecordedFrame frame : stack.getFrames()) {
                    String type = frame.getMethod().getType().getName();
                    classes.add(type);
                    methods.add(type + "." + frame.getMethod().getName());
                }
                String[] stage = stage(classes, methods, processorsOf);
                add(stages, stage[0]);
                if (stage[1] != null) {
                    add(mailets, stage[1]);
                }
                add(self, methods.get(0));
                add(stageSelf, stage[0] + "\t" + methods.get(0));
                String thread = event.getThread("sampledThread") == null ? "?" : event.getThread("sampledThread").getJavaName();
                add(threads, stage[0] + "\t" + (thread == null ? "?" : thread.replaceAll("\\d+", "#")));
                for (String method : new LinkedHashSet<>(methods)) {
                    if (method.startsWith("org.maildeck.") || method.startsWith("org.apache.james.")) {
                        add(inclusive, method);
                    }
                }
                for (int i = 0; i < CROSS.length; i++) {
                    for (String c : classes) {
                        if (startsWith(c, CROSS[i])) {
                            add(cross, CROSS_NAME[i]);
                            break;
                        }
                    }
                }
            }
        }
        System.out.println("total\tall\t" + total);
        System.out.println("truncated\tall\t" + truncated);
        print("stage", stages);
        print("mailet", mailets);
        print("cross", cross);
        print("self", self);
        print("inclusive", inclusive);
        print("stageself", stageSelf);
        print("thread", threads);
    }

    /** {stage, "processor/mailet" or null} of one sample, by the rules of the class comment. */
    static String[] stage(List<String> classes, List<String> methods, Map<String, Set<String>> processorsOf) {
        for (int i = classes.size() - 1; i >= 0; i--) {
            if (startsWith(classes.get(i), QUOTA)) {   // the outermost quota frame: what called it is outside
                String caller = stage(classes.subList(i + 1, classes.size()), methods.subList(i + 1, methods.size()), processorsOf)[0];
                boolean hop = caller.equals("reactor scheduling") || caller.equals("other");   // subscribeOn: the caller is on another thread
                return new String[] {"quota usage (" + (hop ? "reactor thread, caller not in the stack" : "under " + caller) + ")", null};
            }
        }
        for (int i = 0; i < classes.size(); i++) {
            String c = classes.get(i);
            if (startsWith(c, IMAP)) {
                return new String[] {"IMAP (not ingest)", null};
            }
            if (startsWith(c, DELIVERY)) {
                return new String[] {"Maildir delivery", null};
            }
            if (startsWith(c, SCAN)) {
                return new String[] {"scanning route", null};
            }
            if (startsWith(c, QUEUE)) {
                for (int j = 0; j < classes.size(); j++) {
                    String method = methods.get(j);
                    String name = method.substring(method.lastIndexOf('.') + 1);
                    if (startsWith(classes.get(j), QUEUE) && name.toLowerCase().startsWith("enqueue")) {
                        return new String[] {"spool enqueue", null};
                    }
                }
                return new String[] {"spool dequeue", null};
            }
            String outer = c.contains("$") ? c.substring(0, c.indexOf('$')) : c;
            Set<String> processors = processorsOf.get(outer);
            if (processors != null) {
                String where = processors.size() > 2 ? "(" + processors.size() + " processors)" : String.join("|", processors);
                return new String[] {"processor " + where, where + " " + outer.substring(outer.lastIndexOf('.') + 1)};
            }
            if (startsWith(c, CONTAINER)) {
                return new String[] {"mailet container (James)", null};
            }
            if (startsWith(c, SMTP)) {
                return new String[] {"SMTP session", null};
            }
        }
        for (String c : classes) {
            for (int w = 0; w < WEAK.length; w++) {
                if (startsWith(c, WEAK[w])) {
                    return new String[] {WEAK_STAGE[w], null};
                }
            }
        }
        return new String[] {"other", null};
    }

    /** Mailet and matcher classes of mailetcontainer.xml, each with the processors that name it. */
    static Map<String, Set<String>> mailetClasses(File xml) throws Exception {
        Map<String, Set<String>> result = new HashMap<>();
        NodeList processors = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml).getElementsByTagName("processor");
        for (int p = 0; p < processors.getLength(); p++) {
            if (!(processors.item(p) instanceof Element processor) || !processor.hasAttribute("state")) {
                continue;   // <processor>name</processor> inside a mailet is a parameter
            }
            String state = processor.getAttribute("state");
            NodeList mailets = processor.getElementsByTagName("mailet");
            for (int m = 0; m < mailets.getLength(); m++) {
                Element mailet = (Element) mailets.item(m);
                add(result, qualified(mailet.getAttribute("class"), "org.apache.james.transport.mailets."), state);
                String match = mailet.getAttribute("match").split("=", 2)[0];
                if (!match.isEmpty() && !match.equals("All")) {   // All matches everything at no cost; named matchers are ignored
                    add(result, qualified(match, "org.apache.james.transport.matchers."), state);
                }
            }
        }
        return result;
    }

    static String qualified(String name, String defaultPackage) {
        return name.contains(".") ? name : defaultPackage + name;
    }

    static void add(Map<String, Set<String>> map, String key, String value) {
        map.computeIfAbsent(key, k -> new TreeSet<>()).add(value);
    }

    static void add(Map<String, Long> counts, String key) {
        counts.merge(key, 1L, Long::sum);
    }

    static boolean startsWith(String name, String[] prefixes) {
        for (String prefix : prefixes) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    static void print(String kind, Map<String, Long> counts) {
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .forEach(e -> System.out.println(kind + "\t" + e.getKey() + "\t" + e.getValue()));
    }
}
