package org.maildeck.mailets.quarantine;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.maildeck.contentfilter.quarantine.Quarantine;
import org.maildeck.contentfilter.quarantine.QuarantineListingRow;
import org.maildeck.contentfilter.quarantine.QuarantineMXBean;

/** The quarantine's MBean: figures from the index, actions shared with WebAdmin. */
public class QuarantineManagement implements QuarantineMXBean {

    public static final String NAME = "org.maildeck:type=Quarantine";
    private static final String ADMIN = "jmx";

    private final Quarantine quarantine;
    private final QuarantineRelease release;
    private final QuarantineDeletion deletion;
    private final Clock clock;

    @Inject
    QuarantineManagement(Quarantine quarantine, QuarantineRelease release, QuarantineDeletion deletion) {
        this(quarantine, release, deletion, Clock.systemUTC());
    }

    QuarantineManagement(Quarantine quarantine, QuarantineRelease release, QuarantineDeletion deletion, Clock clock) {
        this.quarantine = quarantine;
        this.release = release;
        this.deletion = deletion;
        this.clock = clock;
    }

    private Collection<Quarantine.Holding> holdings() {
        return quarantine.holdings().values();
    }

    @Override
    public long getMessageCount() {
        return holdings().stream().mapToLong(Quarantine.Holding::messages).sum();
    }

    @Override
    public long getTotalBytes() {
        return holdings().stream().mapToLong(Quarantine.Holding::bytes).sum();
    }

    @Override
    public long getOldestMessageAgeSeconds() {
        return holdings().stream().map(Quarantine.Holding::oldest).min(java.util.Comparator.naturalOrder())
            .map(oldest -> Math.max(0, Duration.between(oldest, clock.instant()).toSeconds()))
            .orElse(0L);
    }

    @Override
    public Map<String, Long> getMessagesByCategory() {
        return quarantine.holdings().entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().messages()));
    }

    @Override
    public List<QuarantineListingRow> listMessages() {
        return quarantine.list().stream().map(QuarantineListingRow::of).toList();
    }

    @Override
    public String release(String id) throws Exception {
        return release.release(id, ADMIN).orElseThrow(() -> noSuchEntry(id));
    }

    @Override
    public void delete(String id) throws Exception {
        if (!deletion.delete(id, ADMIN)) {
            throw noSuchEntry(id);
        }
    }

    private static IllegalArgumentException noSuchEntry(String id) {
        return new IllegalArgumentException("no quarantined message " + id);
    }
}
