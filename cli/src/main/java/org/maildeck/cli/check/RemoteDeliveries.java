package org.maildeck.cli.check;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code RemoteDelivery} mailets of mailetcontainer.xml, each with its parameters. */
final class RemoteDeliveries {

    record Mailet(ConfigurationFiles.Element element, Map<String, String> parameters) {
    }

    /** Elements that end the parameters of the mailet before them. */
    private static final Set<String> NEXT_MAILET = Set.of("mailet", "matcher", "processor", "processors");

    private RemoteDeliveries() {
    }

    /** None when the file is missing or unreadable: {@link ConfigurationFiles} reports that. */
    static List<Mailet> in(Path mailetContainer) {
        List<Mailet> mailets = new ArrayList<>();
        // the elements come flat, in document order: a mailet's parameters follow it
        Mailet open = null;
        for (ConfigurationFiles.Element element : ConfigurationFiles.elementsIfReadable(mailetContainer).orElse(List.of())) {
            if (NEXT_MAILET.contains(element.name())) {
                open = isRemoteDelivery(element) ? new Mailet(element, new HashMap<>()) : null;
                if (open != null) {
                    mailets.add(open);
                }
            } else if (open != null) {
                open.parameters().putIfAbsent(element.name(), element.text().trim());
            }
        }
        return mailets;
    }

    private static boolean isRemoteDelivery(ConfigurationFiles.Element element) {
        String mailet = element.attributes().getOrDefault("class", "").trim();
        return element.name().equals("mailet") && (mailet.equals("RemoteDelivery") || mailet.endsWith(".RemoteDelivery"));
    }
}
