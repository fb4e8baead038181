package org.maildeck.contentfilter;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.management.ObjectName;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.maildeck.antivirus.ClamdClient;
import org.maildeck.antivirus.ClamdProcess;

class ScanRouteTest {

    private static final ScanInput CLEAN = ScanInput.of("Subject: hi\r\n\r\nHello.\r\n".getBytes(US_ASCII));
    private static final ScanInput EICAR = ScanInput.of(("Subject: test\r\n\r\n" + ClamdProcess.EICAR + "\r\n").getBytes(US_ASCII));

    private static ClamdProcess clamd;

    @BeforeAll
    static void startClamd() {
        clamd = ClamdProcess.start(10 * 1024 * 1024);
    }

    @AfterAll
    static void stopClamd() {
        if (clamd != null) {
            clamd.close();
        }
    }

    private static ClamdScanner clamav() {
        return new ClamdScanner(new ClamdClient(new ClamdClient.Settings(clamd.tcpAddress(),
            Duration.ofSeconds(2), Duration.ofSeconds(10), 10 * 1024 * 1024)), Duration.ofSeconds(10));
    }

    /** A scanner whose behaviour the test decides. */
    private record FakeScanner(String name, Duration timeout, Behaviour behaviour) implements Scanner {
        interface Behaviour {
            ScannerVerdict scan(String name) throws IOException, InterruptedException;
        }

