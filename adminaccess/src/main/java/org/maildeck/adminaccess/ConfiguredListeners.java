package org.maildeck.adminaccess;

import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The protocol listeners smtpserver.xml, imapserver.xml, pop3server.xml, lmtpserver.xml,
 * managesieveserver.xml, milter.properties and console.properties configure.
 */
public final class ConfiguredListeners {

    /**
     * One bound address of a listener; {@code nextHop} ({@code host:port}) for the filter port,
     * where it passes the mail on (NextHopDelivery's {@code <nextHop>}: Postfix's reinjection smtpd).
     */
    public record Listener(String file, String name, boolean enabled, String host, int port, Optional<String> nextHop) {
        /** Whether something accepts connections on the listener's address (a wildcard through loopback). */
        public boolean accepting() {
            return accepting(host, port);
        }

        /** Whether the next hop accepts connections; empty for listeners without one. */
        public Optional<Boolean> nextHopAccepting() {
            return nextHop.map(address -> {
                int colon = address.lastIndexOf(':');
                try {
                    return colon > 0 && accepting(address.substring(0, colon).replace("[", "").replace("]", ""),
                        Integer.parseInt(address.substring(colon + 1)));
                } catch (NumberFormatException e) {
                    return false;
                }
            });
        }

        private static boolean accepting(String host, int port) {
            String target = switch (host) {
                case "0.0.0.0", "" -> "127.0.0.1";
                case "::", "[::]" -> "::1";
                default -> host;
            };
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(target, port), 1000);
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        public String address() {
            return host + ":" + port;
        }
    }

    private static final List<String> FILES = List.of("smtpserver.xml", "imapserver.xml", "pop3server.xml", "lmtpserver.xml",
        "managesieveserver.xml");
    /** The listeners configured in a properties file of their own: file, name, default port. */
    private record PropertiesListener(String file, String name, int defaultPort) {
    }

    private static final List<PropertiesListener> PROPERTIES_LISTENERS = List.of(
        new PropertiesListener("milter.properties", "milter", 8891),
        new PropertiesListener("console.properties", "console", 8080));

    private ConfiguredListeners() {
    }

    /** The listeners of the files that exist and parse; the others are {@code maildeck check}'s to report. */
    public static List<Listener> in(Path conf) {
        List<Listener> listeners = new ArrayList<>();
        for (String file : FILES) {
            Path path = conf.resolve(file);
            if (Files.isRegularFile(path)) {
                listeners.addAll(read(path));
            }
        }
        for (PropertiesListener listener : PROPERTIES_LISTENERS) {
            read(conf.resolve(listener.file()), listener).ifPresent(listeners::add);
        }
        return listeners;
    }

    /** The listener of a properties file (enabled, host, port), off when the file says nothing. */
    private static Optional<Listener> read(Path file, PropertiesListener listener) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
            return Optional.of(new Listener(listener.file(), listener.name(), Boolean.parseBoolean(properties.getProperty("enabled", "false").trim()),
                properties.getProperty("host", "127.0.0.1").trim(),
                Integer.parseInt(properties.getProperty("port", String.valueOf(listener.defaultPort())).trim()), Optional.empty()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static List<Listener> read(Path file) {
        Document document;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            document = factory.newDocumentBuilder().parse(file.toFile());
        } catch (ParserConfigurationException | SAXException | IOException e) {
            return List.of();
        }
        List<Listener> listeners = new ArrayList<>();
        NodeList children = document.getDocumentElement().getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element server && server.getTagName().endsWith("server")) {
                boolean enabled = !server.getAttribute("enabled").trim().equalsIgnoreCase("false");
                String name = text(server, "jmxName", server.getTagName());
                for (String bind : text(server, "bind", "").split(",")) {
                    int colon = bind.trim().lastIndexOf(':');
                    if (colon > 0) {
                        listeners.add(new Listener(file.getFileName().toString(), name, enabled,
                            bind.trim().substring(0, colon), Integer.parseInt(bind.trim().substring(colon + 1)), nextHop(server)));
                    }
                }
            }
        }
        return listeners;
    }

    /** The {@code <nextHop>} of the listener's NextHopDelivery handler, if it has one. */
    private static Optional<String> nextHop(Element server) {
        NodeList handlers = server.getElementsByTagName("handler");
        for (int i = 0; i < handlers.getLength(); i++) {
            Element handler = (Element) handlers.item(i);
            if (handler.getAttribute("class").endsWith(".NextHopDelivery")) {
                String nextHop = text(handler, "nextHop", "");
                return nextHop.isEmpty() ? Optional.empty() : Optional.of(nextHop);
            }
        }
        return Optional.empty();
    }

    private static String text(Element parent, String tag, String fallback) {
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element && element.getTagName().equals(tag)) {
                return element.getTextContent().trim();
            }
        }
        return fallback;
    }
}
