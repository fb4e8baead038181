package org.maildeck.spool;

import java.nio.file.Path;

/** The embedded broker as the spool's tests start it: its store under a test's directory, the journal synced on every write. */
final class TestBrokers {

    private TestBrokers() {
    }

    static EmbeddedBroker startedIn(Path data) throws Exception {
        return new EmbeddedBroker(new QueueSettings(data.resolve("queue"), 64L << 20, 1L << 30, 64L << 20, "always"));
    }
}
