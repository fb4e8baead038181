package org.maildeck.assembly.startup;

import java.time.Duration;
import java.util.List;

import javax.inject.Provider;

import org.apache.james.task.Task;
import org.apache.james.task.TaskExecutionDetails;
import org.apache.james.task.TaskId;
import org.apache.james.task.TaskManager;
import org.apache.james.task.TaskNotFoundException;

import com.google.common.base.Supplier;
import com.google.common.base.Suppliers;

/**
 * James's task manager, built when WebAdmin first submits or looks up a task.
 *
 * <p>Every WebAdmin route that can start a task holds the task manager, so James's
 * {@code MemoryTaskManager} was built at every start: its work queue and worker (a Reactor
 * pipeline on a thread of its own) loaded ~200 Reactor classes that an idle server otherwise
 * never uses, and kept them in its class archive (bench/README.md, "Start, round 5"). Any call
 * builds it, so every answer is James's own.</p>
 */
final class TaskManagerOnFirstUse implements TaskManager {

    // Guava's memoizing supplier: built once, by the first caller, seen by every thread
    private final Supplier<TaskManager> manager;

    TaskManagerOnFirstUse(Provider<? extends TaskManager> managers) {
        this.manager = Suppliers.memoize(managers::get);
    }

    @Override
    public TaskId submit(Task task) {
        return manager.get().submit(task);
    }

    @Override
    public TaskExecutionDetails getExecutionDetails(TaskId id) {
        return manager.get().getExecutionDetails(id);
    }

    @Override
    public List<TaskExecutionDetails> list() {
        return manager.get().list();
    }

    @Override
    public List<TaskExecutionDetails> list(Status status) {
        return manager.get().list(status);
    }

    @Override
    public void cancel(TaskId id) {
        manager.get().cancel(id);
    }

    @Override
    public TaskExecutionDetails await(TaskId id, Duration timeout) throws TaskNotFoundException, ReachedTimeoutException {
        return manager.get().await(id, timeout);
    }
}
