package org.maildeck.mailets;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.apache.mailet.MailetConfig;
import org.apache.mailet.MailetContext;

/**
 * The configuration of a mailet that runs outside the mailet container: the spam marks
 * ({@link SpamHeaders}, {@link SpamMark}) applied by the milter and the SMTP filter port, which
 * set them up from their own configuration. Such a mailet has no container to talk to.
 */
public record MailetParameters(String name, Map<String, String> values) implements MailetConfig {

    @Override
    public String getInitParameter(String parameter) {
        return values.get(parameter);
    }

    @Override
    public Iterator<String> getInitParameterNames() {
        return List.copyOf(values.keySet()).iterator();
    }

    @Override
    public MailetContext getMailetContext() {
        return null;
    }

    @Override
    public String getMailetName() {
        return name;
    }
}
