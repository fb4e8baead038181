package org.maildeck.contentfilter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;

/**
 * The scanning route (Apache Camel): the message goes to every scanner at once
 * ({@code direct:scan}, a parallel multicast; {@link Mode#SEQUENTIAL} asks them one after the
 * other instead, which lets a scanner skip mail another found infected), each scanner runs on its own route
 * ({@code direct:scanner-<name>}) behind a Resilience4j circuit breaker, its time limit kept by
 * {@link TimeLimitedCalls} (none for a scanner {@linkplain Scanner#limitsItsOwnTime that limits its own
 * time}, called on the route's thread), and the verdicts are gathered into one
 * {@link ScanReport}. A scanner that throws, times out or
 * has its circuit open yields {@link ScannerVerdict.Failed} (and counts against its circuit);
 * what that means for the mail is the caller's policy. Camel's JMX statistics (context {@code maildeck-scan}, routes
 * {@code scan} and {@code scanner-<name>}) are on.
 * <p>
 * When every scanner {@linkplain Scanner#limitsItsOwnTime limits its own time} (clamd and the
 * banned-attachment rules, the shipped set without spamd), the parallel route asks them in turn
 * on the caller's thread: a multicast onto a thread pool would cost two thread hand-overs and
 * their wake-ups per scanner and per mail for work that takes clamd about a millisecond and the
 * rules a fraction of one, and every scanner's call ends within its limit anyway. The route and
 * its statistics ({@code scan}, {@code scanner-<name>}) stay as they are.
 * <p>
 * The caller waits for the route at most twice the scanners' own time limits and ten seconds more:
 * an exchange that never completes (seen once, the first exchange after a restart, cause unknown)
 * would otherwise hold its spool thread and its mail until the server stops. Past that deadline
 * every scanner counts as failed for this mail, the stacks of Camel's threads are logged for the
 * diagnosis, and the caller's policy decides (by default: scan the mail again later).
 */
public final class ScanRoute implements AutoCloseable {

    private static final String ENTRY = "direct:scan";
    /** The verdicts gathered so far, on the sequential route. */
    private static final String VERDICTS_SO_FAR = "maildeck.verdicts";

    /** How the scanners are asked. */
    public enum Mode {
        /** All at once: a message takes as long as its slowest scanner. */
        PARALLEL,
        /** One after the other, in the configured order. */
        SEQUENTIAL
    }

    private static final Logger LOG = LoggerFactory.getLogger(ScanRoute.class);

    private final CamelContext camel;
    private final ProducerTemplate producer;
    /** The parallel route's entry, asked on the caller's thread (null on the sequential route). */
    private final AsyncProducer entry;
    private final List<Scanner> scanners;
    private final Duration deadline;
    private final TimeLimitedCalls calls = new TimeLimitedCalls("scanner-call");

    public ScanRoute(List<Scanner> scanners, CircuitBreakerSettings breaker) throws Exception {
        this(scanners, breaker, Mode.PARALLEL);
    }

    public ScanRoute(List<Scanner> scanners, CircuitBreakerSettings breaker, Mode mode) throws Exception {
        this(scanners, breaker, mode, deadline(scanners, mode));
    }

    /** Whether the parallel route asks its scanners in turn on the caller's thread (see the class comment). */
    static boolean inTurnOnTheCallersThread(List<Scanner> scanners) {
        return scanners.stream().allMatch(Scanner::limitsItsOwnTime);
    }

    ScanRoute(List<Scanner> scanners, CircuitBreakerSettings breaker, Mode mode, Duration deadline) throws Exception {
        if (scanners.isEmpty()) {
            throw new IllegalArgumentException("no scanner on the route");
        }
        this.scanners = List.copyOf(scanners);
        this.deadline = deadline;
        camel = new DefaultCamelContext();
        camel.getCamelContextExtension().setName("maildeck-scan");
        // the bodies are a ScanInput and verdicts, never streams: no per-exchange attempt to cache them
        camel.setStreamCaching(false);
        // each scanner's time limit is kept by TimeLimitedCalls, not by the circuit breaker (why: there)
        camel.addRoutes(new Routes(scanners, breaker, mode, calls));
        camel.start();
        producer = camel.createProducerTemplate();
        // the sequential route's scans run on a thread of their own while the caller waits with the deadline
        // (the parallel route's caller starts its exchange itself: send)
        producer.setExecutorService(camel.getExecutorServiceManager().newCachedThreadPool(this, "ScanRequest"));
        if (mode == Mode.PARALLEL) {
            entry = camel.getEndpoint(ENTRY).createAsyncProducer();
            entry.start();
        } else {
            entry = null;
        }
    }

    private static Duration deadline(List<Scanner> scanners, Mode mode) {
        List<Duration> limits = scanners.stream().map(Scanner::timeout).toList();
        Duration route = mode == Mode.PARALLEL && !inTurnOnTheCallersThread(scanners)
            ? Collections.max(limits)
            : limits.stream().reduce(Duration.ZERO, Duration::plus);
        return route.multipliedBy(2).plusSeconds(10);
    }

