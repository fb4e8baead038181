package org.maildeck.assembly.mailbox;

import javax.inject.Inject;

import org.apache.james.utils.GuiceProbe;
import org.maildeck.maildir.james.MaildirMaintenance;

/** Hands the store's background work to the shutdown, which stops it after the servers (last index writes). */
public final class MaildirMaintenanceProbe implements GuiceProbe {

    private final MaildirMaintenance maintenance;

    @Inject
    MaildirMaintenanceProbe(MaildirMaintenance maintenance) {
        this.maintenance = maintenance;
    }

    public MaildirMaintenance maintenance() {
        return maintenance;
    }
}
