package org.maildeck.mailauth.greylist;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Index;
import javax.persistence.NamedQuery;
import javax.persistence.Table;

/**
 * One (client network, sender, recipient) triplet as greylisting remembers it. The triplet is
 * kept as a SHA-256 of its parts ({@link #id}): a fixed-length key whatever the address lengths,
 * and no correspondents' addresses in the database.
 */
@Entity(name = "GreylistTriplet")
@Table(name = "MAILDECK_GREYLIST_TRIPLET", indexes = @Index(name = "MAILDECK_GREYLIST_PENDING", columnList = "PASSED, FIRST_SEEN"))
@NamedQuery(name = "greylistExpiredPending", query = "DELETE FROM GreylistTriplet t WHERE t.passed = false AND t.firstSeen < :before")
@NamedQuery(name = "greylistExpiredPassed", query = "DELETE FROM GreylistTriplet t WHERE t.passed = true AND t.lastSeen < :before")
@NamedQuery(name = "greylistPendingCount", query = "SELECT COUNT(t) FROM GreylistTriplet t WHERE t.passed = false")
@NamedQuery(name = "greylistOldestPending", query = "SELECT t.id FROM GreylistTriplet t WHERE t.passed = false ORDER BY t.firstSeen")
@NamedQuery(name = "greylistDeleteTriplets", query = "DELETE FROM GreylistTriplet t WHERE t.id IN :ids")
@NamedQuery(name = "greylistTouchTriplet", query = "UPDATE GreylistTriplet t SET t.lastSeen = :now WHERE t.id = :id")
class GreylistTriplet {

    @Id
    @Column(name = "ID", length = 64, nullable = false)
    private String id;

    /** Epoch second of the first attempt of the current round (reset when the retry window passed). */
    @Column(name = "FIRST_SEEN", nullable = false)
    private long firstSeen;

    /** Epoch second of the last attempt (recorded at most once per touch interval once passed). */
    @Column(name = "LAST_SEEN", nullable = false)
    private long lastSeen;

    /** Retried after the delay: mail of this triplet is accepted at once. */
    @Column(name = "PASSED", nullable = false)
    private boolean passed;

    protected GreylistTriplet() {
    }

    GreylistTriplet(String id, long now) {
        this.id = id;
        this.firstSeen = now;
        this.lastSeen = now;
    }

    long firstSeen() {
        return firstSeen;
    }

    long lastSeen() {
        return lastSeen;
    }

    boolean passed() {
        return passed;
    }

    void restart(long now) {
        firstSeen = now;
        lastSeen = now;
        passed = false;
    }

    void pass(long now) {
        lastSeen = now;
        passed = true;
    }
}
