package org.maildeck.assembly.it;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.AssertionFailedError;

/**
 * When a test or its set-up fails while a server instance runs, the failure also says what the
 * server's threads were doing at that moment ({@link ServerThreads}): a hang seen once in CI
 * can then be read from the CI log. Registered for every test class through the JUnit
 * extension auto-detection (src/test/resources).
 */
public final class ServerThreadsOnFailure implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw withServerThreads(failure);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw withServerThreads(failure);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw withServerThreads(failure);
    }

    private static Throwable withServerThreads(Throwable failure) {
        String threads = MaildeckInstance.describeRunningServers();
        if (threads.isEmpty() || !(failure instanceof AssertionError)) {
            if (!threads.isEmpty()) {
                System.out.println("[server threads at the failure]\n" + threads);
            }
            return failure;
        }
        String message = failure.getMessage() + "\n[server threads at the failure]\n" + threads;
        AssertionError described = failure instanceof AssertionFailedError compared && compared.isExpectedDefined()
            && compared.isActualDefined()
            // keeps expected and actual for IDEs and reports
            ? new AssertionFailedError(message, compared.getExpected().getValue(), compared.getActual().getValue(), failure)
            : new AssertionError(message, failure);
        described.setStackTrace(failure.getStackTrace());
        return described;
    }
}
