package org.maildeck.autoconfig;

import java.io.StringReader;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** The tests' reading of the documents: parsed as a client would, never matched as text. */
final class Documents {

    static final String HOST = "mail.example.test";
    static final MailClientSettings SETTINGS = new MailClientSettings(
        List.of(new Endpoint(HOST, 993, Endpoint.Security.IMPLICIT_TLS), new Endpoint(HOST, 143, Endpoint.Security.STARTTLS)),
        List.of(new Endpoint(HOST, 465, Endpoint.Security.IMPLICIT_TLS), new Endpoint(HOST, 587, Endpoint.Security.STARTTLS)));

    private Documents() {
    }

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        // the plist's DOCTYPE names Apple's DTD: never fetched
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }

    /** The text of {@code parent}'s only child element named {@code name}. */
    static String text(Element parent, String name) {
        NodeList children = parent.getElementsByTagNameNS("*", name);
        if (children.getLength() != 1) {
            throw new AssertionError(children.getLength() + " <" + name + "> in <" + parent.getTagName() + ">");
        }
        return children.item(0).getTextContent();
    }

    static List<Element> elements(Document document, String name) {
        NodeList nodes = document.getElementsByTagNameNS("*", name);
        List<Element> elements = new java.util.ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            elements.add((Element) nodes.item(i));
        }
        return elements;
    }
}
