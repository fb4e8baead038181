package org.maildeck.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The James WebAdmin routes the admin commands use, as typed methods. Transport problems and
 * answers WebAdmin should not give become an {@link AdminFailure}; checks that give a precise
 * message (does the user exist, ...) are the commands' business.
 */
final class WebAdminClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    // Adding a user hashes its password with PBKDF2 on the server: seconds, not milliseconds.
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);
    // Above the 10 s in which the server bounds each of its checks, so that a hung component is
    // reported by the server as unhealthy rather than as no answer at all.
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(20);

    private final WebAdminAddress address;
    private final AdminCredential credential;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    WebAdminClient(WebAdminAddress address, AdminCredential credential) {
        this.address = address;
        this.credential = credential;
        // WebAdmin's Jetty speaks HTTP/1.1 only; no h2c upgrade attempt.
        HttpClient.Builder http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT);
        if (address.https().isPresent()) {
            try {
                http.sslContext(address.https().get().clientContext());
            } catch (IOException e) {
                throw AdminFailure.refused("WebAdmin https: %s", e.getMessage());
            }
        }
        this.http = http.build();
    }

    List<String> domains() {
        return strings(get("/domains"), null);
    }

    boolean domainExists(Domain domain) {
        return exists(send(request(domainPath(domain)).GET()), 204);
    }

    void addDomain(Domain domain) {
        expect(send(request(domainPath(domain)).PUT(BodyPublishers.noBody())), 204);
    }

    void removeDomain(Domain domain) {
        HttpResponse<String> response = send(request(domainPath(domain)).DELETE());
        if (response.statusCode() == 400) {
            // The only refusal DomainsRoutes has: the default domain and auto-detected ones
            // are not stored in the list and come back on the next start.
            throw AdminFailure.refused("domain '%s' cannot be removed: it is the default or an auto-detected domain (see domainlist.xml)", domain.asString());
        }
        expect(response, 204);
    }

    List<String> users() {
        return strings(get("/users"), "username");
    }

    boolean userExists(Username username) {
        return exists(send(request(userPath(username)).method("HEAD", BodyPublishers.noBody())), 200);
    }

    void addUser(Username username, String password) {
        expect(send(passwordRequest(userPath(username), password)), 204);
    }

    /** Sets the password of an existing user ({@code ?force} turns WebAdmin's create into an update). */
    void changePassword(Username username, String password) {
        expect(send(passwordRequest(userPath(username) + "?force", password)), 204);
    }

    void removeUser(Username username) {
        expect(send(request(userPath(username)).DELETE()), 204);
    }

    /** Every alias as alias address → target address, in WebAdmin's order. */
    List<Map.Entry<String, String>> aliases() {
        List<Map.Entry<String, String>> aliases = new ArrayList<>();
        // WebAdmin lists the targets that have aliases, then each target's aliases.
        for (String target : strings(get("/address/aliases"), null)) {
            for (String alias : strings(get(aliasesPath(target)), "source")) {
                aliases.add(Map.entry(alias, target));
            }
        }
        return aliases;
    }

    List<String> aliasesOf(MailAddress target) {
        return strings(get(aliasesPath(target.asString())), "source");
    }

    void addAlias(MailAddress alias, MailAddress target) {
        expect(send(request(aliasPath(alias, target)).PUT(BodyPublishers.noBody())), 204);
    }

    void removeAlias(MailAddress alias, MailAddress target) {
        expect(send(request(aliasPath(alias, target)).DELETE()), 204);
    }

    /** The quarantine entries as WebAdmin lists them (id, time, category, reason, sender, recipients, size). */
    JsonNode quarantine() {
        return tree(get("/quarantine"));
    }

    /** One entry, or empty when there is none with this id (ids are checked by the caller). */
    java.util.Optional<JsonNode> quarantineEntry(String id) {
        HttpResponse<String> response = send(request("/quarantine/" + id).GET());
        return exists(response, 200) ? java.util.Optional.of(tree(response)) : java.util.Optional.empty();
    }

    String quarantinedMessage(String id) {
        return get("/quarantine/" + id + "/message").body();
    }

    /** The queue id of the released message, or empty when there is no such entry. */
    java.util.Optional<String> releaseQuarantined(String id) {
        HttpResponse<String> response = send(request("/quarantine/" + id + "/release").POST(BodyPublishers.noBody()));
        return exists(response, 200) ? java.util.Optional.of(tree(response).path("queueId").asText()) : java.util.Optional.empty();
    }

    boolean deleteQuarantined(String id) {
        return exists(send(request("/quarantine/" + id).DELETE()), 204);
    }

    /**
     * James's health checks: {"status": ..., "checks": [{"componentName", "status", "cause"}]}
     * (503 just means one is unhealthy); empty when nothing listens on WebAdmin's port: the server
     * is not running. A server that takes the connection and gives no answer within
     * {@link #HEALTH_TIMEOUT} is an {@link AdminFailure}: it runs but does not answer.
     */
    java.util.Optional<JsonNode> health() {
        HttpResponse<String> response;
        try {
            response = send(request("/healthcheck").timeout(HEALTH_TIMEOUT).GET());
        } catch (AdminFailure failure) {
            if (failure.serverNotRunning()) {
                return java.util.Optional.empty();
            }
            throw failure;
        }
        if (response.statusCode() != 503) {
            expect(response, 200);
        }
        return java.util.Optional.of(tree(response));
    }

    /** Whether anything answers where WebAdmin should (an authentication refusal is an answer). */
    boolean answers() {
        HttpRequest.Builder probe = HttpRequest.newBuilder(address.uri("/healthcheck")).timeout(CONNECT_TIMEOUT).GET();
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
        HttpResponse<String> response = send(request("/mailRepositories/" + segment("var/mail/hold/")).GET());
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
        return tree(expect(send(request("/queue/flush").POST(BodyPublishers.noBody())), 200)).path("flushed").asLong();
    }

    /**
     * {@code delete}, {@code hold} or {@code release} of one queued message: the HTTP status,
     * 204 done, 404 no such message, 409 being delivered right now (ids are checked by the caller).
     */
    int queueAction(String action, String id) {
        String path = "/queue/" + segment(id) + (action.equals("delete") ? "" : "/" + action);
        HttpRequest.Builder builder = action.equals("delete") ? request(path).DELETE() : request(path).POST(BodyPublishers.noBody());
        HttpResponse<String> response = send(builder);
        if (response.statusCode() != 404 && response.statusCode() != 409) {
            expect(response, 204);
        }
        return response.statusCode();
    }

    private JsonNode tree(HttpResponse<String> response) {
        try {
            return json.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw AdminFailure.refused("unreadable answer from WebAdmin to %s %s", response.request().method(), response.request().uri().getRawPath());
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

    private HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder request = HttpRequest.newBuilder(address.uri(pathAndQuery)).timeout(REQUEST_TIMEOUT);
        credential.token().ifPresent(token -> request.header("Authorization", "Bearer " + token));
        return request;
    }

    private HttpRequest.Builder passwordRequest(String pathAndQuery, String password) {
        String body;
        try {
            body = json.writeValueAsString(Map.of("password", password));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // Without this content type WebAdmin answers 400 to PUT /users/...
        return request(pathAndQuery)
            .header("Content-Type", "application/json")
            .PUT(BodyPublishers.ofString(body, UTF_8));
    }

    private HttpResponse<String> get(String path) {
        return expect(send(request(path).GET()), 200);
    }

    private HttpResponse<String> send(HttpRequest.Builder builder) {
        HttpRequest request = builder.build();
        try {
            HttpResponse<String> response = http.send(request, BodyHandlers.ofString(UTF_8));
            if (response.statusCode() == 401) {
                throw AdminFailure.refused("WebAdmin at %s refused the admin token%s (%s)", address,
                    request.headers().firstValue("Authorization").isPresent() ? " signed with " + credential.keyFile() : ": there is no " + credential.keyFile(),
                    response.body().strip());
            }
            return response;
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw AdminFailure.serverNotRunning("server not running (no answer from WebAdmin at %s)", address);
        } catch (HttpTimeoutException e) {
            throw AdminFailure.refused("WebAdmin at %s did not answer %s %s within %d s", address,
                request.method(), request.uri().getRawPath(), request.timeout().orElse(REQUEST_TIMEOUT).toSeconds());
        } catch (IOException e) {
            // The JDK wraps a refused connection in a plain IOException on some paths.
            if (e.getCause() instanceof ConnectException) {
                throw AdminFailure.serverNotRunning("server not running (no answer from WebAdmin at %s)", address);
            }
            throw AdminFailure.refused("cannot talk to WebAdmin at %s: %s", address, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AdminFailure.refused("interrupted while waiting for WebAdmin at %s", address);
        }
    }

    private boolean exists(HttpResponse<String> response, int presentStatus) {
        if (response.statusCode() == 404) {
            return false;
        }
        expect(response, presentStatus);
        return true;
    }

    private HttpResponse<String> expect(HttpResponse<String> response, int expectedStatus) {
        if (response.statusCode() != expectedStatus) {
            HttpRequest request = response.request();
            throw AdminFailure.refused("WebAdmin answered %d to %s %s%s", response.statusCode(),
                request.method(), request.uri().getRawPath(), errorMessage(response.body()));
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
    private List<String> strings(HttpResponse<String> response, String field) {
        try {
            List<String> values = new ArrayList<>();
            for (JsonNode element : json.readTree(response.body())) {
                values.add(field == null ? element.asText() : element.path(field).asText());
            }
            return values;
        } catch (JsonProcessingException e) {
            throw AdminFailure.refused("unreadable answer from WebAdmin to GET %s", response.request().uri().getRawPath());
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
