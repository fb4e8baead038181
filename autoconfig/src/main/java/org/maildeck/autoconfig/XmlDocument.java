package org.maildeck.autoconfig;

import java.io.StringWriter;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The documents are built as DOM trees and written by the JDK's serialiser, so that a value
 * taken from a request (the mail address asked about) is escaped by the serialiser and can
 * never close an element or open a new one.
 */
final class XmlDocument {

    private final Document document;
    private final String doctypePublic;
    private final String doctypeSystem;

    private XmlDocument(Document document, String doctypePublic, String doctypeSystem) {
        this.document = document;
        this.doctypePublic = doctypePublic;
        this.doctypeSystem = doctypeSystem;
    }

    static XmlDocument withRoot(String namespace, String rootName) {
        return withRoot(namespace, rootName, null, null);
    }

    static XmlDocument withRoot(String namespace, String rootName, String doctypePublic, String doctypeSystem) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            Document document = factory.newDocumentBuilder().newDocument();
            document.appendChild(document.createElementNS(namespace, rootName));
            return new XmlDocument(document, doctypePublic, doctypeSystem);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser is not configured", e);
        }
    }

    Element root() {
        return document.getDocumentElement();
    }

    /** A new child of {@code parent} in the parent's namespace. */
    Element add(Element parent, String name) {
        Element child = document.createElementNS(parent.getNamespaceURI(), name);
        parent.appendChild(child);
        return child;
    }

    /** A new child holding {@code text}. */
    Element add(Element parent, String name, String text) {
        Element child = add(parent, name);
        child.setTextContent(text);
        return child;
    }

    String serialise() {
        try {
            TransformerFactory factory = TransformerFactory.newInstance();
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            Transformer transformer = factory.newTransformer();
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            transformer.setOutputProperty(OutputKeys.INDENT, "yes");
            transformer.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            if (doctypePublic != null) {
                transformer.setOutputProperty(OutputKeys.DOCTYPE_PUBLIC, doctypePublic);
                transformer.setOutputProperty(OutputKeys.DOCTYPE_SYSTEM, doctypeSystem);
            }
            StringWriter out = new StringWriter();
            transformer.transform(new DOMSource(document), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException("cannot write an XML document built in memory", e);
        }
    }
}
