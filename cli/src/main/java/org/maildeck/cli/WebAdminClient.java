package org.maildeck.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.maildeck.adminaccess.accounts.AccountStore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The James WebAdmin routes the admin commands use, as typed methods. Transport problems and
 * answers WebAdmin should not give become an {@link AdminFailure}; checks that give a precise
 * message (does the user exist, ...) are the commands' business.
 *
 * <p>The requests go through {@link HttpURLConnection}, not {@code java.net.http.HttpClient}: an
 * admin command is a JVM started for one or a few requests, and the HttpClient's selector thread
 * waits in native code (epoll) until the JVM exits, which makes the exit wait 300 ms for it
 * (HotSpot's {@code VM_Exit} gives threads in native that long to stop); loading the HttpClient
 * also cost a quarter of a second of class loading. {@code maildeck user list} took 1.3 s with
 * it (bench/README.md, "bench/admin-command").
 */
final class WebAdminClient implements AccountStore {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    // Adding a user hashes its password with PBKDF2 on the server: seconds, not milliseconds.
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);
    // Above the 10 s in which the server bounds each of its checks, so that a hung component is
    // reported by the server as unhealthy rather than as no answer at all.
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(20);

    static {
        // A POST whose connection failed is not sent a second time: flush and release are not idempotent.
        System.setProperty("sun.net.http.retryPost", "false");
    }

    private final WebAdminAddress address;
    private final AdminCredential credential;
    /** TLS trusting only the instance's own certificate, when WebAdmin speaks https. */
    private final Optional<SSLSocketFactory> tls;
    private final ObjectMapper json = new ObjectMapper();

    WebAdminClient(WebAdminAddress address, AdminCredential credential) {
        this.address = address;
        this.credential = credential;
        try {
            this.tls = address.https().isPresent()
                ? Optional.of(address.https().get().clientContext().getSocketFactory())
                : Optional.empty();
        } catch (IOException e) {
            throw AdminFailure.refused("WebAdmin https: %s", e.getMessage());
        }
    }

    @Override
    public List<String> domains() {
        return strings(get("/domains"), null);
    }

    @Override
    public boolean domainExists(Domain domain) {
        return exists(send(request("GET", domainPath(domain))), 204);
    }

    @Override
    public void addDomain(Domain domain) {
        expect(send(request("PUT", domainPath(domain))), 204);
    }

    @Override
    public void removeDomain(Domain domain) {
        Response response = send(request("DELETE", domainPath(domain)));
        if (response.statusCode() == 400) {
            // The only refusal DomainsRoutes has: the default domain and auto-detected ones
            // are not stored in the list and come back on the next start.
            throw AdminFailure.refused("domain '%s' cannot be removed: it is the default or an auto-detected domain (see domainlist.xml)", domain.asString());
        }
        expect(response, 204);
    }

    @Override
    public List<String> users() {
        return strings(get("/users"), "username");
    }

    @Override
    public boolean userExists(Username username) {
        return exists(send(request("HEAD", userPath(username))), 200);
    }

    @Override
    public void addUser(Username username, String password) {
        expect(send(passwordRequest(userPath(username), password)), 204);
    }

    /** Sets the password of an existing user ({@code ?force} turns WebAdmin's create into an update). */
    @Override
    public void changePassword(Username username, String password) {
        expect(send(passwordRequest(userPath(username) + "?force", password)), 204);
    }

    @Override
    public void removeUser(Username username) {
        expect(send(request("DELETE", userPath(username))), 204);
    }

    /** Every alias as alias address → target address, in WebAdmin's order. */
    @Override
    public List<Map.Entry<String, String>> aliases() {
        List<Map.Entry<String, String>> aliases = new ArrayList<>();
        // WebAdmin lists the targets that have aliases, then each target's aliases.
        for (String target : strings(get("/address/aliases"), null)) {
            for (String alias : strings(get(aliasesPath(target)), "source")) {
                aliases.add(Map.entry(alias, target));
            }
        }
        return aliases;
    }

    @Override
    public List<String> aliasesOf(MailAddress target) {
        return strings(get(aliasesPath(target.asString())), "source");
    }

    @Override
    public void addAlias(MailAddress alias, MailAddress target) {
        expect(send(request("PUT", aliasPath(alias, target))), 204);
    }

    @Override
    public void removeAlias(MailAddress alias, MailAddress target) {
        expect(send(request("DELETE", aliasPath(alias, target))), 204);
    }

    /**
     * Every catch-all as domain → target: GET /mappings lists the rewrite table by source, a
     * domain's wildcard source under the bare domain name, its catch-all as type Address.
     */
    @Override
    public List<Map.Entry<String, String>> catchAlls() {
        List<Map.Entry<String, String>> catchAlls = new ArrayList<>();
        tree(get("/mappings")).fields().forEachRemaining(source -> {
            if (source.getKey().indexOf('@') < 0) {
                for (JsonNode mapping : source.getValue()) {
                    if (mapping.path("type").asText().equals("Address")) {
                        catchAlls.add(Map.entry(source.getKey(), mapping.path("mapping").asText()));
                    }
                }
            }
        });
        return catchAlls;
    }

    @Override
    public void addCatchAll(Domain domain, MailAddress target) {
        expect(send(request("POST", catchAllPath(domain, target))), 204);
    }

    @Override
    public void removeCatchAll(Domain domain, MailAddress target) {
        expect(send(request("DELETE", catchAllPath(domain, target))), 204);
    }

    /** The quarantine entries as WebAdmin lists them (id, time, category, reason, sender, recipients, size). */
    /** The web console's admins: [{"name":..,"domains":[..]}]. */
    JsonNode consoleAdmins() {
        return tree(get("/maildeck/console-admins"));
    }

    /**
     * A change of the console's admins ({@code PUT} with a JSON body, or {@code DELETE}): the
     * server decides, and its refusal is the line printed.
     */
    void changeConsoleAdmin(String method, String name, String suffix, Map<String, Object> body) {
        Request request = request(method, "/maildeck/console-admins/" + segment(name) + suffix);
        if (body != null) {
            try {
                request.header("Content-Type", "application/json").body(json.writeValueAsString(body));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        decided(send(request), 204);
    }

    /**
     * The server's answer when it is {@code expected}; its refusal (400: a usage error; 404, 409,
     * 413: refused) is the line printed.
     */
    private Response decided(Response response, int expected) {
        if (response.statusCode() == 400) {
            throw AdminFailure.usage("%s", errorMessage(response.body()).replaceFirst("^: ", ""));
        }
        if (response.statusCode() == 404 || response.statusCode() == 409 || response.statusCode() == 413) {
            throw AdminFailure.refused("%s", errorMessage(response.body()).replaceFirst("^: ", ""));
        }
        return expect(response, expected);
    }

    /** A user's Sieve scripts in Pigeonhole's layout: [{"name":..,"active":..}]. */
    JsonNode sieveScripts(String user) {
        return tree(decided(send(request("GET", sievePath(user, ""))), 200));
    }

    String sieveScript(String user, String name) {
        return decided(send(request("GET", sievePath(user, "/" + segment(name)))), 200).body();
    }

    void putSieveScript(String user, String name, String script) {
        decided(send(request("PUT", sievePath(user, "/" + segment(name))).header("Content-Type", "application/sieve").body(script)), 204);
    }

    /** Makes {@code name} the active script; empty: none. */
    void activateSieveScript(String user, String name) {
        String path = name.isEmpty() ? sievePath(user, "/deactivate") : sievePath(user, "/" + segment(name) + "/activate");
        decided(send(request("POST", path)), 204);
    }

    private static String sievePath(String user, String rest) {
        return "/sievescripts/" + segment(user) + rest;
    }

    JsonNode quarantine() {
        return tree(get("/quarantine"));
    }

    /** One entry, or empty when there is none with this id (ids are checked by the caller). */
    Optional<JsonNode> quarantineEntry(String id) {
        Response response = send(request("GET", "/quarantine/" + id));
        return exists(response, 200) ? Optional.of(tree(response)) : Optional.empty();
    }

    String quarantinedMessage(String id) {
        return get("/quarantine/" + id + "/message").body();
    }

    /** The queue id of the released message, or empty when there is no such entry. */
    Optional<String> releaseQuarantined(String id) {
        Response response = send(request("POST", "/quarantine/" + id + "/release"));
        return exists(response, 200) ? Optional.of(tree(response).path("queueId").asText()) : Optional.empty();
    }

    boolean deleteQuarantined(String id) {
        return exists(send(request("DELETE", "/quarantine/" + id)), 204);
    }

    /**
     * James's health checks: {"status": ..., "checks": [{"componentName", "status", "cause"}]}
     * (503 just means one is unhealthy); empty when nothing listens on WebAdmin's port: the server
     * is not running. A server that takes the connection and gives no answer within
     * {@link #HEALTH_TIMEOUT} is an {@link AdminFailure}: it runs but does not answer.
     */
    Optional<JsonNode> health() {
        Response response;
        try {
            response = send(request("GET", "/healthcheck").timeout(HEALTH_TIMEOUT));
        } catch (AdminFailure failure) {
            if (failure.serverNotRunning()) {
                return Optional.empty();
            }
            throw failure;
        }
        if (response.statusCode() != 503) {
            expect(response, 200);
        }
        return Optional.of(tree(response));
    }

    /** Whether anything answers where WebAdmin should (an authentication refusal is an answer). */
    boolean answers() {
        Request probe = new Request("GET", "/healthcheck").timeout(CONNECT_TIMEOUT);
        try {
            // with a token when the key can be read: a refused probe is a warning in the server's log
            credential.token().ifPresent(token -> probe.header("Authorization", "Bearer " + token));
        } catch (AdminFailure keyUnreadable) {
            // asked without one: a refusal is an answer all the same
        }
        try {
            send(probe);
            return true;
        } catch (AdminFailure failure) {
            return !failure.serverNotRunning();
        }
    }

    /** Messages on hold: the size of the hold mail repository (none before the first hold). */
    long heldCount() {
        Response response = send(request("GET", "/mailRepositories/" + segment("var/mail/hold/")));
        return exists(response, 200) ? tree(response).path("size").asLong() : 0;
    }

    /** Messages in each mail queue (spool, outgoing), by name. */
    Map<String, Long> queueSizes() {
        Map<String, Long> sizes = new java.util.TreeMap<>();
        for (String name : strings(get("/mailQueues"), null)) {
            sizes.put(name, tree(get("/mailQueues/" + segment(name))).path("size").asLong());
        }
        return sizes;
    }

    /** Every message waiting in a queue or on hold (id, queue, held, sender, recipients, size, arrival, nextAttempt). */
    JsonNode queue() {
        return tree(get("/queue"));
    }

    /** How many deferred messages are now scheduled for delivery. */
    long flushQueue() {
        return tree(expect(send(request("POST", "/queue/flush")), 200)).path("flushed").asLong();
    }

    /**
     * {@code delete}, {@code hold} or {@code release} of one queued message: the HTTP status,
     * 204 done, 404 no such message, 409 being delivered right now (ids are checked by the caller).
     */
    int queueAction(String action, String id) {
        String path = "/queue/" + segment(id) + (action.equals("delete") ? "" : "/" + action);
        Response response = send(request(action.equals("delete") ? "DELETE" : "POST", path));
        if (response.statusCode() != 404 && response.statusCode() != 409) {
            expect(response, 204);
        }
        return response.statusCode();
    }

    private JsonNode tree(Response response) {
        try {
            return json.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw AdminFailure.refused("unreadable answer from WebAdmin to %s %s", response.method(), response.path());
        }
    }

    private static String domainPath(Domain domain) {
        return "/domains/" + doublyDecodedSegment(domain.asString());
    }

    private static String userPath(Username username) {
        return "/users/" + segment(username.asString());
    }

    private static String aliasesPath(String target) {
        return "/address/aliases/" + doublyDecodedSegment(target);
    }

    private static String aliasPath(MailAddress alias, MailAddress target) {
        return aliasesPath(target.asString()) + "/sources/" + doublyDecodedSegment(alias.asString());
    }

    /** The domain's wildcard source {@code *@domain} (the routes decode their parameters once). */
    private static String catchAllPath(Domain domain, MailAddress target) {
        return "/mappings/address/" + segment("*@" + domain.asString()) + "/targets/" + segment(target.asString());
    }

    private Request request(String method, String pathAndQuery) {
        Request request = new Request(method, pathAndQuery);
        credential.token().ifPresent(token -> request.header("Authorization", "Bearer " + token));
        return request;
    }

    private Request passwordRequest(String pathAndQuery, String password) {
        String body;
        try {
            body = json.writeValueAsString(Map.of("password", password));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // Without this content type WebAdmin answers 400 to PUT /users/...
        return request("PUT", pathAndQuery).header("Content-Type", "application/json").body(body);
    }

    private Response get(String path) {
        return expect(send(request("GET", path)), 200);
    }

    private Response send(Request request) {
        try {
            Response response = exchange(request);
            if (response.statusCode() == 401) {
                throw AdminFailure.refused("WebAdmin at %s refused the admin token%s (%s)", address,
                    request.headers.containsKey("Authorization") ? " signed with " + credential.keyFile() : ": there is no " + credential.keyFile(),
                    response.body().strip());
            }
            return response;
        } catch (ConnectException | ConnectTimedOut e) {
            throw AdminFailure.serverNotRunning("server not running (no answer from WebAdmin at %s)", address);
        } catch (SocketTimeoutException e) {
            throw AdminFailure.refused("WebAdmin at %s did not answer %s %s within %d s", address,
                request.method, address.uri(request.pathAndQuery).getRawPath(), request.timeout.toSeconds());
        } catch (IOException e) {
            throw AdminFailure.refused("cannot talk to WebAdmin at %s: %s", address, e.getMessage());
        }
    }

    /** One HTTP/1.1 request and its whole answer (WebAdmin's Jetty speaks HTTP/1.1 only). */
    private Response exchange(Request request) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) address.uri(request.pathAndQuery).toURL().openConnection();
        if (connection instanceof HttpsURLConnection https) {
            https.setSSLSocketFactory(tls.orElseThrow());
        }
        connection.setRequestMethod(request.method);
        connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
        connection.setReadTimeout((int) request.timeout.toMillis());
        connection.setUseCaches(false);
        // WebAdmin's answer as it is: a redirect is not followed
        connection.setInstanceFollowRedirects(false);
        request.headers.forEach(connection::setRequestProperty);
        byte[] body = request.body.getBytes(UTF_8);
        boolean sendsBody = request.method.equals("PUT") || request.method.equals("POST");
        if (sendsBody) {
            // a Content-Length also when empty, as for any PUT or POST
            connection.setFixedLengthStreamingMode(body.length);
            connection.setDoOutput(true);
        }
        try {
            connection.connect();
        } catch (SocketTimeoutException e) {
            throw new ConnectTimedOut(e);
        }
        if (sendsBody) {
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
        }
        int status = connection.getResponseCode();
        InputStream answer = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        String answered = "";
        if (answer != null) {
            try (answer) {
                answered = new String(answer.readAllBytes(), UTF_8);
            }
        }
        return new Response(request.method, address.uri(request.pathAndQuery).getRawPath(), status, answered);
    }

    /** A request to WebAdmin being made: method, path with query, headers, body (empty: none). */
    private static final class Request {
        final String method;
        final String pathAndQuery;
        final Map<String, String> headers = new LinkedHashMap<>();
        String body = "";
        Duration timeout = REQUEST_TIMEOUT;

        Request(String method, String pathAndQuery) {
            this.method = method;
            this.pathAndQuery = pathAndQuery;
        }

        Request header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Request body(String text) {
            body = text;
            return this;
        }

        Request timeout(Duration limit) {
            timeout = limit;
            return this;
        }
    }

    /** WebAdmin's answer to one request: status and body, with the request's method and path for messages. */
    private record Response(String method, String path, int statusCode, String body) {
    }

    /** A connection that could not be made within {@link #CONNECT_TIMEOUT}: nothing answers there. */
    private static final class ConnectTimedOut extends IOException {
        ConnectTimedOut(SocketTimeoutException cause) {
            super(cause);
        }
    }

    private boolean exists(Response response, int presentStatus) {
        if (response.statusCode() == 404) {
            return false;
        }
        expect(response, presentStatus);
        return true;
    }

    private Response expect(Response response, int expectedStatus) {
        if (response.statusCode() != expectedStatus) {
            throw AdminFailure.refused("WebAdmin answered %d to %s %s%s", response.statusCode(),
                response.method(), response.path(), errorMessage(response.body()));
        }
        return response;
    }

    /** WebAdmin's error bodies are {"statusCode":..,"type":..,"message":..}; the message is what helps. */
    private String errorMessage(String body) {
        try {
            JsonNode message = json.readTree(body).path("message");
            return message.isTextual() ? ": " + message.asText() : "";
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return "";
        }
    }

    /** A JSON array of strings, or of objects whose {@code field} is the string wanted. */
    private List<String> strings(Response response, String field) {
        try {
            List<String> values = new ArrayList<>();
            for (JsonNode element : json.readTree(response.body())) {
                values.add(field == null ? element.asText() : element.path(field).asText());
            }
            return values;
        } catch (JsonProcessingException e) {
            throw AdminFailure.refused("unreadable answer from WebAdmin to GET %s", response.path());
        }
    }

    /**
     * A path segment for the routes that URL-decode the parameter Spark already decoded
     * (domains and aliases): encoded twice, or a '+' in an address would arrive as a space.
     */
    private static String doublyDecodedSegment(String value) {
        return segment(URLEncoder.encode(value, UTF_8));
    }

    /** Percent-encodes one path segment: only unreserved characters and '@' stay as they are. */
    private static String segment(String value) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : value.getBytes(UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~@".indexOf(c) >= 0) {
                encoded.append(c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                    .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return encoded.toString();
    }
}
