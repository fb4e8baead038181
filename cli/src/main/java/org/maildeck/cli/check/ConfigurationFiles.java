package org.maildeck.cli.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;

import org.xml.sax.Attributes;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Every XML file of the configuration directory is well-formed and has the root element James
 * expects of it. Elements are kept with their line numbers for the other checks.
 */
final class ConfigurationFiles {

    /** An element as read, with the line it starts on and its own text (not its children's). */
    record Element(String name, Map<String, String> attributes, int line, String text) {
    }

    private static final Map<String, String> ROOTS = Map.ofEntries(
        Map.entry("smtpserver.xml", "smtpservers"),
        Map.entry("imapserver.xml", "imapservers"),
        Map.entry("pop3server.xml", "pop3servers"),
        Map.entry("lmtpserver.xml", "lmtpservers"),
        Map.entry("mailetcontainer.xml", "mailetcontainer"),
        Map.entry("domainlist.xml", "domainlist"),
        Map.entry("usersrepository.xml", "usersrepository"),
        Map.entry("recipientrewritetable.xml", "recipientrewritetable"),
        Map.entry("mailrepositorystore.xml", "mailrepositorystore"),
        Map.entry("dnsservice.xml", "dnsservice"),
        Map.entry("listeners.xml", "listeners"),
        Map.entry("logback.xml", "configuration"),
        Map.entry("logback-cli.xml", "configuration"));

    private ConfigurationFiles() {
    }

    static List<Finding> check(Path conf) {
        List<Finding> findings = new ArrayList<>();
        if (!Files.isDirectory(conf)) {
            findings.add(Finding.error("configuration directory " + conf + " does not exist"));
            return findings;
        }
        for (Map.Entry<String, String> expected : ROOTS.entrySet()) {
            Path file = conf.resolve(expected.getKey());
            if (!Files.isRegularFile(file)) {
                if (!expected.getKey().startsWith("logback")) {
                    findings.add(Finding.error(file, 0, "missing"));
                }
                continue;
            }
            try {
                List<Element> elements = elements(file);
                if (!elements.isEmpty() && !elements.get(0).name().equals(expected.getValue())) {
                    findings.add(Finding.error(file, elements.get(0).line(),
                        "root element <" + elements.get(0).name() + ">, expected <" + expected.getValue() + ">"));
                }
            } catch (SAXParseException e) {
                findings.add(Finding.error(file, e.getLineNumber(), "not well-formed XML: " + e.getMessage()));
            } catch (IOException | SAXException e) {
                findings.add(Finding.error(file, 0, "unreadable: " + e.getMessage()));
            }
        }
        return findings;
    }

    /** Every element of {@code file} in document order; throws what the parser finds wrong. */
    /**
     * The elements of a file for a check of its content: empty when the file is missing or does
     * not parse, which {@link #check} reports on its own.
     */
    static Optional<List<Element>> elementsIfReadable(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(elements(file));
        } catch (IOException | SAXException e) {
            return Optional.empty();
        }
    }

    static List<Element> elements(Path file) throws IOException, SAXException {
        List<Element> elements = new ArrayList<>();
        try {
            SAXParserFactory factory = SAXParserFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.newSAXParser().parse(file.toFile(), new DefaultHandler() {
                private Locator locator;
                private final java.util.Deque<Integer> open = new java.util.ArrayDeque<>();
                private final java.util.Deque<StringBuilder> texts = new java.util.ArrayDeque<>();

                @Override
                public void setDocumentLocator(Locator locator) {
                    this.locator = locator;
                }

                @Override
                public void startElement(String uri, String localName, String qName, Attributes attributes) {
                    Map<String, String> values = new java.util.LinkedHashMap<>();
                    for (int i = 0; i < attributes.getLength(); i++) {
                        values.put(attributes.getQName(i), attributes.getValue(i));
                    }
                    open.push(elements.size());
                    texts.push(new StringBuilder());
                    elements.add(new Element(qName, values, Optional.ofNullable(locator).map(Locator::getLineNumber).orElse(0), ""));
                }

                @Override
                public void characters(char[] ch, int start, int length) {
                    if (!texts.isEmpty()) {
                        texts.peek().append(ch, start, length);
                    }
                }

                @Override
                public void endElement(String uri, String localName, String qName) {
                    int index = open.pop();
                    Element element = elements.get(index);
                    elements.set(index, new Element(element.name(), element.attributes(), element.line(), texts.pop().toString().trim()));
                }
            });
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
        return elements;
    }
}
