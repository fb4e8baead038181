package org.maildeck.autoconfig;

import java.io.IOException;
import java.io.StringReader;
import java.util.Optional;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * Outlook's Autodiscover in its "POX" form (plain old XML): Outlook POSTs a request naming the
 * address to {@code https://autodiscover.DOMAIN/autodiscover/autodiscover.xml} and reads one
 * {@code Protocol} per server; it takes the first of each type, so the order is the client
 * settings' order. {@code Encryption} (SSL: implicit TLS, TLS: STARTTLS) overrides the older
 * {@code SSL} flag in the Outlook versions that know it.
 */
public final class OutlookAutodiscover {

    /** Requests are a few hundred bytes; anything much larger is not a client's. */
    public static final int MAX_REQUEST_BYTES = 8192;

    private static final String REQUEST_NS = "http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006";
    private static final String RESPONSE_NS = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006";
    private static final String OUTLOOK_RESPONSE_NS = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";

    private final MailClientSettings settings;

    public OutlookAutodiscover(MailClientSettings settings) {
        this.settings = settings;
    }

    /**
     * The address a request asks about; empty when the body is not an Autodiscover request
     * (not XML, a DTD, no or a malformed {@code EMailAddress}, too long).
     */
    public static Optional<ClientAddress> requestedAddress(String body) {
        if (body == null || body.length() > MAX_REQUEST_BYTES) {
            return Optional.empty();
        }
        Document request;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            // no DTD at all: no entity expansion, no external fetch
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            request = factory.newDocumentBuilder().parse(new InputSource(new StringReader(body)));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            return Optional.empty();
        }
        NodeList addresses = request.getElementsByTagNameNS(REQUEST_NS, "EMailAddress");
        if (addresses.getLength() != 1) {
            return Optional.empty();
        }
        return ClientAddress.parseAddress(addresses.item(0).getTextContent().trim());
    }

    /** The response for the (local, already checked) {@code address}. */
    public String response(ClientAddress address) {
        XmlDocument xml = XmlDocument.withRoot(RESPONSE_NS, "Autodiscover");
        Element response = xml.root().getOwnerDocument().createElementNS(OUTLOOK_RESPONSE_NS, "Response");
        xml.root().appendChild(response);
        Element account = xml.add(response, "Account");
        xml.add(account, "AccountType", "email");
        xml.add(account, "Action", "settings");
        for (Endpoint endpoint : settings.incoming()) {
            protocol(xml, account, "IMAP", endpoint, address);
        }
        for (Endpoint endpoint : settings.outgoing()) {
            protocol(xml, account, "SMTP", endpoint, address);
        }
        return xml.serialise();
    }

    private static void protocol(XmlDocument xml, Element account, String type, Endpoint endpoint, ClientAddress address) {
        Element protocol = xml.add(account, "Protocol");
        xml.add(protocol, "Type", type);
        xml.add(protocol, "Server", endpoint.host());
        xml.add(protocol, "Port", Integer.toString(endpoint.port()));
        xml.add(protocol, "DomainRequired", "off");
        xml.add(protocol, "LoginName", address.address());
        xml.add(protocol, "SPA", "off");
        xml.add(protocol, "SSL", "on");
        xml.add(protocol, "Encryption", endpoint.security() == Endpoint.Security.IMPLICIT_TLS ? "SSL" : "TLS");
        xml.add(protocol, "AuthRequired", "on");
        if (type.equals("SMTP")) {
            xml.add(protocol, "UsePOPAuth", "off");
            xml.add(protocol, "SMTPLast", "off");
        }
    }
}
