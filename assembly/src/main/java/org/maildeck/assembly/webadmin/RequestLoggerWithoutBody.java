package org.maildeck.assembly.webadmin;

import org.apache.james.webadmin.mdc.RequestId;
import org.apache.james.webadmin.mdc.RequestLogger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import spark.Request;

/**
 * James's log line for each WebAdmin request, without what its default logger adds: the body
 * (read into memory before authentication, whatever its size, and holding passwords) and the
 * query parameters (which read a form body).
 */
public class RequestLoggerWithoutBody implements RequestLogger {
    private static final Logger LOGGER = LoggerFactory.getLogger("org.apache.james.webadmin.mdc.LoggingRequestFilter");

    @Override
    public boolean applies(Request request) {
        return true;
    }

    @Override
    public void log(Request request, RequestId requestId) {
        LOGGER.debug("WebAdmin request {} received: {} {} from {}", requestId.asString(), request.requestMethod(), request.pathInfo(), request.ip());
    }
}
