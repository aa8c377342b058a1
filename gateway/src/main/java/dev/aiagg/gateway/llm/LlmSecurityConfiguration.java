package dev.aiagg.gateway.llm;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * {@code /v1} is authenticated by our API keys in {@link KeyGate}, not by access tokens: its bearer token is an
 * {@code sk-aiagg-} secret that the JWT filter of {@code /api} must never see.
 */
@Configuration(proxyBeanMethods = false)
class LlmSecurityConfiguration {

    @Bean
    @Order(1)
    SecurityFilterChain llmApiSecurity(HttpSecurity http) throws Exception {
        return http
                .securityMatcher("/v1/**")
                .csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .anonymous(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .build();
    }
}
