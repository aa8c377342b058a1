package dev.aiagg.gateway.llm;

import java.util.List;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.header.writers.CacheControlHeadersWriter;
import org.springframework.security.web.header.writers.HstsHeaderWriter;
import org.springframework.security.web.header.writers.XContentTypeOptionsHeaderWriter;
import org.springframework.security.web.header.writers.XXssProtectionHeaderWriter;
import org.springframework.security.web.header.writers.frameoptions.XFrameOptionsHeaderWriter;

/**
 * {@code /v1} is authenticated by our API keys in {@link KeyGate}, not by access tokens: its bearer token is an
 * {@code sk-aiagg-} secret that the JWT filter of {@code /api} must never see. Spring Security has nothing to do
 * there (no session, no access token), and its filter chain, run for every call, was a measurable share of the
 * request threads' time under load, so {@code /v1} bypasses it. Its security headers are written all the same, by the
 * writers Spring Security uses on {@code /api}, once per call before anything else (streams included).
 */
@Configuration(proxyBeanMethods = false)
class LlmSecurityConfiguration {

    @Bean
    WebSecurityCustomizer llmApiOutsideTheAccessTokenChain() {
        return web -> web.ignoring().requestMatchers("/v1/**");
    }

    @Bean
    FilterRegistrationBean<HeaderWriterFilter> llmApiSecurityHeaders() {
        HeaderWriterFilter headers = new HeaderWriterFilter(List.of(new XContentTypeOptionsHeaderWriter(),
                new XXssProtectionHeaderWriter(), new CacheControlHeadersWriter(), new HstsHeaderWriter(),
                new XFrameOptionsHeaderWriter(XFrameOptionsHeaderWriter.XFrameOptionsMode.DENY)));
        headers.setShouldWriteHeadersEagerly(true);
        FilterRegistrationBean<HeaderWriterFilter> registration = new FilterRegistrationBean<>(headers);
        registration.addUrlPatterns("/v1/*");
        return registration;
    }
}
