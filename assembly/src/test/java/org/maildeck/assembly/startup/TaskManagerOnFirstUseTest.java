package org.maildeck.assembly.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import javax.inject.Provider;

import org.apache.james.task.Hostname;
import org.apache.james.task.MemoryTaskManager;
import org.apache.james.task.Task;
import org.apache.james.task.TaskExecutionDetails;
import org.apache.james.task.TaskId;
import org.apache.james.task.TaskManager;
import org.apache.james.task.TaskType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TaskManagerOnFirstUseTest {

    private final AtomicInteger built = new AtomicInteger();
    private MemoryTaskManager memory;
    private final Provider<TaskManager> managers = () -> {
        built.incrementAndGet();
        memory = new MemoryTaskManager(new Hostname("test"));
        return memory;
    };

    @AfterEach
    void stop() {
        if (memory != null) {
            memory.stop();
        }
    }

    @Test
    void managerIsNotBuiltBeforeItIsUsed() {
        new TaskManagerOnFirstUse(managers);

        assertThat(built).hasValue(0);
    }

    @Test
    void submittedTaskRunsOnTheOneManagerBuilt() throws Exception {
        TaskManager manager = new TaskManagerOnFirstUse(managers);

        TaskId id = manager.submit(new Completing());
        TaskExecutionDetails details = manager.await(id, Duration.ofSeconds(30));

        assertThat(details.getStatus()).isEqualTo(TaskManager.Status.COMPLETED);
        assertThat(manager.list()).extracting(TaskExecutionDetails::getTaskId).containsExactly(id);
        assertThat(built).hasValue(1);
    }

    /** A task that completes at once. */
    private static final class Completing implements Task {
        @Override
        public Result run() {
            return Result.COMPLETED;
        }

        @Override
        public TaskType type() {
            return TaskType.of("completing");
        }
    }
}
