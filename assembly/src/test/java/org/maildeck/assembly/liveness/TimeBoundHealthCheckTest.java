package org.maildeck.assembly.liveness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.apache.james.core.healthcheck.ComponentName;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.core.healthcheck.Result;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Mono;

class TimeBoundHealthCheckTest {

    private static final ComponentName DATABASE = new ComponentName("Database");

    private static HealthCheck answering(Publisher<Result> answer) {
        return new HealthCheck() {
            @Override
            public ComponentName componentName() {
                return DATABASE;
            }

            @Override
            public Publisher<Result> check() {
                return answer;
            }
        };
    }

    @Test
    void aCheckThatNeverAnswersIsUnhealthyOnceTheLimitIsReached() {
        HealthCheck bounded = new TimeBoundHealthCheck(answering(Mono.never()), Duration.ofMillis(200));

        long start = System.nanoTime();
        Result result = Mono.from(bounded.check()).block(Duration.ofSeconds(5));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(result.isUnHealthy()).isTrue();
        assertThat(result.getComponentName()).isEqualTo(DATABASE);
        assertThat(result.getCause()).contains("no answer within 0 s");
    }

    @Test
    void anAnswerInTimeIsPassedOnAsItIs() {
        Result degraded = Result.degraded(DATABASE, "slow");
        HealthCheck bounded = new TimeBoundHealthCheck(answering(Mono.just(degraded)), Duration.ofSeconds(1));

        assertThat(Mono.from(bounded.check()).block()).isEqualTo(degraded);
    }

    @Test
    void keepsTheComponentNameOfTheCheck() {
        assertThat(new TimeBoundHealthCheck(answering(Mono.never()), Duration.ofSeconds(1)).componentName()).isEqualTo(DATABASE);
    }
}