    /** Runs every scanner on the message; returns when all have answered, failed or timed out. */
    public ScanReport scan(ScanInput message) {
        long start = System.nanoTime();
        CompletableFuture<Object> answer = send(message);
        List<ScannerVerdict> verdicts;
        try {
            verdicts = verdicts(answer.get(deadline.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            answer.cancel(true);
            LOG.error("the scan route gave no answer within {} ms: every scanner counts as failed for this mail; Camel's threads:{}",
                deadline.toMillis(), camelThreads());
            verdicts = scanners.stream().<ScannerVerdict>map(scanner -> new ScannerVerdict.Failed(scanner.name(),
                ScannerVerdict.Failed.Cause.TIMEOUT, "the scan route gave no answer within " + deadline.toMillis() + " ms")).toList();
        } catch (ExecutionException e) {
            throw RuntimeCamelException.wrapRuntimeCamelException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeCamelException("interrupted while scanning", e);
        }
        return new ScanReport(withoutScoresOfInfectedMail(verdicts), Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * The route's answer to come. The parallel route hands each scanner to a thread of the
     * multicast's pool at once, so the caller itself starts the exchange and then waits for its
     * callback, with the deadline: no thread of the producer's pool in between (two thread
     * switches per scan fewer); when it asks its scanners in turn on this thread, the answer is
     * there once {@code process} returns, each scanner's call having been cut at its own limit
     * (so no deadline is needed for it). The sequential route runs its scanners on the thread that starts
     * it, so it is started on the producer's pool, and the caller still waits with the deadline.
     */
    private CompletableFuture<Object> send(ScanInput message) {
        if (entry == null) {
            return producer.asyncRequestBody(ENTRY, message);
        }
        CompletableFuture<Object> answer = new CompletableFuture<>();
        Exchange exchange = entry.getEndpoint().createExchange(ExchangePattern.InOut);
        exchange.getMessage().setBody(message);
        try {
            entry.process(exchange, doneSync -> {
                if (exchange.getException() != null) {
                    answer.completeExceptionally(exchange.getException());
                } else {
                    answer.complete(exchange.getMessage().getBody());
                }
            });
        } catch (RuntimeException e) {
            // as the producer template's future would: the caller sees it as the route's failure
            answer.completeExceptionally(e);
        }
        return answer;
    }

    @SuppressWarnings("unchecked")
    private static List<ScannerVerdict> verdicts(Object body) {
        return (List<ScannerVerdict>) body;
    }

    private static String camelThreads() {
        StringBuilder dump = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread.getName().startsWith("Camel")) {
                dump.append("\n  \"").append(thread.getName()).append("\" ").append(thread.getState());
                Arrays.stream(stack).limit(25).forEach(frame -> dump.append("\n      at ").append(frame));
            }
        });
        return dump.toString();
    }

    /** On the parallel route a scanner cannot know in time: its answer is dropped instead. */
    private List<ScannerVerdict> withoutScoresOfInfectedMail(List<ScannerVerdict> verdicts) {
        if (verdicts.stream().noneMatch(ScannerVerdict.Infected.class::isInstance)) {
            return verdicts;
        }
        return verdicts.stream()
            .map(verdict -> skipsInfectedMail(verdict.scanner()) && !(verdict instanceof ScannerVerdict.Unchecked)
                ? new ScannerVerdict.Unchecked(verdict.scanner(), "infected mail is not scored")
                : verdict)
            .toList();
    }

    private boolean skipsInfectedMail(String scanner) {
        return scanners.stream().anyMatch(candidate -> candidate.name().equals(scanner) && candidate.skipsInfectedMail());
    }

    /** The scanners on the route, in the configured order. */
    public List<String> scannerNames() {
        return scanners.stream().map(Scanner::name).toList();
    }

    public CamelContext camel() {
        return camel;
    }

    @Override
    public void close() throws Exception {
        if (entry != null) {
            entry.close();
        }
        producer.close();
        camel.close();
        calls.close();
    }

    private static final class Routes extends RouteBuilder {

        private final List<Scanner> scanners;
        private final CircuitBreakerSettings breaker;
        private final Mode mode;
        private final TimeLimitedCalls calls;

        Routes(List<Scanner> scanners, CircuitBreakerSettings breaker, Mode mode, TimeLimitedCalls calls) {
            this.scanners = scanners;
            this.breaker = breaker;
            this.mode = mode;
            this.calls = calls;
        }

