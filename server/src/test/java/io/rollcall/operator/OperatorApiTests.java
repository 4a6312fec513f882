package io.rollcall.operator;

import java.util.Map;

import io.rollcall.support.IntegrationTest;
import io.rollcall.support.Mails;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OperatorApiTests extends IntegrationTest {

	@Test
	void createCompanyWhenOperatorThenCompanyKeyAndOwnerInvitationExist() throws Exception {
		TestCompany company = this.client.createCompany();

		Response people = this.client.api(company, "GET", "/api/v1/people");
		assertThat(people.status()).isEqualTo(200);
		assertThat(people.json().path("items")).hasSize(1);
		assertThat(people.json().path("items").get(0).path("email").asString()).isEqualTo(company.ownerEmail());
		assertThat(people.json().path("items").get(0).path("role").asString()).isEqualTo("owner");
		assertThat(people.json().path("items").get(0).path("invitationState").asString()).isEqualTo("invited");

		MimeMessage mail = Mails.awaitTo(MAIL, company.ownerEmail());
		assertThat(Mails.body(mail)).contains(company.ownerInvitationUrl());
		assertThat(company.ownerInvitationUrl())
			.startsWith("http://" + company.slug() + ".localhost:" + this.port + "/invitations/");
	}

	@Test
	void createCompanyWhenWrongOperatorTokenThenUnauthorizedAndNothingCreated() {
		Response response = this.client.send("POST", "localhost", "/api/v1/companies", "Bearer not-the-token",
				Map.of("slug", "nope1", "name", "Nope", "ownerEmail", "o@nope.test"));

		assertThat(response.status()).isEqualTo(401);
		assertThat(this.client.send("GET", "nope1.localhost", "/api/v1/people", null, null).status()).isEqualTo(404);
	}

	@Test
	void createCompanyWhenOperatorTokenUsedOnCompanyHostThenUnauthorized() {
		TestCompany company = this.client.createCompany();

		Response response = this.client.send("POST", company.slug() + ".localhost", "/api/v1/companies",
				"Bearer " + OPERATOR_TOKEN, Map.of("slug", "x2", "name", "X", "ownerEmail", "o@x.test"));

		assertThat(response.status()).isEqualTo(401);
	}

	@Test
	void createCompanyWhenSlugTakenThenConflictNamingSlug() {
		TestCompany company = this.client.createCompany();

		Response response = this.client.operator("POST", "/api/v1/companies",
				Map.of("slug", company.slug(), "name", "Again", "ownerEmail", "o@again.test"));

		assertThat(response.status()).isEqualTo(409);
		assertThat(response.json().path("field").asString()).isEqualTo("slug");
		assertThat(response.json().path("detail").asString()).contains(company.slug());
	}

	@Test
	void createCompanyWhenSlugMalformedThenBadRequestNamingSlug() {
		Response response = this.client.operator("POST", "/api/v1/companies",
				Map.of("slug", "Not_A_Slug", "name", "X", "ownerEmail", "o@x.test"));

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().path("field").asString()).isEqualTo("slug");
	}

	@Test
	void createCompanyWhenOwnerEmailInvalidThenBadRequestAndSlugStaysFree() {
		Response response = this.client.operator("POST", "/api/v1/companies",
				Map.of("slug", "halfmade", "name", "Half", "ownerEmail", "not-an-email"));

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().path("field").asString()).isEqualTo("ownerEmail");
		// The whole onboarding is one transaction: no company was left behind.
		assertThat(this.client.send("GET", "halfmade.localhost", "/api/v1/people", null, null).status()).isEqualTo(404);
	}

	@Test
	void createCompanyWhenBodyHasUnknownFieldThenBadRequestNamingIt() {
		Response response = this.client.operator("POST", "/api/v1/companies",
				Map.of("slug", "unknownfield", "name", "X", "ownerEmail", "o@x.test", "plan", "gold"));

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().path("field").asString()).isEqualTo("plan");
	}

}
