package dev.aiagg.gateway.web;

import dev.aiagg.gateway.IntegrationTest;
import java.util.Arrays;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.catalina.valves.RemoteIpValve;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code X-Forwarded-For} is believed only from loopback by default: a client on a private network can no longer
 * pick the address its sign-in attempts are counted and recorded under. (Sending from a private address is not
 * possible here, so the running server's proxy rule is checked, and the loopback case end to end.)
 */
class TrustedProxiesIT extends IntegrationTest {

    @Autowired
    private ServletWebServerApplicationContext context;

    @Autowired
    private JdbcClient jdbc;

    @Test
    void onlyLoopbackIsATrustedProxyByDefault() {
        Pattern trusted = Pattern.compile(remoteIpValve().getInternalProxies());

        assertThat(trusted.matcher("127.0.0.1").matches()).isTrue();
        assertThat(trusted.matcher("127.10.20.30").matches()).isTrue();
        assertThat(trusted.matcher("0:0:0:0:0:0:0:1").matches()).isTrue();
        for (String privateAddress : new String[]{"10.0.0.1", "10.255.1.2", "192.168.1.1", "172.16.0.1",
                "172.31.255.254", "169.254.1.1", "100.64.0.1", "fd00:0:0:0:0:0:0:1"}) {
            assertThat(trusted.matcher(privateAddress).matches()).as(privateAddress).isFalse();
        }
    }

    @Test
    void aLoopbackProxyStillNamesTheClient() {
        String unknown = "nobody-" + UUID.randomUUID() + "@example.com";

        assertThat(login(unknown, "whatever-password-1", "203.0.113.77").status()).isEqualTo(401);

        await().until(() -> jdbc.sql("""
                        SELECT count(*) FROM domain_event_entry
                        WHERE payload_type = 'dev.aiagg.api.company.LoginFailed'
                          AND convert_from(payload, 'UTF8') LIKE :email
                          AND convert_from(payload, 'UTF8') LIKE '%"203.0.113.77"%'""")
                .param("email", "%" + unknown + "%")
                .query(Long.class).single() == 1);
    }

    private RemoteIpValve remoteIpValve() {
        TomcatWebServer server = (TomcatWebServer) context.getWebServer();
        return Arrays.stream(server.getTomcat().getEngine().getPipeline().getValves())
                .filter(RemoteIpValve.class::isInstance)
                .map(RemoteIpValve.class::cast)
                .findFirst()
                .orElseThrow();
    }
}
