package org.maildeck.cli.check;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The names other mail servers see (postfix myhostname): the {@code helloName} of the SMTP and
 * LMTP listeners and the {@code heloName} of every {@code RemoteDelivery}. Many servers refuse
 * a client that introduces itself as {@code localhost}, and a configuration from before the
 * server had a name of its own (kept by an upgrade) still says so.
 */
final class ServerNameSettings {

    private static final String SERVER_NAME = "${sys:maildeck.hostname}";
    private static final List<String> LISTENER_FILES = List.of("smtpserver.xml", "lmtpserver.xml");

    private ServerNameSettings() {
    }

    static List<Finding> check(Path conf) {
        List<Finding> findings = new ArrayList<>();
        for (String name : LISTENER_FILES) {
            Path file = conf.resolve(name);
            ConfigurationFiles.elementsIfReadable(file).orElse(List.of()).stream()
                .filter(element -> element.name().equals("helloName") && isLocalhost(element.text()))
                .forEach(element -> findings.add(Finding.warning(file, element.line(), "<helloName>" + element.text().trim()
                    + "</helloName>: the server greets as localhost; write " + SERVER_NAME + " (the server's name) or its fully qualified name")));
        }
        Path mailetContainer = conf.resolve("mailetcontainer.xml");
        for (RemoteDeliveries.Mailet mailet : RemoteDeliveries.in(mailetContainer)) {
            String heloName = mailet.parameters().get("heloName");
            if (heloName == null || isLocalhost(heloName)) {
                findings.add(Finding.warning(mailetContainer, mailet.element().line(), "RemoteDelivery "
                    + (heloName == null ? "without <heloName>: it introduces itself with the default domain" : "with <heloName>" + heloName + "</heloName>")
                    + ", which other servers may refuse; add <heloName>" + SERVER_NAME + "</heloName>"));
            }
        }
        return findings;
    }

    private static boolean isLocalhost(String name) {
        String trimmed = name.trim().toLowerCase(Locale.ROOT);
        return trimmed.equals("localhost") || trimmed.startsWith("localhost.");
    }
}
