package org.maildeck.imap.context;

import java.util.List;

import org.apache.james.imap.api.Tag;
import org.apache.james.imap.message.request.AbstractImapRequest;

/** CANCELUPDATE with the tags it names. */
final class CancelUpdateRequest extends AbstractImapRequest {

    private final List<Tag> cancelled;

    CancelUpdateRequest(Tag tag, List<Tag> cancelled) {
        super(tag, CancelUpdateCommandParser.CANCELUPDATE);
        this.cancelled = List.copyOf(cancelled);
    }

    List<Tag> cancelled() {
        return cancelled;
    }
}
