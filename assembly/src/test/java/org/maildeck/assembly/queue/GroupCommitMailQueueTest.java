package org.maildeck.assembly.queue;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.mail.internet.MimeMessage;

import org.apache.james.metrics.api.NoopGaugeRegistry;
import org.apache.james.metrics.dropwizard.DropWizardMetricFactory;
import org.apache.james.queue.activemq.metric.ActiveMQMetricCollectorNoop;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.RawMailQueueItemDecoratorFactory;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Mail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.codahale.metrics.MetricRegistry;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The queue on a real broker with its KahaDB journal in a temporary directory. */
class GroupCommitMailQueueTest {

    /** How long James's JMS queue could wait before it saw a mail fall due. */
    private static final Duration OLD_DEQUEUE_WAIT = Duration.ofSeconds(10);

    @TempDir
    Path data;

    private EmbeddedBroker broker;
    private GroupCommitMailQueueFactory queues;
    private Disposable consumer;
    private final BlockingQueue<Taken> taken = new LinkedBlockingQueue<>();

    private record Taken(String name, Instant at) {
    }

    @BeforeEach
    void startBroker() throws Exception {
        broker = new EmbeddedBroker(new QueueSettings(data.resolve("queue"), 64L << 20, 1L << 30, 64L << 20, "always"));
        queues = new GroupCommitMailQueueFactory(broker.connectionFactory(), new RawMailQueueItemDecoratorFactory(),
            new DropWizardMetricFactory(new MetricRegistry()), new NoopGaugeRegistry(), new ActiveMQMetricCollectorNoop());
        queues.setUseJMX(false);
    }

    @AfterEach
    void stopBroker() throws Exception {
        if (consumer != null) {
            consumer.dispose();
        }
        queues.destroy();
        broker.stop();
    }

    private MailQueue spool() {
        return queues.createQueue(MailQueueName.of("spool"));
    }

    /** Takes every mail off the queue as the spooler does, noting when. */
    private void consume(MailQueue queue) {
        consumer = Flux.from(queue.deQueue())
            .flatMap(item -> Mono.fromCallable(() -> {
                taken.add(new Taken(item.getMail().getName(), Instant.now()));
                item.done(MailQueue.MailQueueItem.CompletionStatus.SUCCESS);
                return item;
            }).subscribeOn(Schedulers.boundedElastic()))
            .subscribeOn(Schedulers.boundedElastic())
            .subscribe();
    }

    private static Mail mail(String name) throws Exception {
        byte[] raw = ("From: <sender@queue.test>\r\nSubject: " + name + "\r\n\r\nBody.\r\n").getBytes(US_ASCII);
        return MailImpl.builder()
            .name(name)
            .sender("sender@queue.test")
            .addRecipient("rcpt@queue.test")
            .mimeMessage(new MimeMessage(javax.mail.Session.getInstance(new Properties()), new ByteArrayInputStream(raw)))
            .build();
    }

    @Test
    void aMailWithoutDelayIsTakenAtOnceWithItsBytes() throws Exception {
        MailQueue spool = spool();
        consume(spool);

        spool.enQueue(mail("now"));

        Taken first = taken.poll(5, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        assertThat(first.name()).isEqualTo("now");
    }

    @Test
    void aDelayedMailIsTakenWithinASecondOfItsDueTimeNotAtTheNextPoll() throws Exception {
        MailQueue spool = spool();
        consume(spool);
        Thread.sleep(300); // the consumer is waiting for mail when the delayed one comes in

        Instant enqueued = Instant.now();
        spool.enQueue(mail("retry"), Duration.ofSeconds(2));

        Taken retry = taken.poll(OLD_DEQUEUE_WAIT.toSeconds() + 5, TimeUnit.SECONDS);
        assertThat(retry).as("the delayed mail is taken").isNotNull();
        Duration after = Duration.between(enqueued, retry.at());
        assertThat(after).as("not before it is due").isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(after).as("within a second of its due time").isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aMailDelayedBeforeARestartIsTakenWithinASecondOfItsDueTime() throws Exception {
        Instant enqueued = Instant.now();
        spool().enQueue(mail("delayed-before-restart"), Duration.ofSeconds(3));
        queues.destroy();
        broker.stop();
        startBroker();
        MailQueue spool = spool();

        consume(spool);

        Taken retry = taken.poll(OLD_DEQUEUE_WAIT.toSeconds() + 5, TimeUnit.SECONDS);
        assertThat(retry).as("the delayed mail survives the restart").isNotNull();
        assertThat(retry.name()).isEqualTo("delayed-before-restart");
        Duration after = Duration.between(enqueued, retry.at());
        assertThat(after).as("not before it is due").isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        assertThat(after).as("within a second of its due time").isLessThan(Duration.ofSeconds(4));
    }
}
