package org.maildeck.mailets.quarantine;

import java.io.IOException;
import java.util.Optional;

import javax.inject.Inject;

import org.maildeck.contentfilter.quarantine.Quarantine;
import org.maildeck.contentfilter.quarantine.QuarantineEntry;
import org.maildeck.mailets.MailLog;

/** Removing a quarantined message for good, with the mail-log line that says who did. */
public class QuarantineDeletion {

    private final Quarantine quarantine;

    @Inject
    public QuarantineDeletion(Quarantine quarantine) {
        this.quarantine = quarantine;
    }

    /** False when there is no such entry. */
    public boolean delete(String id, String deletedBy) throws IOException {
        Optional<QuarantineEntry> entry = quarantine.find(id);
        if (entry.isEmpty() || !quarantine.delete(id)) {
            return false;
        }
        MailLog.LOGGER.info("{}: deleted from quarantine ({}: {}) by {}: from=<{}>, nrcpt={}",
            id, entry.get().category(), entry.get().reason(), deletedBy, entry.get().sender(), entry.get().recipients().size());
        return true;
    }
}
