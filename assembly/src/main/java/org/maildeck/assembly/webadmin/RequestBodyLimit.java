package org.maildeck.assembly.webadmin;

import static spark.Spark.halt;

import org.eclipse.jetty.http.HttpStatus;

import spark.Filter;
import spark.Request;
import spark.Response;

/**
 * Refuses a request that announces a body over {@value #MAX_BYTES} bytes (413) before a route
 * reads it into memory: the largest thing an admin sends is a Sieve script. Refused request
 * bodies are never read (the connection is closed).
 */
final class RequestBodyLimit implements Filter {
    static final long MAX_BYTES = 1024 * 1024;

    @Override
    public void handle(Request request, Response response) {
        if (request.raw().getContentLengthLong() > MAX_BYTES) {
            response.header("Connection", "close");
            halt(HttpStatus.PAYLOAD_TOO_LARGE_413, "{\"statusCode\":413,\"type\":\"InvalidArgument\",\"message\":\"request body over "
                + MAX_BYTES + " bytes\"}");
        }
    }
}
