package org.maildeck.assembly.imap;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.WeakHashMap;

import javax.inject.Singleton;

import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.process.SelectedMailbox;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.model.MailboxId;

/**
 * The folders that IMAP sessions have selected read-write (SELECT, not EXAMINE), so that one
 * session can see which messages' \Recent already went to another: RFC 3501 §2.3.2 gives a
 * message's \Recent to one session only. A selection counts while its session still has it
 * selected: CLOSE, UNSELECT, another SELECT or EXAMINE, LOGOUT and a dropped connection need
 * no hook. Sessions and their selections are held weakly: a forgotten session costs nothing.
 */
@Singleton
public class ReadWriteSelections {

    private final Map<ImapSession, WeakReference<SelectedMailbox>> selections = new WeakHashMap<>();

    /** {@code session} has just selected its current folder read-write. */
    synchronized void selected(ImapSession session) {
        SelectedMailbox selected = session.getSelected();
        if (selected != null) {
            selections.put(session, new WeakReference<>(selected));
        }
    }

    /** The messages that are \Recent in the sessions other than {@code asking} that have {@code folder} selected read-write. */
    Set<MessageUid> recentElsewhere(MailboxId folder, ImapSession asking) {
        Set<MessageUid> recent = new TreeSet<>();
        for (SelectedMailbox selected : current(asking)) {
            if (folder.equals(selected.getMailboxId())) {
                recent.addAll(selected.getRecent());
            }
        }
        return recent;
    }

    /** Whether a session other than {@code asking} has a folder selected read-write. */
    boolean anyBesides(ImapSession asking) {
        return !current(asking).isEmpty();
    }

    /** The read-write selections still current, forgetting the others. */
    private synchronized List<SelectedMailbox> current(ImapSession asking) {
        List<SelectedMailbox> current = new ArrayList<>();
        selections.entrySet().removeIf(entry -> entry.getKey().getSelected() == null
            || entry.getKey().getSelected() != entry.getValue().get());
        selections.forEach((session, selection) -> {
            SelectedMailbox selected = selection.get();
            if (session != asking && selected != null) {
                current.add(selected);
            }
        });
        return current;
    }
}
