package org.maildeck.assembly.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;

import org.junit.jupiter.api.Test;

class SmokeIT {
    @Test
    void startedServerAnswersSmtpGreeting() throws Exception {
        try (MaildeckInstance server = MaildeckInstance.create().start();
             Socket socket = new Socket("127.0.0.1", server.port("smtp"))) {
            String greeting = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream())).readLine();
            assertThat(greeting).startsWith("220 ");
        }
    }
}