        @Override
        public ScannerVerdict scan(ScanInput message) throws IOException {
            try {
                return behaviour.scan(name);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }

    @Test
    void aCleanMessageIsCleanWithTheEngineName() throws Exception {
        try (ScanRoute route = new ScanRoute(List.of(clamav()), CircuitBreakerSettings.defaults())) {
            ScanReport report = route.scan(CLEAN);

            assertThat(report.verdicts()).hasSize(1);
            assertThat(report.verdicts().get(0)).isInstanceOfSatisfying(ScannerVerdict.Clean.class,
                clean -> assertThat(clean.engine()).startsWith("ClamAV "));
            assertThat(report.infection()).isEmpty();
        }
    }

    @Test
    void eicarIsReportedWithItsSignature() throws Exception {
        try (ScanRoute route = new ScanRoute(List.of(clamav()), CircuitBreakerSettings.defaults())) {
            ScanReport report = route.scan(EICAR);

            assertThat(report.infection()).hasValueSatisfying(infected -> assertThat(infected.virus()).isEqualTo(ClamdProcess.SIGNATURE));
        }
    }

    @Test
    void aStoppedClamdIsAFailureNotAVerdict() throws Exception {
        try (ScanRoute route = new ScanRoute(List.of(clamav()), CircuitBreakerSettings.defaults())) {
            clamd.stop();
            try {
                ScanReport report = route.scan(CLEAN);

                assertThat(report.failures()).singleElement()
                    .satisfies(failure -> assertThat(failure.reason()).contains("clamd"));
            } finally {
                clamd.restart();
            }
        }
    }

    @Test
    void aScannerSlowerThanItsTimeoutFails() throws Exception {
        FakeScanner slow = new FakeScanner("slow", Duration.ofMillis(200), name -> {
            Thread.sleep(5000);
            return new ScannerVerdict.Clean(name, "slow 1.0");
        });
        try (ScanRoute route = new ScanRoute(List.of(slow), CircuitBreakerSettings.defaults())) {
            ScanReport report = route.scan(CLEAN);

            assertThat(report.failures()).singleElement()
                .isEqualTo(new ScannerVerdict.Failed("slow", ScannerVerdict.Failed.Cause.TIMEOUT, "no verdict within 200 ms"));
        }
    }

    @Test
    void scannerCallsRunOnKeptThreadsNotANewThreadEach() throws Exception {
        Set<Thread> callers = java.util.concurrent.ConcurrentHashMap.newKeySet();
        FakeScanner recording = new FakeScanner("recording", Duration.ofSeconds(5), name -> {
            callers.add(Thread.currentThread());
            return new ScannerVerdict.Clean(name, "recording 1.0");
        });
        try (ScanRoute route = new ScanRoute(List.of(recording), CircuitBreakerSettings.defaults())) {
            for (int i = 0; i < 40; i++) {
                assertThat(route.scan(CLEAN).failures()).isEmpty();
            }

            // one after the other, a thread is nearly always idle again for the next call
            assertThat(callers).hasSizeLessThan(20);
        }
    }

    @Test
    void aScannerThatLimitsItsOwnTimeIsCalledOnTheRoutesThreadWithoutAHandOver() throws Exception {
        Set<Thread> callers = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Scanner inProcess = new SelfLimited("in-process", callers);
        try (ScanRoute route = new ScanRoute(List.of(inProcess), CircuitBreakerSettings.defaults())) {
            for (int i = 0; i < 5; i++) {
                assertThat(route.scan(CLEAN).failures()).isEmpty();
            }

            assertThat(callers).isNotEmpty().noneMatch(thread -> thread.getName().startsWith("scanner-call"));
        }
    }

    /** A scanner that keeps its own time and notes the threads that asked it. */
    private record SelfLimited(String name, Set<Thread> callers) implements Scanner {
        @Override
        public Duration timeout() {
            return Duration.ofSeconds(5);
        }

        @Override
        public boolean limitsItsOwnTime() {
            return true;
        }

        @Override
        public ScannerVerdict scan(ScanInput message) {
            callers.add(Thread.currentThread());
            return new ScannerVerdict.Clean(name, name + " 1.0");
        }
    }

    @Test
    void scannersThatAllLimitTheirOwnTimeAreAskedOnTheCallersThread() throws Exception {
        Set<Thread> callers = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (ScanRoute route = new ScanRoute(List.of(new SelfLimited("first", callers), new SelfLimited("second", callers)),
                CircuitBreakerSettings.defaults())) {
            for (int i = 0; i < 5; i++) {
                assertThat(route.scan(CLEAN).verdicts()).containsExactly(new ScannerVerdict.Clean("first", "first 1.0"),
                    new ScannerVerdict.Clean("second", "second 1.0"));
            }

            assertThat(callers).containsExactly(Thread.currentThread());
        }
    }

    @Test
    void theParallelRouteIsStartedByTheCallerWithoutARequestThreadBetween() throws Exception {
        try (ScanRoute route = new ScanRoute(List.of(clamav(), new FakeScanner("other", Duration.ofSeconds(5),
                name -> new ScannerVerdict.Clean(name, "other 1.0"))), CircuitBreakerSettings.defaults())) {
            for (int i = 0; i < 5; i++) {
                assertThat(route.scan(CLEAN).failures()).isEmpty();
            }

            assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .noneMatch(name -> name.contains("ScanRequest"));
        }
    }

    @Test
    void aRouteThatGivesNoAnswerWithinItsDeadlineCountsAsAFailureOfEveryScanner() throws Exception {
        FakeScanner stuck = new FakeScanner("stuck", Duration.ofSeconds(3), name -> {
            Thread.sleep(3_000);
            return new ScannerVerdict.Clean(name, "stuck 1.0");
        });
        try (ScanRoute route = new ScanRoute(List.of(stuck, clamav()), CircuitBreakerSettings.defaults(), ScanRoute.Mode.PARALLEL,
                Duration.ofMillis(300))) {
            ScanReport report = route.scan(CLEAN);

            assertThat(report.failures()).extracting(ScannerVerdict::scanner).containsExactly("stuck", "clamav");
            assertThat(report.failures()).allSatisfy(failure -> assertThat(failure)
                .isEqualTo(new ScannerVerdict.Failed(failure.scanner(), ScannerVerdict.Failed.Cause.TIMEOUT,
                    "the scan route gave no answer within 300 ms")));
            assertThat(report.elapsed()).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void aScannerWhoseOwnClientTimesOutFailsAsATimeout() throws Exception {
        FakeScanner gaveUp = new FakeScanner("gave-up", Duration.ofSeconds(5), name -> {
            throw new ScannerTimeoutException("no complete answer within PT2S", new java.net.SocketTimeoutException());
        });
        try (ScanRoute route = new ScanRoute(List.of(gaveUp), CircuitBreakerSettings.defaults())) {
            ScanReport report = route.scan(CLEAN);

            assertThat(report.failures()).singleElement()
                .isEqualTo(new ScannerVerdict.Failed("gave-up", ScannerVerdict.Failed.Cause.TIMEOUT, "no complete answer within PT2S"));
        }
    }

    @Test
    void scannersRunAtTheSameTime() throws Exception {
        CountDownLatch bothStarted = new CountDownLatch(2);
        FakeScanner.Behaviour waitForTheOther = name -> {
            bothStarted.countDown();
            return bothStarted.await(5, TimeUnit.SECONDS)
                ? new ScannerVerdict.Clean(name, name)
                : new ScannerVerdict.Failed(name, "the other scanner never started");
        };
        List<Scanner> scanners = List.of(new FakeScanner("first", Duration.ofSeconds(10), waitForTheOther),
            new FakeScanner("second", Duration.ofSeconds(10), waitForTheOther));
        try (ScanRoute route = new ScanRoute(scanners, CircuitBreakerSettings.defaults())) {
            ScanReport report = route.scan(CLEAN);

            assertThat(report.verdicts()).containsExactly(new ScannerVerdict.Clean("first", "first"),
                new ScannerVerdict.Clean("second", "second"));
        }
    }

    @Test
    void aFailingScannerDoesNotHideTheOthersVerdicts() throws Exception {
        FakeScanner broken = new FakeScanner("broken", Duration.ofSeconds(5), name -> {
            throw new IOException("connection refused");
        });
        try (ScanRoute route = new ScanRoute(List.of(clamav(), broken), CircuitBreakerSettings.defaults())) {
            ScanReport report = route.scan(EICAR);

            assertThat(report.infection()).isPresent();
            assertThat(report.failures()).singleElement()
                .isEqualTo(new ScannerVerdict.Failed("broken", ScannerVerdict.Failed.Cause.ERROR, "connection refused"));
        }
    }

    @Test
    void repeatedFailuresOpenTheCircuitAndTheScannerIsNoLongerCalled() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        FakeScanner broken = new FakeScanner("broken", Duration.ofSeconds(5), name -> {
            calls.incrementAndGet();
            throw new IOException("connection refused");
        });
        CircuitBreakerSettings breaker = new CircuitBreakerSettings(4, 4, 50f, Duration.ofMinutes(5));
        try (ScanRoute route = new ScanRoute(List.of(broken), breaker)) {
            for (int i = 0; i < 4; i++) {
                route.scan(CLEAN);
            }
            int callsBeforeOpen = calls.get();

            ScanReport report = route.scan(CLEAN);

            assertThat(callsBeforeOpen).isEqualTo(4);
            assertThat(calls.get()).as("not called while the circuit is open").isEqualTo(4);
            assertThat(report.failures()).singleElement()
                .isEqualTo(new ScannerVerdict.Failed("broken", ScannerVerdict.Failed.Cause.CIRCUIT_OPEN, "circuit open after repeated failures"));
        }
    }

    @Test
    void afterTheOpenPeriodAsManyTrialCallsAsTheMinimumDecideThatAStillBrokenScannerStaysOff() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        FakeScanner broken = new FakeScanner("broken", Duration.ofSeconds(5), name -> {
            calls.incrementAndGet();
            throw new IOException("connection refused");
        });
        CircuitBreakerSettings breaker = new CircuitBreakerSettings(2, 2, 100f, Duration.ofSeconds(1));
        try (ScanRoute route = new ScanRoute(List.of(broken), breaker)) {
            route.scan(CLEAN);
            route.scan(CLEAN);
            TimeUnit.MILLISECONDS.sleep(1200);

            route.scan(CLEAN);
            route.scan(CLEAN);
            ScanReport afterTwoTrials = route.scan(CLEAN);

            assertThat(calls.get()).as("two calls to open, two trials, then none").isEqualTo(4);
            assertThat(afterTwoTrials.failures()).singleElement()
                .extracting(ScannerVerdict.Failed::cause).isEqualTo(ScannerVerdict.Failed.Cause.CIRCUIT_OPEN);
        }
    }

    @Test
    void aScannerThatAnswersDuringItsTrialCallsClosesItsCircuit() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        FakeScanner recovering = new FakeScanner("recovering", Duration.ofSeconds(5), name -> {
            if (calls.incrementAndGet() <= 2) {
                throw new IOException("connection refused");
            }
            return new ScannerVerdict.Clean(name, "recovering 1.0");
        });
        CircuitBreakerSettings breaker = new CircuitBreakerSettings(2, 2, 100f, Duration.ofSeconds(1));
        try (ScanRoute route = new ScanRoute(List.of(recovering), breaker)) {
            route.scan(CLEAN);
            route.scan(CLEAN);
            TimeUnit.MILLISECONDS.sleep(1200);

            for (int i = 0; i < 5; i++) {
                assertThat(route.scan(CLEAN).failures()).as("scan %d after the open period", i).isEmpty();
            }
            assertThat(calls.get()).isEqualTo(7);
        }
    }

