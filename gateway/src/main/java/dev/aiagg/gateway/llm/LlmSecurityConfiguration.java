package dev.aiagg.gateway.llm;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;

/**
 * {@code /v1} is authenticated by our API keys in {@link KeyGate}, not by access tokens: its bearer token is an
 * {@code sk-aiagg-} secret that the JWT filter of {@code /api} must never see. Spring Security has nothing to do
 * there (no session, no access token, no browser to send security headers to), and its filter chain, run for every
 * call, was a measurable share of the request threads' time under load, so {@code /v1} bypasses it.
 */
@Configuration(proxyBeanMethods = false)
class LlmSecurityConfiguration {

    @Bean
    WebSecurityCustomizer llmApiOutsideTheAccessTokenChain() {
        return web -> web.ignoring().requestMatchers("/v1/**");
    }
}
