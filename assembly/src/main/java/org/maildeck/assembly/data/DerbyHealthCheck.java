package org.maildeck.assembly.data;

import javax.inject.Inject;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;

import org.apache.james.core.healthcheck.ComponentName;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.core.healthcheck.Result;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Reports the embedded database unhealthy when it no longer answers a trivial query. */
public class DerbyHealthCheck implements HealthCheck {

    private static final ComponentName COMPONENT = new ComponentName("Derby");

    private final EntityManagerFactory entityManagerFactory;

    @Inject
    DerbyHealthCheck(EntityManagerFactory entityManagerFactory) {
        this.entityManagerFactory = entityManagerFactory;
    }

    @Override
    public ComponentName componentName() {
        return COMPONENT;
    }

    @Override
    public Publisher<Result> check() {
        return Mono.fromCallable(this::query)
            .subscribeOn(Schedulers.boundedElastic())
            .onErrorResume(e -> Mono.just(Result.unhealthy(COMPONENT, "Derby does not answer", e)));
    }

    private Result query() {
        EntityManager entityManager = entityManagerFactory.createEntityManager();
        try {
            entityManager.createNativeQuery("VALUES 1").getSingleResult();
            return Result.healthy(COMPONENT);
        } finally {
            entityManager.close();
        }
    }
}