    @Test
    void eachScannersCircuitCountsOnlyItsOwnCallsSoTwoFailuresInARowOpenIt() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        FakeScanner flaky = new FakeScanner("flaky", Duration.ofSeconds(5), name -> {
            if (calls.incrementAndGet() <= 6) {
                return new ScannerVerdict.Clean(name, "flaky 1.0");
            }
            throw new IOException("connection refused");
        });
        FakeScanner healthy = new FakeScanner("healthy", Duration.ofSeconds(5), name -> new ScannerVerdict.Clean(name, "healthy 1.0"));
        CircuitBreakerSettings breaker = new CircuitBreakerSettings(2, 2, 100f, Duration.ofMinutes(5));
        try (ScanRoute route = new ScanRoute(List.of(healthy, flaky), breaker)) {
            for (int i = 0; i < 8; i++) {
                route.scan(CLEAN);
            }

            ScanReport report = route.scan(CLEAN);

            assertThat(report.failures()).singleElement().extracting(ScannerVerdict.Failed::cause).isEqualTo(ScannerVerdict.Failed.Cause.CIRCUIT_OPEN);
        }
    }

    @Test
    void theRoutesShowInJmx() throws Exception {
        try (ScanRoute route = new ScanRoute(List.of(clamav()), CircuitBreakerSettings.defaults())) {
            route.scan(CLEAN);

            Set<ObjectName> routes = ManagementFactory.getPlatformMBeanServer()
                .queryNames(new ObjectName("org.apache.camel:context=maildeck-scan,type=routes,*"), null);
            assertThat(routes).extracting(name -> name.getKeyProperty("name"))
                .contains("\"scan\"", "\"scanner-clamav\"");
            ObjectName scanRoute = routes.stream().filter(name -> name.getKeyProperty("name").equals("\"scan\"")).findFirst().orElseThrow();
            assertThat((Long) ManagementFactory.getPlatformMBeanServer().getAttribute(scanRoute, "ExchangesCompleted")).isEqualTo(1L);
        }
    }

