package org.maildeck.maildir.james;

import java.io.IOException;

import org.maildeck.maildir.SearchedHeaderFields;

/**
 * A message whose header fields for SEARCH can be had without parsing its header each time: a
 * Maildir message, from its folder's cache (Dovecot's {@code dovecot.index.cache} serves
 * SEARCH FROM and the like the same way).
 */
public interface SearchableHeader {

    /**
     * The message's FROM, TO, CC, BCC, SUBJECT and Date: fields, each value as James's
     * {@code ResultUtils.createHeaders} reads it from the header. Throws when the message is gone
     * and was not read before.
     */
    SearchedHeaderFields searchedHeaderFields() throws IOException;
}
