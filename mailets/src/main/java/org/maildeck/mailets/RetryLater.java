package org.maildeck.mailets;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.util.DurationParser;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

import com.google.common.base.Splitter;

/**
 * Puts the mail back in the spool to go through {@code processor} again after a delay that
 * grows with each attempt (Postfix's deferred queue): {@code delays} lists them, the last one
 * repeating, up to {@code maxAttempts}; then the mail goes to {@code exhaustedProcessor} (by
 * default {@code error}, kept for the admin). Used for mail the content filter could not judge.
 * One mail-log line per deferral: {@code <id>: deferred (<reason>), retry in 2m, attempt 3}.
 */
public class RetryLater extends GenericMailet {

    /** Each RetryLater counts in its own attribute, named after the processor it sends the mail back to. */
    static final String ATTEMPTS_PREFIX = "org.maildeck.retry.attempts.";

    private final DeliveryOutcomes outcomes;
    private String processor;
    private List<Duration> delays;
    private int maxAttempts;
    private String exhaustedProcessor;
    private AttributeName reasonAttribute;
    private AttributeName attempts;

    @Inject
    public RetryLater(DeliveryOutcomes outcomes) {
        this.outcomes = outcomes;
    }

    @Override
    public void init() throws MessagingException {
        processor = getInitParameter("processor");
        if (processor == null || processor.isBlank()) {
            throw new MessagingException("RetryLater needs <processor>");
        }
        try {
            delays = Splitter.on(',').trimResults().omitEmptyStrings()
                .splitToStream(getInitParameter("delays", "1m, 2m, 4m, 8m, 15m, 30m, 1h"))
                .map(delay -> DurationParser.parse(delay, ChronoUnit.SECONDS))
                .toList();
        } catch (IllegalArgumentException e) {
            throw new MessagingException("RetryLater <delays>: " + e.getMessage(), e);
        }
        if (delays.isEmpty()) {
            throw new MessagingException("RetryLater <delays> is empty");
        }
        maxAttempts = Integer.parseInt(getInitParameter("maxAttempts", "100"));
        exhaustedProcessor = getInitParameter("exhaustedProcessor", "error");
        reasonAttribute = AttributeName.of(getInitParameter("reasonAttribute", ScanAttributes.FAILURE.asString()));
        attempts = AttributeName.of(ATTEMPTS_PREFIX + processor);
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        int attempt = attemptsSoFar(mail) + 1;
        String reason = mail.getAttribute(reasonAttribute).map(attribute -> String.valueOf(attribute.getValue().value())).orElse("unknown");
        if (attempt > maxAttempts) {
            outcomes.retriesExhausted(mail, reason, maxAttempts, exhaustedProcessor);
            // Mail made from this one from now on (a bounce copies every attribute) starts its own count.
            mail.removeAttribute(attempts);
            mail.setState(exhaustedProcessor);
            return;
        }
        Duration delay = delays.get(Math.min(attempt, delays.size()) - 1);
        mail.setAttribute(new Attribute(attempts, AttributeValue.of(attempt)));
        outcomes.deferred(mail, reason, asWritten(delay), attempt);
        // the queue writes a message whose headers changed by parsing it again, which fails on hostile MIME
        ContentBytes.rereadIfHeadersChanged(mail);
        getMailetContext().sendMail(mail, processor, delay.toMillis(), TimeUnit.MILLISECONDS);
        mail.setState(Mail.GHOST);
    }

    /** A delay as admins write it in {@code delays}: 30s, 5m, 1h. */
    static String asWritten(Duration delay) {
        long seconds = delay.toSeconds();
        if (seconds > 0 && seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds > 0 && seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }

    private int attemptsSoFar(Mail mail) {
        return mail.getAttribute(attempts)
            .map(attribute -> attribute.getValue().value())
            .filter(Integer.class::isInstance)
            .map(Integer.class::cast)
            .orElse(0);
    }

    @Override
    public String getMailetInfo() {
        return "Maildeck RetryLater";
    }
}
