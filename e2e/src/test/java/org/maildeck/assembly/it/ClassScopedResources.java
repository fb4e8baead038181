package org.maildeck.assembly.it;

/**
 * What a test class starts by hand for all its tests (its own server, a fake DNS server, an SMTP
 * sink, Postfix), closed after its last test.
 */
final class ClassScopedResources {

    private ClassScopedResources() {
    }

    /**
     * Closes {@code started} in the order given, skipping what never started (null: a
     * {@code @BeforeAll} that failed half-way). Every one is closed even when another fails; the
     * first failure is thrown, the later ones suppressed in it.
     */
    static void closeAll(AutoCloseable... started) throws Exception {
        Exception failure = null;
        for (AutoCloseable resource : started) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
