package org.maildeck.mailauth.greylist;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.NamedQuery;
import javax.persistence.Table;

/**
 * A client network's record of retries that passed greylisting (postgrey's auto-whitelist
 * database): once it reaches the configured count, the network's mail is no longer greylisted.
 */
@Entity(name = "GreylistClient")
@Table(name = "MAILDECK_GREYLIST_CLIENT")
@NamedQuery(name = "greylistExpiredClients", query = "DELETE FROM GreylistClient c WHERE c.lastSeen < :before")
@NamedQuery(name = "greylistTouchClient", query = "UPDATE GreylistClient c SET c.lastSeen = :now WHERE c.network = :network")
class GreylistClient {

    @Id
    @Column(name = "NETWORK", length = 64, nullable = false)
    private String network;

    @Column(name = "PASSES", nullable = false)
    private int passes;

    @Column(name = "LAST_SEEN", nullable = false)
    private long lastSeen;

    protected GreylistClient() {
    }

    GreylistClient(String network) {
        this.network = network;
    }

    int passes() {
        return passes;
    }

    /** One more retry passed at {@code now}; the new count. */
    int passed(long now) {
        lastSeen = now;
        return ++passes;
    }
}
