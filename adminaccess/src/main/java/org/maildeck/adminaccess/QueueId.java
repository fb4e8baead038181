package org.maildeck.adminaccess;

import java.util.regex.Pattern;

/**
 * Queue ids as James makes them: {@code Mail<millis>-<uuid>}, and for each split of a mail
 * (a forward, recipients in different processors) {@code -!<7 digits>} more, its start cut so
 * that it stays 76 characters long. They become file names in the hold repository, so the
 * server looks nothing else up and {@code maildeck queue} sends nothing else.
 */
public final class QueueId {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9!-][A-Za-z0-9_.!-]{0,127}");

    private QueueId() {
    }

    /** Whether {@code id} can be a queue id (and safely names a file). */
    public static boolean isWellFormed(String id) {
        return ID.matcher(id).matches() && !id.contains("..");
    }
}