        @Override
        public void configure() {
            if (mode == Mode.PARALLEL) {
                var multicast = from(ENTRY).routeId("scan").multicast(new CollectVerdicts(scanners));
                if (!inTurnOnTheCallersThread(scanners)) {
                    multicast.parallelProcessing();
                }
                multicast.to(scanners.stream().map(Routes::endpoint).toArray(String[]::new)).end();
            } else {
                var sequence = from(ENTRY).routeId("scan")
                    .process(exchange -> exchange.setProperty(VERDICTS_SO_FAR, new ArrayList<ScannerVerdict>()));
                for (Scanner scanner : scanners) {
                    sequence = sequence.enrich(endpoint(scanner), new AppendVerdict());
                }
                sequence.process(exchange -> exchange.getMessage().setBody(exchange.getProperty(VERDICTS_SO_FAR, List.class)));
            }
            for (Scanner scanner : scanners) {
                from(endpoint(scanner)).routeId("scanner-" + scanner.name())
                    .process(exchange -> skipReason(exchange, scanner).ifPresent(reason -> {
                        exchange.getMessage().setBody(new ScannerVerdict.Unchecked(scanner.name(), reason));
                        exchange.setRouteStop(true);
                    }))
                    .doTry()
                        .circuitBreaker()
                            .resilience4jConfiguration()
                                .timeoutEnabled(false)
                                .slidingWindowSize(breaker.window())
                                .minimumNumberOfCalls(breaker.minimumCalls())
                                .failureRateThreshold(breaker.failureRatePercent())
                                .waitDurationInOpenState((int) breaker.openFor().toSeconds())
                                .throwExceptionWhenHalfOpenOrOpenState(true)
                            .end()
                            .process(exchange -> {
                                ScanInput message = exchange.getMessage().getBody(ScanInput.class);
                                exchange.getMessage().setBody(scanner.limitsItsOwnTime()
                                    ? scanner.scan(message)
                                    : calls.call(() -> scanner.scan(message), scanner.timeout().toMillis()));
                            })
                        .endCircuitBreaker()
                    .endDoTry()
                    .doCatch(Exception.class)
                        .process(exchange -> exchange.getMessage().setBody(
                            failure(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class), scanner)))
                    .end();
            }
        }

        /** Skipped without counting against the scanner's circuit: asked not to, or nothing left to learn. */
        private static java.util.Optional<String> skipReason(Exchange exchange, Scanner scanner) {
            java.util.Optional<String> asked = exchange.getMessage().getBody(ScanInput.class).skipReason(scanner.name());
            if (asked.isPresent()) {
                return asked;
            }
            @SuppressWarnings("unchecked")
            List<ScannerVerdict> earlier = exchange.getProperty(VERDICTS_SO_FAR, List.class);
            if (scanner.skipsInfectedMail() && earlier != null && earlier.stream().anyMatch(ScannerVerdict.Infected.class::isInstance)) {
                return java.util.Optional.of("infected mail is not scored");
            }
            return java.util.Optional.empty();
        }

        private static String endpoint(Scanner scanner) {
            return "direct:scanner-" + scanner.name();
        }

        private static ScannerVerdict.Failed failure(Throwable caught, Scanner scanner) {
            Throwable failure = caught;
            while ((failure instanceof CompletionException || failure instanceof ExecutionException
                    || failure instanceof RuntimeCamelException) && failure.getCause() != null) {
                failure = failure.getCause();
            }
            if (failure instanceof CallNotPermittedException) {
                return new ScannerVerdict.Failed(scanner.name(), ScannerVerdict.Failed.Cause.CIRCUIT_OPEN, "circuit open after repeated failures");
            }
            if (failure instanceof TimeoutException) {
                return new ScannerVerdict.Failed(scanner.name(), ScannerVerdict.Failed.Cause.TIMEOUT,
                    "no verdict within " + scanner.timeout().toMillis() + " ms");
            }
            if (failure instanceof ScannerTimeoutException) {
                return new ScannerVerdict.Failed(scanner.name(), ScannerVerdict.Failed.Cause.TIMEOUT, failure.getMessage());
            }
            return new ScannerVerdict.Failed(scanner.name(), failure == null ? "failed" : String.valueOf(failure.getMessage()));
        }
    }

    /** Sequential route: adds each scanner's verdict to the list and keeps the message for the next one. */
    private static final class AppendVerdict implements AggregationStrategy {
        @Override
        @SuppressWarnings("unchecked")
        public Exchange aggregate(Exchange original, Exchange scanned) {
            original.getProperty(VERDICTS_SO_FAR, List.class).add(scanned.getMessage().getBody(ScannerVerdict.class));
            return original;
        }
    }

    /** Gathers the scanners' verdicts into a list, ordered as the scanners are configured. */
    private static final class CollectVerdicts implements AggregationStrategy {

        private final List<String> order;

        CollectVerdicts(List<Scanner> scanners) {
            this.order = scanners.stream().map(Scanner::name).toList();
        }

        @Override
        public Exchange aggregate(Exchange gathered, Exchange next) {
            List<ScannerVerdict> verdicts = new ArrayList<>();
            if (gathered != null) {
                verdicts.addAll(verdictsOf(gathered));
            }
            verdicts.add(next.getMessage().getBody(ScannerVerdict.class));
            verdicts.sort((a, b) -> Integer.compare(order.indexOf(a.scanner()), order.indexOf(b.scanner())));
            Exchange result = gathered == null ? next : gathered;
            result.getMessage().setBody(verdicts);
            return result;
        }

        @SuppressWarnings("unchecked")
        private static List<ScannerVerdict> verdictsOf(Exchange exchange) {
            return (List<ScannerVerdict>) exchange.getMessage().getBody(List.class);
        }
    }
}
