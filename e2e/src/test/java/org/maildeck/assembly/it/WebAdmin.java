package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The WebAdmin REST API of a test instance, for setting up domains, users and aliases
 * (James 3.8.1 routes), authenticated as the admin commands are. Every call fails loudly unless
 * the server answers 2xx.
 */
final class WebAdmin {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final MaildeckInstance instance;

    WebAdmin(MaildeckInstance instance) {
        this.base = "http://127.0.0.1:" + instance.port("webadmin");
        this.instance = instance;
    }

    /** {@code PUT /domains/{domain}} */
    WebAdmin addDomain(String domain) {
        send("PUT", "/domains/" + encode(domain), null);
        return this;
    }

    /** {@code DELETE /domains/{domain}} */
    WebAdmin removeDomain(String domain) {
        send("DELETE", "/domains/" + encode(domain), null);
        return this;
    }

    /** {@code DELETE /users/{address}} */
    WebAdmin removeUser(String address) {
        send("DELETE", "/users/" + encode(address), null);
        return this;
    }

    /** {@code PUT /users/{address}} with {@code {"password":"..."}} */
    WebAdmin addUser(String address, String password) {
        send("PUT", "/users/" + encode(address), "{\"password\":\"" + password + "\"}");
        return this;
    }

    /** {@code PUT /address/aliases/{target}/sources/{alias}}: mail to {@code alias} goes to {@code target}. */
    WebAdmin addAlias(String alias, String target) {
        send("PUT", "/address/aliases/" + encode(target) + "/sources/" + encode(alias), null);
        return this;
    }

    /** {@code PUT /address/forwards/{base}/targets/{target}}: mail to the local {@code base} goes to {@code target} (may be remote). */
    WebAdmin addForward(String base, String target) {
        send("PUT", "/address/forwards/" + encode(base) + "/targets/" + encode(target), null);
        return this;
    }

    /** {@code GET /domains}: the local domains, as {@code maildeck domain list} reads them (unsorted). */
    List<String> domains() {
        // a JSON array of domain names, which hold no quote or backslash
        return Pattern.compile("\"([^\"]*)\"").matcher(get("/domains")).results().map(name -> name.group(1)).toList();
    }

    /**
     * {@code PUT /maildeck/console-admins/{name}}: a web console admin, of {@code domains} only
     * when any are given, as {@code maildeck console-admin add} makes one.
     */
    WebAdmin addConsoleAdmin(String name, String password, String... domains) {
        String domainList = Arrays.stream(domains).map(domain -> "\"" + encode(domain) + "\"").collect(Collectors.joining(","));
        send("PUT", "/maildeck/console-admins/" + encode(name), "{\"password\":\"" + password + "\",\"domains\":[" + domainList + "]}");
        return this;
    }

    /**
     * {@code GET /mailQueues/{queue}}: how many mails the queue holds, those waiting for a later
     * retry included.
     */
    long queueSize(String queue) {
        Matcher size = Pattern.compile("\"size\"\\s*:\\s*(\\d+)").matcher(get("/mailQueues/" + encode(queue)));
        if (!size.find()) {
            throw new IllegalStateException("no size for queue " + queue);
        }
        return Long.parseLong(size.group(1));
    }

    /** Waits until {@code queue} holds no mail, those waiting for a retry included. */
    void awaitEmptyQueue(String queue, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long size;
        while ((size = queueSize(queue)) > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(size + " mails still in the " + queue + " queue after " + timeout);
            }
            Thread.sleep(200);
        }
    }

    /** {@code GET path}, returning the body. */
    String get(String path) {
        return send("GET", path, null);
    }

    private String send(String method, String path, String json) {
        HttpResponse<String> response = exchange(method, path, json, instance.adminAuthorization());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " -> " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    /**
     * One request as given, whatever the answer: {@code json} null for none, {@code authorization}
     * the {@code Authorization} header or null for none.
     */
    HttpResponse<String> exchange(String method, String path, String json, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (json != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json, UTF_8));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // '@' and '.' are legal in a path segment; anything else a test uses is plain ASCII.
    private static String encode(String segment) {
        if (!segment.matches("[A-Za-z0-9@._+-]+")) {
            throw new IllegalArgumentException("not a plain address or domain: " + segment);
        }
        return segment;
    }
}
