package org.maildeck.spool;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import javax.mail.internet.MimeMessage;

import org.apache.james.metrics.api.NoopGaugeRegistry;
import org.apache.james.metrics.dropwizard.DropWizardMetricFactory;
import org.apache.james.queue.activemq.ActiveMQCacheableMailQueue;
import org.apache.james.queue.activemq.metric.ActiveMQMetricCollectorNoop;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.ManageableMailQueue;
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

    /**
     * How late after its due time a delayed mail may be taken: the sweep comes every half second,
     * but a loaded machine (CI beside other builds) delays the threads; still far from James's
     * wait, which is what these tests tell apart.
     */
    private static final Duration LATE_UNDER_LOAD = OLD_DEQUEUE_WAIT.dividedBy(3);

    @TempDir
    Path data;

    private EmbeddedBroker broker;
    private GroupCommitMailQueueFactory queues;
    private Disposable consumer;
    private final BlockingQueue<Taken> taken = new LinkedBlockingQueue<>();
    private final BlockingQueue<Throwable> dequeueEnded = new LinkedBlockingQueue<>();

    private record Taken(String name, Instant at, String content) {
    }

    @BeforeEach
    void startBroker() throws Exception {
        broker = TestBrokers.startedIn(data);
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

    private ManageableMailQueue spool() {
        return queues.createQueue(MailQueueName.of("spool"));
    }

    /** Takes every mail off the queue as the spooler does, noting when. */
    private void consume(MailQueue queue) {
        consume(queue, mail -> MailQueue.MailQueueItem.CompletionStatus.SUCCESS);
    }

    /** Takes every mail off the queue as the spooler does, noting when, done with the outcome given. */
    private void consume(MailQueue queue, Function<Mail, MailQueue.MailQueueItem.CompletionStatus> outcome) {
        consumer = Flux.from(queue.deQueue())
            .flatMap(item -> Mono.fromCallable(() -> {
                taken.add(new Taken(item.getMail().getName(), Instant.now(), content(item.getMail())));
                item.done(outcome.apply(item.getMail()));
                return item;
            }).subscribeOn(Schedulers.boundedElastic()))
            .subscribeOn(Schedulers.boundedElastic())
            .subscribe(item -> { }, failure -> dequeueEnded.add(failure), () -> dequeueEnded.add(new IllegalStateException("the dequeue completed")));
    }

    private static String content(Mail mail) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mail.getMessage().writeTo(out);
        return out.toString(US_ASCII);
    }

    private static String raw(String name) {
        return "From: <sender@queue.test>\r\nSubject: " + name + "\r\n\r\nBody.\r\n";
    }

    private static Mail mail(String name) throws Exception {
        byte[] raw = raw(name).getBytes(US_ASCII);
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
        assertThat(first.content()).isEqualTo(raw("now"));
    }

    @Test
    void aMailQueuedByAnEarlierVersionAsAnObjectMessageIsTakenWithItsBytes() throws Exception {
        ActiveMQCacheableMailQueue earlier = new ActiveMQCacheableMailQueue(broker.connectionFactory(),
            new RawMailQueueItemDecoratorFactory(), MailQueueName.of("spool"), false,
            new DropWizardMetricFactory(new MetricRegistry()), new NoopGaugeRegistry());
        earlier.enQueue(mail("from-before"));
        earlier.dispose();

        consume(spool());

        Taken before = taken.poll(5, TimeUnit.SECONDS);
        assertThat(before).isNotNull();
        assertThat(before.name()).isEqualTo("from-before");
        assertThat(before.content()).isEqualTo(raw("from-before"));
    }

    @Test
    void aFlushedDelayedMailIsTakenAtOnceWithItsBytes() throws Exception {
        ManageableMailQueue spool = spool();
        spool.enQueue(mail("deferred"), Duration.ofHours(1));
        consume(spool);

        spool.flush();

        Taken flushed = taken.poll(5, TimeUnit.SECONDS);
        assertThat(flushed).as("the flushed mail is taken").isNotNull();
        assertThat(flushed.name()).isEqualTo("deferred");
        assertThat(flushed.content()).isEqualTo(raw("deferred"));
    }

    @Test
    void aMailWhoseProcessingFailedIsTakenAgain() throws Exception {
        MailQueue spool = spool();
        Set<String> failedOnce = ConcurrentHashMap.newKeySet();
        consume(spool, mail -> failedOnce.add(mail.getName())
            ? MailQueue.MailQueueItem.CompletionStatus.RETRY
            : MailQueue.MailQueueItem.CompletionStatus.SUCCESS);

        spool.enQueue(mail("fails-once"));

        assertThat(taken.poll(5, TimeUnit.SECONDS)).as("first attempt").isNotNull();
        Taken again = taken.poll(10, TimeUnit.SECONDS);
        assertThat(again).as("taken again after the failure").isNotNull();
        assertThat(again.name()).isEqualTo("fails-once");
    }

    @Test
    void aMailQueuedAfterATakeCanBeRemovedWhileTheConsumerIsKept() throws Exception {
        ManageableMailQueue spool = spool();
        spool.enQueue(mail("first"));
        MailQueue.MailQueueItem first = Flux.from(spool.deQueue()).blockFirst(Duration.ofSeconds(5));
        first.done(MailQueue.MailQueueItem.CompletionStatus.SUCCESS);

        spool.enQueue(mail("second"));

        assertThat(spool.remove(ManageableMailQueue.Type.Name, "second")).isEqualTo(1);
    }

    @Test
    void aDelayedMailIsTakenSoonAfterItsDueTimeNotAtTheNextPoll() throws Exception {
        MailQueue spool = spool();
        consume(spool);
        Thread.sleep(300); // the consumer is waiting for mail when the delayed one comes in

        Instant enqueued = Instant.now();
        spool.enQueue(mail("retry"), Duration.ofSeconds(2));

        Taken retry = taken.poll(OLD_DEQUEUE_WAIT.toSeconds() + 5, TimeUnit.SECONDS);
        assertThat(retry).as("the delayed mail is taken").isNotNull();
        Duration after = Duration.between(enqueued, retry.at());
        assertThat(after).as("not before it is due").isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(after).as("well before James's next poll").isLessThan(Duration.ofSeconds(2).plus(LATE_UNDER_LOAD));
    }

    @Test
    void aMailDelayedBeforeARestartIsTakenSoonAfterItsDueTime() throws Exception {
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
        assertThat(after).as("well before James's next poll").isLessThan(Duration.ofSeconds(3).plus(LATE_UNDER_LOAD));
    }

    @Test
    void aMailThatCannotBeReadDoesNotStopTheDequeue() throws Exception {
        MailQueue spool = spool();
        sendUnreadableMessage("spool");
        spool.enQueue(mail("readable"));

        consume(spool);

        Taken readable = taken.poll(OLD_DEQUEUE_WAIT.toSeconds() + 5, TimeUnit.SECONDS);
        assertThat(dequeueEnded).as("the dequeue goes on after a failure").isEmpty();
        assertThat(readable).as("the mail behind the unreadable one is taken").isNotNull();
        assertThat(readable.name()).isEqualTo("readable");
    }

    @Test
    void aStoppedBrokerEndsTheDequeueWithoutAnError() throws Exception {
        consume(spool());
        Thread.sleep(300); // the consumer is waiting for mail

        broker.stop();

        Throwable ended = dequeueEnded.poll(10, TimeUnit.SECONDS);
        assertThat(ended).as("the dequeue ends").isNotNull();
        assertThat(ended).as("completed, not failed").hasMessage("the dequeue completed");
    }

    /** A message no version of the queue wrote: it has none of the mail's properties. */
    private void sendUnreadableMessage(String queueName) throws Exception {
        javax.jms.Connection connection = broker.connectionFactory().createConnection();
        try {
            javax.jms.Session session = connection.createSession(false, javax.jms.Session.AUTO_ACKNOWLEDGE);
            javax.jms.MessageProducer producer = session.createProducer(session.createQueue(queueName));
            javax.jms.Message message = session.createTextMessage("not a mail");
            message.setLongProperty(org.apache.james.queue.jms.JMSSupport.JAMES_NEXT_DELIVERY, -1L);
            producer.send(message);
        } finally {
            connection.close();
        }
    }
}
