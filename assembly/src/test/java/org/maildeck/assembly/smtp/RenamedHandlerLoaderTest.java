package org.maildeck.assembly.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RenamedHandlerLoaderTest {

    private final RenamedHandlerLoader loader = new RenamedHandlerLoader(null);

    @Test
    void aHookNamedInItsOldPackageIsLoadedFromTheNewOne() {
        assertThat(loader.currentName("org.maildeck.mailets.smtp.RelayPolicy"))
            .isEqualTo("org.maildeck.mailets.smtpd.RelayPolicy");
    }

    @Test
    void namesOutsideTheOldPackageAreLoadedAsWritten() {
        assertThat(loader.currentName("org.apache.james.smtpserver.fastfail.ValidRcptHandler"))
            .isEqualTo("org.apache.james.smtpserver.fastfail.ValidRcptHandler");
        assertThat(loader.currentName("org.maildeck.mailets.smtpd.RelayPolicy"))
            .isEqualTo("org.maildeck.mailets.smtpd.RelayPolicy");
    }

    @Test
    void aPackageThatOnlyStartsLikeTheOldOneIsNotRenamed() {
        assertThat(loader.currentName("org.maildeck.mailets.smtpx.Custom")).isEqualTo("org.maildeck.mailets.smtpx.Custom");
    }
}
