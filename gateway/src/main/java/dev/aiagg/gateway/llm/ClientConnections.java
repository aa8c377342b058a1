package dev.aiagg.gateway.llm;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Whether a call's client is still connected, asked just before the provider is called. The Servlet API has no way
 * to tell (a container learns that a client left only when a write to it fails, and nothing is written before the
 * provider answers), so this asks Tomcat to read the connection without blocking once the request body has been
 * read: a client that closed or reset its connection reads as end of stream. A client that sent more bytes after its
 * body (HTTP/1.1 pipelining, which no LLM SDK does) counts as gone too.
 */
@Configuration(proxyBeanMethods = false)
class ClientConnections {

    private static final String COYOTE_REQUEST = ClientConnections.class.getName() + ".request";

    /** Hands Tomcat's own request to the call, which the servlet request does not expose. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> clientConnectionValve() {
        return factory -> factory.addContextValves(new ValveBase(true) {
            @Override
            public void invoke(Request request, Response response) throws IOException, ServletException {
                request.setAttribute(COYOTE_REQUEST, request.getCoyoteRequest());
                getNext().invoke(request, response);
            }
        });
    }

    /** False when it cannot be told: another container, or a body not read to its end. */
    static boolean gone(HttpServletRequest request) {
        if (!(request.getAttribute(COYOTE_REQUEST) instanceof org.apache.coyote.Request coyote)) {
            return false;
        }
        AtomicBoolean bodyRead = new AtomicBoolean();
        coyote.action(ActionCode.REQUEST_BODY_FULLY_READ, bodyRead);
        if (!bodyRead.get()) {
            return false;
        }
        // A non-blocking read: end of stream or a reset shows as something to read (Tomcat then fails the read).
        coyote.action(ActionCode.AVAILABLE, Boolean.TRUE);
        return coyote.getAvailable() > 0;
    }
}
