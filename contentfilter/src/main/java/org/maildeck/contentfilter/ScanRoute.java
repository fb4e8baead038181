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
 * ({@code direct:scan}, a parallel multicast), each scanner runs on its own route
 * ({@code direct:scanner-<name>}) behind a Resilience4j circuit breaker with its timeout, and
 * the verdicts are gathered into one {@link ScanReport}. A scanner that throws, times out or
 * has its circuit open yields {@link ScannerVerdict.Failed} (and counts against its circuit);
 * what that means for the mail is the caller's policy. Camel's JMX statistics (context {@code maildeck-scan}, routes
 * {@code scan} and {@code scanner-<name>}) are on.
 */
public final class ScanRoute implements AutoCloseable {

    private static final String ENTRY = "direct:scan";

    private final CamelContext camel;
    private final ProducerTemplate producer;

    public ScanRoute(List<Scanner> scanners, CircuitBreakerSettings breaker) throws Exception {
        if (scanners.isEmpty()) {
            throw new IllegalArgumentException("no scanner on the route");
        }
        camel = new DefaultCamelContext();
        camel.getCamelContextExtension().setName("maildeck-scan");
        camel.addRoutes(new Routes(scanners, breaker));
        camel.start();
        producer = camel.createProducerTemplate();
    }

    /** Runs every scanner on the message; returns when all have answered, failed or timed out. */
    public ScanReport scan(ScanInput message) {
        long start = System.nanoTime();
        @SuppressWarnings("unchecked")
        List<ScannerVerdict> verdicts = producer.requestBody(ENTRY, message, List.class);
        return new ScanReport(verdicts, Duration.ofNanos(System.nanoTime() - start));
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

        Routes(List<Scanner> scanners, CircuitBreakerSettings breaker) {
            this.scanners = scanners;
            this.breaker = breaker;
        }

        @Override
        public void configure() {
            from(ENTRY).routeId("scan")
                .multicast(new CollectVerdicts(scanners)).parallelProcessing()
                .to(scanners.stream().map(Routes::endpoint).toArray(String[]::new))
                .end();
            for (Scanner scanner : scanners) {
                from(endpoint(scanner)).routeId("scanner-" + scanner.name())
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
                        .process(exchange -> exchange.getMessage().setBody(new ScannerVerdict.Failed(scanner.name(),
                            failureReason(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class), scanner))))
                    .end();
            }
        }

        private static String endpoint(Scanner scanner) {
            return "direct:scanner-" + scanner.name();
        }

        private static String failureReason(Throwable caught, Scanner scanner) {
            Throwable failure = caught;
            while ((failure instanceof CompletionException || failure instanceof ExecutionException
                    || failure instanceof RuntimeCamelException) && failure.getCause() != null) {
                failure = failure.getCause();
            }
            if (failure instanceof CallNotPermittedException) {
                return "circuit open after repeated failures";
            }
            if (failure instanceof TimeoutException) {
                return "no verdict within " + scanner.timeout().toMillis() + " ms";
            }
            return failure == null ? "failed" : String.valueOf(failure.getMessage());
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
