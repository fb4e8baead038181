package org.maildeck.assembly.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.junit.jupiter.api.Test;

class ConnectionPoolTest {

    private static Configuration database(String... keysAndValues) {
        BaseConfiguration configuration = new BaseConfiguration();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            configuration.addProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        return configuration;
    }

    @Test
    void byDefaultEverySpoolerThreadHasAConnectionAndOthersHaveTwenty() throws ConfigurationException {
        ConnectionPool pool = ConnectionPool.from(database(), 20);

        assertThat(pool.maxTotal()).isEqualTo(40);
        assertThat(pool.maxWait()).isEqualTo(Duration.ofSeconds(30));
        assertThat(pool.asConnectionProperties()).isEqualTo("MaxTotal=40, MaxIdle=40, MaxWaitMillis=30000");
    }

    @Test
    void takesTheAdminsSizeAndWait() throws ConfigurationException {
        ConnectionPool pool = ConnectionPool.from(database("datasource.maxTotal", "64", "datasource.maxWait", "2m"), 20);

        assertThat(pool.maxTotal()).isEqualTo(64);
        assertThat(pool.maxWait()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void refusesAPoolTheSpoolerAloneCanEmpty() {
        assertThatThrownBy(() -> ConnectionPool.from(database("datasource.maxTotal", "8"), 20))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("datasource.maxTotal=8")
            .hasMessageContaining("20 threads");
    }

    @Test
    void refusesAnEndlessOrUnreadableWait() {
        assertThatThrownBy(() -> ConnectionPool.from(database("datasource.maxWait", "0"), 20))
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("datasource.maxWait=0");
        assertThatThrownBy(() -> ConnectionPool.from(database("datasource.maxWait", "forever"), 20))
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("datasource.maxWait=forever");
    }
}
