package org.maildeck.console;

import java.io.IOException;

/** A list page of the console ({@code GET /name}) and its changes ({@code POST /name/action}). */
interface Page {

    String name();

    void show(Exchange exchange) throws IOException;

    /** Makes the change {@code action}, or answers 404 when this page has no such action. */
    void change(Exchange exchange, String action) throws IOException;

    /** Refused to this admin: 403 with the reason, nothing changed. */
    final class Forbidden extends RuntimeException {
        Forbidden(String message) {
            super(message, null, false, false);
        }
    }
}
