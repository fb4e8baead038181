package org.maildeck.contentfilter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;

/**
 * The scanning route (Apache Camel): the message goes to every scanner at once
 * ({@code direct:scan}, a parallel multicast; {@link Mode#SEQUENTIAL} asks them one after the
 * other instead, which lets a scanner skip mail another found infected), each scanner runs on its own route
 * ({@code direct:scanner-<name>}) behind a Resilience4j circuit breaker with its timeout, and
 * the verdicts are gathered into one {@link ScanReport}. A scanner that throws, times out or
 * has its circuit open yields {@link ScannerVerdict.Failed} (and counts against its circuit);
 * what that means for the mail is the caller's policy. Camel's JMX statistics (context {@code maildeck-scan}, routes
 * {@code scan} and {@code scanner-<name>}) are on.
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

    private final CamelContext camel;
    private final ProducerTemplate producer;
    private final List<Scanner> scanners;

    public ScanRoute(List<Scanner> scanners, CircuitBreakerSettings breaker) throws Exception {
        this(scanners, breaker, Mode.PARALLEL);
    }

    public ScanRoute(List<Scanner> scanners, CircuitBreakerSettings breaker, Mode mode) throws Exception {
        if (scanners.isEmpty()) {
            throw new IllegalArgumentException("no scanner on the route");
        }
        this.scanners = List.copyOf(scanners);
        camel = new DefaultCamelContext();
        camel.getCamelContextExtension().setName("maildeck-scan");
        camel.addRoutes(new Routes(scanners, breaker, mode));
        camel.start();
        producer = camel.createProducerTemplate();
    }

    /** Runs every scanner on the message; returns when all have answered, failed or timed out. */
    public ScanReport scan(ScanInput message) {
        long start = System.nanoTime();
        @SuppressWarnings("unchecked")
        List<ScannerVerdict> verdicts = producer.requestBody(ENTRY, message, List.class);
        return new ScanReport(withoutScoresOfInfectedMail(verdicts), Duration.ofNanos(System.nanoTime() - start));
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
        producer.close();
        camel.close();
    }

    private static final class Routes extends RouteBuilder {

        private final List<Scanner> scanners;
        private final CircuitBreakerSettings breaker;
        private final Mode mode;

        Routes(List<Scanner> scanners, CircuitBreakerSettings breaker, Mode mode) {
            this.scanners = scanners;
            this.breaker = breaker;
            this.mode = mode;
        }

        @Override
        public void configure() {
            if (mode == Mode.PARALLEL) {
                from(ENTRY).routeId("scan")
                    .multicast(new CollectVerdicts(scanners)).parallelProcessing()
                    .to(scanners.stream().map(Routes::endpoint).toArray(String[]::new))
                    .end();
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
                                .timeoutEnabled(true)
                                .timeoutDuration((int) Math.min(Integer.MAX_VALUE, scanner.timeout().toMillis()))
                                .slidingWindowSize(breaker.window())
                                .minimumNumberOfCalls(breaker.minimumCalls())
                                .failureRateThreshold(breaker.failureRatePercent())
                                .waitDurationInOpenState((int) breaker.openFor().toSeconds())
                                .throwExceptionWhenHalfOpenOrOpenState(true)
                            .end()
                            .process(exchange -> exchange.getMessage()
                                .setBody(scanner.scan(exchange.getMessage().getBody(ScanInput.class))))
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
