package org.maildeck.cli.check;

import java.nio.file.Path;
import java.util.List;

/**
 * Every {@code RemoteDelivery} in mailetcontainer.xml names Maildeck's SMTP transport in
 * {@code mail.smtp.class}: without it, its deliveries still work but write no
 * {@code status=sent/deferred/bounced} lines to the mail log, which nothing else would reveal.
 */
final class RemoteDeliveryLogging {

    private static final String TRANSPORT = "org.maildeck.mailets.remote.smtp.SMTPTransport";

    private RemoteDeliveryLogging() {
    }

    static List<Finding> check(Path conf) {
        Path file = conf.resolve("mailetcontainer.xml");
        return RemoteDeliveries.in(file).stream()
            .filter(mailet -> !TRANSPORT.equals(mailet.parameters().get("mail.smtp.class")))
            .map(mailet -> Finding.warning(file, mailet.element().line(), "RemoteDelivery without <mail.smtp.class>" + TRANSPORT
                + "</mail.smtp.class>: its deliveries write no mail-log lines"))
            .toList();
    }
}
