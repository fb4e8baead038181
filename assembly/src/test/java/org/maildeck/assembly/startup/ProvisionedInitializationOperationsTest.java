package org.maildeck.assembly.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import org.apache.james.lifecycle.api.Startable;
import org.apache.james.utils.InitializationOperation;
import org.apache.james.utils.InitilizationOperationBuilder;
import org.apache.james.utils.Startables;
import org.junit.jupiter.api.Test;

class ProvisionedInitializationOperationsTest {

    static class JamesComponent implements Startable {
    }

    static class OurComponent extends JamesComponent {
    }

    static class Spooler implements Startable {
    }

    static class NeverProvisioned implements Startable {
    }

    private final List<String> ran = new ArrayList<>();
    private final Startables startables = new Startables();

    private InitilizationOperationBuilder.PrivateImpl operation(Class<? extends Startable> forClass, String name) {
        return InitilizationOperationBuilder.forClass(forClass).init(() -> ran.add(name));
    }

    private void initModules(InitializationOperation... operations) {
        new ProvisionedInitializationOperations(new LinkedHashSet<>(List.of(operations)), startables).initModules();
    }

    @Test
    void operationsRunInTheOrderTheirClassesWereProvisioned() {
        startables.add(OurComponent.class);
        startables.add(Spooler.class);

        initModules(operation(Spooler.class, "spooler"), operation(OurComponent.class, "ours"));

        assertThat(ran).containsExactly("ours", "spooler");
    }

    @Test
    void anOperationForASuperclassRunsAtThePlaceOfItsProvisionedSubclass() {
        startables.add(OurComponent.class);
        startables.add(Spooler.class);

        initModules(operation(Spooler.class, "spooler"), operation(JamesComponent.class, "configure James's part"));

        assertThat(ran).containsExactly("configure James's part", "spooler");
    }

    @Test
    void anOperationWhoseClassWasNeverProvisionedFailsTheStartBeforeAnyRuns() {
        startables.add(Spooler.class);

        assertThatThrownBy(() -> initModules(operation(Spooler.class, "spooler"), operation(NeverProvisioned.class, "late")))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining(NeverProvisioned.class.getName());
        assertThat(ran).isEmpty();
    }

    @Test
    void anOperationRunsAfterTheOperationsItRequires() {
        startables.add(Spooler.class);
        startables.add(OurComponent.class);
        InitializationOperation spooler = operation(Spooler.class, "spooler").requires(List.of(OurComponent.class));

        initModules(spooler, operation(OurComponent.class, "ours"));

        assertThat(ran).containsExactly("ours", "spooler");
    }

    @Test
    void eachOperationRunsOnceThoughSeveralProvisionedClassesPlaceIt() {
        startables.add(JamesComponent.class);
        startables.add(OurComponent.class);

        initModules(operation(JamesComponent.class, "once"));

        assertThat(ran).containsExactly("once");
    }

    @Test
    void theExceptionOfAFailingOperationComesThroughUnchanged() {
        startables.add(Spooler.class);
        Exception failure = new java.io.IOException("disk gone");

        assertThatThrownBy(() -> initModules(InitilizationOperationBuilder.forClass(Spooler.class).init(() -> {
            throw failure;
        }))).isSameAs(failure);
    }
}
