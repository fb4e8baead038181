package org.maildeck.imap;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.process.ImapProcessor.Responder;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The responses of one James command held back until it has finished, then released to the
 * client in order, each possibly corrected or replaced by several: how a processor subclass
 * mends what James's private code wrote, without copying that code.
 */
public final class HeldResponses implements Responder {

    private final List<ImapResponseMessage> held = new ArrayList<>();

    @Override
    public synchronized void respond(ImapResponseMessage message) {
        held.add(message);
    }

    @Override
    public void flush() {
        // released, and flushed, all together
    }

    /** Sends what was held to {@code client}, each response as {@code correct} turns it. */
    Mono<Void> release(Responder client, Function<List<ImapResponseMessage>, Flux<ImapResponseMessage>> correct) {
        return Flux.defer(() -> correct.apply(taken()))
            .doOnNext(client::respond)
            .then(Mono.fromRunnable(client::flush));
    }

    /** Sends what was held to {@code client} as it is. */
    Mono<Void> release(Responder client) {
        return release(client, Flux::fromIterable);
    }

    private synchronized List<ImapResponseMessage> taken() {
        List<ImapResponseMessage> taken = List.copyOf(held);
        held.clear();
        return taken;
    }

    /**
     * {@code command} run against held responses, released through {@code correct} once it
     * succeeds, or as they are before its error goes on.
     */
    public static Mono<Void> around(Responder client, Function<Responder, Mono<Void>> command,
                             Function<List<ImapResponseMessage>, Flux<ImapResponseMessage>> correct) {
        HeldResponses held = new HeldResponses();
        return command.apply(held)
            .then(Mono.defer(() -> held.release(client, correct)))
            .onErrorResume(error -> held.release(client).then(Mono.error(error)));
    }
}
