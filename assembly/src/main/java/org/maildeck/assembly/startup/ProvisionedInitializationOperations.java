package org.maildeck.assembly.startup;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.apache.james.utils.InitializationOperation;
import org.apache.james.utils.InitializationOperations;
import org.apache.james.utils.Startables;

/**
 * Runs the initialization operations in the order Guice provisioned their classes, and refuses
 * to start when one of them has no provisioned class to run with.
 *
 * <p>James places an operation at the first provisioned class that is its class or a supertype
 * of it, and runs the ones it cannot place after everything else, the spooler and listeners
 * included. An operation written for a class that is bound to a subclass of ours was never
 * placed: James's own DNS configuration (for {@code DNSJavaService}, provisioned as our
 * {@code UnresolvedHostnameDnsService}) and the JMX server's start and MBeans (for
 * {@code JMXServer}, provisioned as {@code LoopbackJmxServer}) ran last, so the mail of the
 * first seconds could meet an unconfigured component, as it did when the remembering
 * repositories' configuration named James's JPA classes. Here an operation also runs at the
 * place of a provisioned subclass of its class; one that still has no place fails the start,
 * naming its class, instead of running late.
 */
public class ProvisionedInitializationOperations extends InitializationOperations {

    private final Set<InitializationOperation> operations;
    private final Startables startables;

    @Inject
    public ProvisionedInitializationOperations(Set<InitializationOperation> operations, Startables startables) {
        super(operations, startables);
        this.operations = operations;
        this.startables = startables;
    }

    @Override
    public void initModules() {
        Set<InitializationOperation> ordered = inProvisionOrder(operations, startables.get());
        List<String> unplaced = operations.stream()
            .filter(operation -> !ordered.contains(operation))
            .map(operation -> operation.forClass().getName())
            .sorted()
            .distinct()
            .collect(Collectors.toList());
        if (!unplaced.isEmpty()) {
            throw new IllegalStateException("initialization operations for classes Guice never provisioned "
                + "(they would run after everything else has started): " + unplaced);
        }
        for (InitializationOperation operation : ordered) {
            run(operation);
        }
    }

    /** Runs one operation, letting its exception through unchanged, as James does. */
    private static void run(InitializationOperation operation) {
        try {
            operation.initModule();
        } catch (Exception e) {
            throw ProvisionedInitializationOperations.<RuntimeException>unchecked(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Exception> E unchecked(Exception e) throws E {
        throw (E) e;
    }

    /** The operations that have a place, in the order of their provisioned classes, each after those it requires. */
    static Set<InitializationOperation> inProvisionOrder(Set<InitializationOperation> operations,
                                                        Set<? extends Class<?>> provisioned) {
        Set<InitializationOperation> ordered = new LinkedHashSet<>();
        for (Class<?> startable : provisioned) {
            operations.stream()
                .filter(operation -> runsWith(operation, startable))
                .forEach(operation -> addWithRequirements(operation, operations, ordered));
        }
        return ordered;
    }

    private static boolean runsWith(InitializationOperation operation, Class<?> provisioned) {
        return provisioned.isAssignableFrom(operation.forClass()) || operation.forClass().isAssignableFrom(provisioned);
    }

    private static void addWithRequirements(InitializationOperation operation, Set<InitializationOperation> operations,
                                            Set<InitializationOperation> ordered) {
        if (ordered.contains(operation)) {
            return;
        }
        for (Class<?> required : operation.requires()) {
            operations.stream()
                .filter(candidate -> required.isAssignableFrom(candidate.forClass()))
                .forEach(candidate -> addWithRequirements(candidate, operations, ordered));
        }
        ordered.add(operation);
    }
}
