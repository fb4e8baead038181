package org.maildeck.autoconfig;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * The three autoconfiguration documents over HTTP, for anyone: clients ask before their user
 * has a password in them. What they learn is what the listeners announce anyway (host, ports,
 * TLS); a document is made only for a local domain, and never says whether a mailbox exists
 * (the same answer for every address of a local domain, so the routes cannot be used to find
 * users). Paths, as the clients ask for them (the reverse proxy in front maps
 * {@code autoconfig.DOMAIN} and {@code autodiscover.DOMAIN} here, README "Client
 * autoconfiguration"):
 * <ul>
 *   <li>{@code GET /mail/config-v1.1.xml} and {@code /.well-known/autoconfig/mail/config-v1.1.xml}:
 *       Thunderbird, the domain from {@code ?emailaddress=} or else from the Host header
 *       ({@code autoconfig.DOMAIN} or {@code DOMAIN});</li>
 *   <li>{@code POST /autodiscover/autodiscover.xml} (any case): Outlook's POX request;</li>
 *   <li>{@code GET /mail/profile.mobileconfig?emailaddress=}: the Apple profile, a download.</li>
 * </ul>
 */
public final class ClientSettingsServlet extends HttpServlet {

    public static final List<String> THUNDERBIRD_PATHS = List.of("/mail/config-v1.1.xml", "/.well-known/autoconfig/mail/config-v1.1.xml");
    public static final List<String> AUTODISCOVER_PATHS = List.of("/autodiscover/autodiscover.xml", "/Autodiscover/Autodiscover.xml",
        "/AutoDiscover/AutoDiscover.xml");
    public static final String APPLE_PATH = "/mail/profile.mobileconfig";

    private static final String XML = "application/xml;charset=UTF-8";

    private final transient ThunderbirdAutoconfig thunderbird;
    private final transient OutlookAutodiscover outlook;
    private final transient AppleMailProfile apple;
    private final transient MailClientSettings settings;
    private final transient Predicate<String> localDomain;

    /** @param localDomain whether a (lower-case) domain is one this server receives mail for */
    public ClientSettingsServlet(MailClientSettings settings, Predicate<String> localDomain) {
        this.settings = settings;
        this.thunderbird = new ThunderbirdAutoconfig(settings);
        this.outlook = new OutlookAutodiscover(settings);
        this.apple = new AppleMailProfile(settings);
        this.localDomain = localDomain;
    }

    /** Every path this servlet answers, for the server to map. */
    public static List<String> paths() {
        List<String> paths = new java.util.ArrayList<>(THUNDERBIRD_PATHS);
        paths.addAll(AUTODISCOVER_PATHS);
        paths.add(APPLE_PATH);
        return paths;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI();
        if (THUNDERBIRD_PATHS.contains(path)) {
            Optional<String> domain = Optional.ofNullable(request.getParameter("emailaddress"))
                .map(address -> ClientAddress.parseAddress(address).map(ClientAddress::domain))
                .orElseGet(() -> hostDomain(request.getServerName()));
            if (domain.isEmpty() || !served(domain.get())) {
                response.sendError(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
            send(response, XML, thunderbird.document(domain.get()), null);
        } else if (path.equals(APPLE_PATH)) {
            Optional<ClientAddress> address = ClientAddress.parseAddress(request.getParameter("emailaddress"));
            if (address.isEmpty() || !served(address.get().domain())) {
                response.sendError(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
            send(response, AppleMailProfile.CONTENT_TYPE, apple.profile(address.get()), "mail-" + address.get().domain() + ".mobileconfig");
        } else {
            response.sendError(AUTODISCOVER_PATHS.contains(path) ? HttpServletResponse.SC_METHOD_NOT_ALLOWED : HttpServletResponse.SC_NOT_FOUND);
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!AUTODISCOVER_PATHS.contains(request.getRequestURI())) {
            response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            return;
        }
        String type = Optional.ofNullable(request.getContentType()).orElse("").toLowerCase(Locale.ROOT);
        if (!type.startsWith("text/xml") && !type.startsWith("application/xml")) {
            response.sendError(HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE);
            return;
        }
        if (request.getContentLengthLong() > OutlookAutodiscover.MAX_REQUEST_BYTES) {
            response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
            return;
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            // a chunked body has no length: read one byte past the limit to know
            body = in.readNBytes(OutlookAutodiscover.MAX_REQUEST_BYTES + 1);
        }
        if (body.length > OutlookAutodiscover.MAX_REQUEST_BYTES) {
            response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
            return;
        }
        Optional<ClientAddress> address = OutlookAutodiscover.requestedAddress(new String(body, StandardCharsets.UTF_8));
        if (address.isEmpty()) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST);
            return;
        }
        if (!served(address.get().domain())) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        send(response, XML, outlook.response(address.get()), null);
    }

    /** Whether a document can be made for the domain (local, and listeners to describe). */
    private boolean served(String domain) {
        return settings.complete() && localDomain.test(domain);
    }

    /** {@code autoconfig.example.com} and {@code example.com} both stand for example.com. */
    private static Optional<String> hostDomain(String host) {
        String name = host == null ? "" : host.toLowerCase(Locale.ROOT);
        if (name.startsWith("autoconfig.")) {
            name = name.substring("autoconfig.".length());
        }
        return ClientAddress.parseDomain(name);
    }

    private static void send(HttpServletResponse response, String contentType, String body, String downloadName) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(contentType);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        if (downloadName != null) {
            response.setHeader("Content-Disposition", "attachment; filename=\"" + downloadName + "\"");
        }
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