    /** Scores every message 7.5, skips infected mail, and counts how often it was asked. */
    private static final class CountingScorer implements Scanner {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public String name() {
            return "scorer";
        }

        @Override
        public Duration timeout() {
            return Duration.ofSeconds(5);
        }

        @Override
        public boolean skipsInfectedMail() {
            return true;
        }

        @Override
        public ScannerVerdict scan(ScanInput message) {
            calls.incrementAndGet();
            return new ScannerVerdict.Scored("scorer", "Fake", 7.5, 5.0, List.of("RULE"));
        }
    }

    @Test
    void theSequentialRouteDoesNotAskAScorerAboutInfectedMail() throws Exception {
        CountingScorer scorer = new CountingScorer();
        try (ScanRoute route = new ScanRoute(List.of(clamav(), scorer), CircuitBreakerSettings.defaults(), ScanRoute.Mode.SEQUENTIAL)) {
            ScanReport report = route.scan(EICAR);

            assertThat(report.infection()).isPresent();
            assertThat(report.of("scorer")).contains(new ScannerVerdict.Unchecked("scorer", "infected mail is not scored"));
            assertThat(scorer.calls).hasValue(0);
        }
    }

    @Test
    void theSequentialRouteAsksEveryScannerAboutCleanMailInOrder() throws Exception {
        CountingScorer scorer = new CountingScorer();
        try (ScanRoute route = new ScanRoute(List.of(clamav(), scorer), CircuitBreakerSettings.defaults(), ScanRoute.Mode.SEQUENTIAL)) {
            ScanReport report = route.scan(CLEAN);

            assertThat(report.verdicts()).extracting(ScannerVerdict::scanner).containsExactly(ClamdScanner.NAME, "scorer");
            assertThat(report.spamScore()).hasValueSatisfying(scored -> assertThat(scored.score()).isEqualTo(7.5));
        }
    }

    @Test
    void theParallelRouteDropsTheScoreOfInfectedMail() throws Exception {
        try (ScanRoute route = new ScanRoute(List.of(clamav(), new CountingScorer()), CircuitBreakerSettings.defaults())) {
            ScanReport report = route.scan(EICAR);

            assertThat(report.spamScore()).isEmpty();
            assertThat(report.of("scorer")).contains(new ScannerVerdict.Unchecked("scorer", "infected mail is not scored"));
        }
    }

    @Test
    void aScannerTheInputSkipsIsUncheckedWithTheReasonAndNotAsked() throws Exception {
        CountingScorer scorer = new CountingScorer();
        try (ScanRoute route = new ScanRoute(List.of(clamav(), scorer), CircuitBreakerSettings.defaults())) {
            ScanReport report = route.scan(CLEAN.skipping(java.util.Map.of("scorer", "mail from a client in a trusted network")));

            assertThat(report.of("scorer")).contains(new ScannerVerdict.Unchecked("scorer", "mail from a client in a trusted network"));
            assertThat(report.of(ClamdScanner.NAME)).containsInstanceOf(ScannerVerdict.Clean.class);
            assertThat(scorer.calls).hasValue(0);
        }
    }
}
