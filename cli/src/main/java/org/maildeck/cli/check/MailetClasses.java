package org.maildeck.cli.check;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every mailet and matcher mailetcontainer.xml names resolves to a class of the server, looked
 * up as James's loaders do: the name as given, else in James's standard packages.
 */
final class MailetClasses {

    private static final List<String> MAILET_PACKAGES = List.of("", "org.apache.james.transport.mailets.");
    private static final List<String> MATCHER_PACKAGES = List.of("", "org.apache.james.transport.matchers.",
        "org.apache.james.mailetcontainer.impl.matchers.");

    private MailetClasses() {
    }

    static List<Finding> check(Path conf) {
        Path file = conf.resolve("mailetcontainer.xml");
        List<Finding> findings = new ArrayList<>();
        List<ConfigurationFiles.Element> elements = ConfigurationFiles.elementsIfReadable(file).orElse(List.of());
        // composite matchers are referred to by the name they are given here
        Set<String> compositeNames = elements.stream()
            .filter(element -> element.name().equals("matcher") && element.attributes().containsKey("name"))
            .map(element -> element.attributes().get("name"))
            .collect(Collectors.toSet());
        for (ConfigurationFiles.Element element : elements) {
            if (element.name().equals("mailet") && element.attributes().containsKey("class")) {
                String mailet = element.attributes().get("class").trim();
                if (resolve(mailet, MAILET_PACKAGES)) {
                    continue;
                }
                findings.add(Finding.error(file, element.line(), "mailet class " + mailet + " not found"));
            }
            String match = element.attributes().get("match");
            if ((element.name().equals("mailet") || element.name().equals("matcher")) && match != null) {
                String matcher = match.split("=", 2)[0].trim();
                if (!compositeNames.contains(matcher) && !resolve(matcher, MATCHER_PACKAGES)) {
                    findings.add(Finding.error(file, element.line(), "matcher class " + matcher + " not found"));
                }
            }
        }
        return findings;
    }

    private static boolean resolve(String name, List<String> packages) {
        ClassLoader loader = MailetClasses.class.getClassLoader();
        for (String prefix : packages) {
            if (name.contains(".") != prefix.isEmpty()) {
                continue;
            }
            try {
                Class.forName(prefix + name, false, loader);
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                // next package
            }
        }
        return false;
    }
}
