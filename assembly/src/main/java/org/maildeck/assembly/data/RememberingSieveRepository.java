package org.maildeck.assembly.data;

import java.io.InputStream;
import java.time.ZonedDateTime;

import javax.inject.Inject;
import javax.persistence.EntityManagerFactory;

import org.apache.james.core.Username;
import org.apache.james.sieve.jpa.JPASieveRepository;
import org.apache.james.sieverepository.api.ScriptContent;
import org.apache.james.sieverepository.api.ScriptName;
import org.apache.james.sieverepository.api.exception.DuplicateException;
import org.apache.james.sieverepository.api.exception.IsActiveException;
import org.apache.james.sieverepository.api.exception.QuotaExceededException;
import org.apache.james.sieverepository.api.exception.ScriptNotFoundException;
import org.apache.james.sieverepository.api.exception.StorageException;

/**
 * The users' Sieve scripts in Derby, remembering which users have no active script until one of
 * their scripts changes.
 *
 * <p>Why: the Sieve mailet looks up the active script of every recipient of every message, two
 * JPA queries, and most users have none: 3% of the server's CPU in the ingest benchmark. Only the
 * absence is remembered; a user with a script is read as before. Scripts change only through
 * this object (ManageSieve and WebAdmin, in this process; the embedded Derby has no other
 * writer). The changes forget in a plain try/finally: {@code forgetAfter} would make them throw
 * the common supertype of their exceptions.
 */
public class RememberingSieveRepository extends JPASieveRepository {

    private final RememberedAnswers<Username, Boolean> withoutScript = new RememberedAnswers<>(10_000);

    @Inject
    public RememberingSieveRepository(EntityManagerFactory entityManagerFactory) {
        super(entityManagerFactory);
    }

    @Override
    public ZonedDateTime getActivationDateForActiveScript(Username user) throws StorageException, ScriptNotFoundException {
        if (withoutScript.get(user).isPresent()) {
            throw new ScriptNotFoundException();
        }
        long readAt = withoutScript.generation();
        try {
            return super.getActivationDateForActiveScript(user);
        } catch (ScriptNotFoundException none) {
            withoutScript.remember(user, true, readAt);
            throw none;
        }
    }

    @Override
    public InputStream getActive(Username user) throws ScriptNotFoundException, StorageException {
        if (withoutScript.get(user).isPresent()) {
            throw new ScriptNotFoundException();
        }
        return super.getActive(user);
    }

    @Override
    public void putScript(Username user, ScriptName name, ScriptContent content) throws StorageException, QuotaExceededException {
        try {
            super.putScript(user, name, content);
        } finally {
            withoutScript.forget();
        }
    }

    @Override
    public void setActive(Username user, ScriptName name) throws ScriptNotFoundException, StorageException {
        try {
            super.setActive(user, name);
        } finally {
            withoutScript.forget();
        }
    }

    @Override
    public void deleteScript(Username user, ScriptName name) throws ScriptNotFoundException, IsActiveException, StorageException {
        try {
            super.deleteScript(user, name);
        } finally {
            withoutScript.forget();
        }
    }

    @Override
    public void renameScript(Username user, ScriptName oldName, ScriptName newName)
            throws ScriptNotFoundException, DuplicateException, StorageException {
        try {
            super.renameScript(user, oldName, newName);
        } finally {
            withoutScript.forget();
        }
    }
}
