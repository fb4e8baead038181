package org.maildeck.assembly.cli.check;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Every {@code RemoteDelivery} in mailetcontainer.xml names Maildeck's SMTP transport in
 * {@code mail.smtp.class}: without it, its deliveries still work but write no
 * {@code status=sent/deferred/bounced} lines to the mail log, which nothing else would reveal.
 */
final class RemoteDeliveryLogging {

    private static final String TRANSPORT = "org.maildeck.mailets.remote.MailLogSmtpTransport";
    /** Elements that end the parameters of the mailet before them. */
    private static final Set<String> NEXT_MAILET = Set.of("mailet", "matcher", "processor", "processors");

    private RemoteDeliveryLogging() {
    }

    static List<Finding> check(Path conf) {
        Path file = conf.resolve("mailetcontainer.xml");
        List<Finding> findings = new ArrayList<>();
        List<ConfigurationFiles.Element> elements = ConfigurationFiles.elementsIfReadable(file).orElse(List.of());
        // the elements come flat, in document order: a mailet's parameters follow it
        ConfigurationFiles.Element open = null;
        boolean logged = false;
        for (ConfigurationFiles.Element element : elements) {
            if (NEXT_MAILET.contains(element.name())) {
                if (open != null && !logged) {
                    findings.add(unlogged(file, open));
                }
                open = isRemoteDelivery(element) ? element : null;
                logged = false;
            } else if (open != null && element.name().equals("mail.smtp.class") && element.text().trim().equals(TRANSPORT)) {
                logged = true;
            }
        }
        if (open != null && !logged) {
            findings.add(unlogged(file, open));
        }
        return findings;
    }

    private static boolean isRemoteDelivery(ConfigurationFiles.Element element) {
        String mailet = element.attributes().getOrDefault("class", "").trim();
        return element.name().equals("mailet") && (mailet.equals("RemoteDelivery") || mailet.endsWith(".RemoteDelivery"));
    }

    private static Finding unlogged(Path file, ConfigurationFiles.Element remoteDelivery) {
        return Finding.warning(file, remoteDelivery.line(), "RemoteDelivery without <mail.smtp.class>" + TRANSPORT
            + "</mail.smtp.class>: its deliveries write no mail-log lines");
    }
}
