package io.rollcall.demo;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rollcall.support.RollcallClient;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.TempDirs;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --demo} gives a company whose owner can sign in at once, with people in teams under managers. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, args = "--demo")
class DemoCompanyTests {

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		String dataDir = TempDirs.create("rollcall-demo-test-").toString();
		registry.add("rollcall.data-dir", () -> dataDir);
		registry.add("rollcall.database.durable", () -> "false");
	}

	@Test
	void demoWhenStartedThenOwnerSignsInAndSeesPeopleWithManagers() {
		RollcallClient browser = new RollcallClient(this.port);
		String login = browser.page("demo.localhost", "/login").body();
		Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(login);
		assertThat(csrf.find()).isTrue();

		Response signIn = browser.form("demo.localhost", "/login", Map.of("email", DemoCompany.OWNER_EMAIL, "password",
				DemoCompany.OWNER_PASSWORD, "_csrf", csrf.group(1)));

		assertThat(signIn.header("Location")).doesNotContain("error");
		Response people = browser.page("demo.localhost", "/console/people");
		assertThat(people.status()).isEqualTo(200);
		assertThat(people.body()).contains("Head of Engineering").contains("Olivia");
		Response teams = browser.page("demo.localhost", "/console/teams");
		assertThat(teams.body()).contains("Engineering").contains("Support");
		Response entra = browser.page("demo.localhost", "/console/integrations/entra");
		assertThat(entra.status()).isEqualTo(200);
		assertThat(entra.body()).contains("Authorised").contains("entra-sync").contains("/groups/");
	}

	@Test
	void demoWhenStartedThenOktaCompanyIsSetUpWithItsEventHook() {
		RollcallClient browser = new RollcallClient(this.port);
		String login = browser.page("demo-okta.localhost", "/login").body();
		Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(login);
		assertThat(csrf.find()).isTrue();

		Response signIn = browser.form("demo-okta.localhost", "/login",
				Map.of("email", DemoCompany.OWNER_EMAIL, "password",
						DemoCompany.OWNER_PASSWORD, "_csrf", csrf.group(1)));

		assertThat(signIn.header("Location")).doesNotContain("error");
		Response okta = browser.page("demo-okta.localhost", "/console/integrations/okta");
		assertThat(okta.status()).isEqualTo(200);
		assertThat(okta.body()).contains("okta-sync").contains("/hooks/okta");
	}

}
