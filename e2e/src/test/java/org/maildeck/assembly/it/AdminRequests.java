package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * WebAdmin calls with a plain-text body, which {@link WebAdmin} (JSON bodies) does not make:
 * quota limits ({@code PUT /quota/users/{user}/count|size}, a number) and Sieve scripts
 * ({@code PUT /sieve/{user}/scripts/{name}?activate=true}, the script). James 3.8.1 routes.
 */
final class AdminRequests {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private AdminRequests() {
    }

    /** {@code PUT path} with a {@code text/plain} body; fails unless the answer is 2xx. */
    static void put(MaildeckInstance server, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port("webadmin") + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", server.adminAuthorization())
            .header("Content-Type", "text/plain; charset=utf-8")
            .PUT(HttpRequest.BodyPublishers.ofString(body, UTF_8))
            .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString(UTF_8));
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("PUT " + path + " -> " + response.statusCode() + " " + response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("PUT " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code PUT /quota/users/{user}/count} and {@code /size} (bytes). */
    static void setQuota(MaildeckInstance server, String user, long messages, long bytes) {
        put(server, "/quota/users/" + user + "/count", Long.toString(messages));
        put(server, "/quota/users/" + user + "/size", Long.toString(bytes));
    }

    /** {@code PUT /sieve/{user}/scripts/{name}?activate=true}: the user's active Sieve script. */
    static void activeSieveScript(MaildeckInstance server, String user, String name, String script) {
        put(server, "/sieve/" + user + "/scripts/" + name + "?activate=true", script);
    }
}
