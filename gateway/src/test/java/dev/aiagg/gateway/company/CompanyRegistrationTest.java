package dev.aiagg.gateway.company;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aiagg.gateway.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class CompanyRegistrationTest extends IntegrationTest {

    @Test
    void aRegisteredCompanyReadsItselfWithItsReferralCodeAndOwner() {
        CompanySession company = newCompany();

        Response me = call(HttpMethod.GET, "/api/companies/me", company.accessToken(), null);

        assertThat(me.status()).isEqualTo(200);
        assertThat(me.text("companyId")).isEqualTo(company.companyId());
        assertThat(me.text("email")).isEqualTo(company.email());
        assertThat(me.text("referralCode")).isEqualTo(company.referralCode()).matches("[A-HJ-NP-Z2-9]{8}");
        assertThat(me.text("referredBy")).isNull();
        assertThat(me.body().get("members")).hasSize(1);
        assertThat(me.body().get("members").get(0).get("role").asText()).isEqualTo("OWNER");
        assertThat(me.body().get("members").get(0).get("email").asText()).isEqualTo(company.email());
    }

    @Test
    void aSecondRegistrationWithTheSameEmailInAnyCaseIsAConflict() {
        CompanySession company = newCompany();

        Response again = register("Copycat", company.email().toUpperCase(), PASSWORD, null);

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.text("code")).isEqualTo("already_exists");
        assertThat(again.headers().getContentType()).hasToString("application/problem+json");
    }

    @Test
    void weakPasswordsAndBadFieldsAreRefusedWithFieldErrors() {
        for (String weak : List.of("short1", "no-digits-at-all", "1234567890123", "", "password123", "Qwerty123456",
                "1Q2W3E4R5T", "iloveyou12")) {
            Response refused = register("Weak Ltd", uniqueEmail(), weak, null);

            assertThat(refused.status()).as("password %s", weak).isEqualTo(400);
            assertThat(refused.text("code")).isEqualTo("invalid_input");
            assertThat(fields(refused)).containsExactly("password");
        }

        Response badFields = register("", "not-an-email", PASSWORD, null);

        assertThat(badFields.status()).isEqualTo(400);
        assertThat(fields(badFields)).containsExactlyInAnyOrder("name", "email");
    }

    @Test
    void aBodyThatIsNotJsonIsABadRequestNotAServerError() {
        Response malformed = call(HttpMethod.POST, "/api/companies", null, "{\"name\": \"Broken\", ");

        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.text("code")).isEqualTo("malformed_request");
        assertThat(malformed.text("type")).isNotBlank();
        assertThat(malformed.text("title")).isNotBlank();
        assertThat(malformed.text("detail")).isNotBlank();

        Response wrongType = call(HttpMethod.POST, "/api/companies", null, "[1, 2]");
        assertThat(wrongType.status()).isEqualTo(400);

        Response missing = call(HttpMethod.POST, "/api/companies", null, null);
        assertThat(missing.status()).isIn(400, 415);
    }

    @Test
    void theInvitersReferralCodeBecomesReferredBy() {
        CompanySession inviter = newCompany();
        String email = uniqueEmail();

        Response invited = register("Invited Ltd", email, PASSWORD, inviter.referralCode().toLowerCase());

        assertThat(invited.status()).isEqualTo(201);
        assertThat(invited.text("referralCode")).isNotEqualTo(inviter.referralCode());
        String token = login(email, PASSWORD, randomClientIp()).text("accessToken");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(call(HttpMethod.GET, "/api/companies/me", token, null).text("referredBy"))
                        .isEqualTo(inviter.companyId()));
    }

    @Test
    void anUnknownReferralCodeIsAFieldErrorAndRegistersNothing() {
        String email = uniqueEmail();

        Response refused = register("Nobody's Friend", email, PASSWORD, "ZZZZZZZZ");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(fields(refused)).containsExactly("referralCode");
        assertThat(register("Nobody's Friend", email, PASSWORD, null).status()).isEqualTo(201);
    }

    @Test
    void anOwnerAddsMembersWhoCanSignIn() {
        CompanySession company = newCompany();
        String email = uniqueEmail();

        Response added = call(HttpMethod.POST, "/api/companies/me/members", company.accessToken(),
                Map.of("email", email, "password", PASSWORD, "role", "DEVELOPER"));

        assertThat(added.status()).isEqualTo(201);
        assertThat(added.text("memberId")).isNotBlank();
        assertThat(added.text("email")).isEqualTo(email);
        assertThat(added.text("role")).isEqualTo("DEVELOPER");
        assertThat(login(email, PASSWORD, randomClientIp()).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode members = call(HttpMethod.GET, "/api/companies/me", company.accessToken(), null)
                    .body().get("members");
            assertThat(members).hasSize(2);
        });

        Response duplicate = call(HttpMethod.POST, "/api/companies/me/members", company.accessToken(),
                Map.of("email", email, "password", PASSWORD, "role", "VIEWER"));
        assertThat(duplicate.status()).isEqualTo(409);
    }

    @Test
    void onlyOwnersAndAdminsAddMembersAndOnlyOwnersAddOwners() {
        CompanySession company = newCompany();
        String viewerToken = addMemberAndLogin(company, "VIEWER");
        String adminToken = addMemberAndLogin(company, "ADMIN");

        Response byViewer = call(HttpMethod.POST, "/api/companies/me/members", viewerToken,
                Map.of("email", uniqueEmail(), "password", PASSWORD, "role", "DEVELOPER"));
        assertThat(byViewer.status()).isEqualTo(403);
        assertThat(byViewer.text("code")).isEqualTo("forbidden");
        assertThat(byViewer.headers().getContentType()).hasToString("application/problem+json");

        Response ownerByAdmin = call(HttpMethod.POST, "/api/companies/me/members", adminToken,
                Map.of("email", uniqueEmail(), "password", PASSWORD, "role", "OWNER"));
        assertThat(ownerByAdmin.status()).isEqualTo(403);

        Response developerByAdmin = call(HttpMethod.POST, "/api/companies/me/members", adminToken,
                Map.of("email", uniqueEmail(), "password", PASSWORD, "role", "DEVELOPER"));
        assertThat(developerByAdmin.status()).isEqualTo(201);

        Response unknownRole = call(HttpMethod.POST, "/api/companies/me/members", company.accessToken(),
                Map.of("email", uniqueEmail(), "password", PASSWORD, "role", "EMPEROR"));
        assertThat(unknownRole.status()).isEqualTo(400);
        assertThat(fields(unknownRole)).containsExactly("role");

        for (String password : List.of("weak", "password1234")) {
            Response weak = call(HttpMethod.POST, "/api/companies/me/members", company.accessToken(),
                    Map.of("email", uniqueEmail(), "password", password, "role", "VIEWER"));
            assertThat(weak.status()).isEqualTo(400);
            assertThat(fields(weak)).containsExactly("password");
        }
    }

    @Test
    void anOperatorHasNoCompanyOfItsOwn() {
        assertThat(call(HttpMethod.GET, "/api/companies/me", operatorToken(), null).status()).isEqualTo(404);
    }

    private String addMemberAndLogin(CompanySession company, String role) {
        String email = uniqueEmail();
        Response added = call(HttpMethod.POST, "/api/companies/me/members", company.accessToken(),
                Map.of("email", email, "password", PASSWORD, "role", role));
        assertThat(added.status()).isEqualTo(201);
        return login(email, PASSWORD, randomClientIp()).text("accessToken");
    }

    private Response register(String name, String email, String password, String referralCode) {
        Map<String, String> body = new HashMap<>(Map.of("name", name, "email", email, "password", password));
        if (referralCode != null) {
            body.put("referralCode", referralCode);
        }
        return call(HttpMethod.POST, "/api/companies", null, body);
    }

    private static List<String> fields(Response response) {
        List<String> fields = new ArrayList<>();
        response.body().path("errors").forEach(error -> fields.add(error.get("field").asText()));
        return fields;
    }

    private static String uniqueEmail() {
        return "member-" + UUID.randomUUID() + "@example.com";
    }
}
