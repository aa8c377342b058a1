package dev.aiagg.gateway.auth;

/** What a successful sign-in or refresh returns; {@code expiresIn} is the access token's lifetime in seconds. */
record TokenPair(String accessToken, String refreshToken, long expiresIn, String tokenType) {

    TokenPair(String accessToken, String refreshToken, long expiresIn) {
        this(accessToken, refreshToken, expiresIn, "Bearer");
    }
}
