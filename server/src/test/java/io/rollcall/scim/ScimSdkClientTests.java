package io.rollcall.scim;

import java.net.URI;
import java.util.List;

import com.unboundid.scim2.client.ScimService;
import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.messages.ListResponse;
import com.unboundid.scim2.common.types.Email;
import com.unboundid.scim2.common.types.GroupResource;
import com.unboundid.scim2.common.types.Member;
import com.unboundid.scim2.common.types.Name;
import com.unboundid.scim2.common.types.UserResource;
import io.rollcall.support.IntegrationTest;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Drives the server with a third-party SCIM client: Ping Identity's (UnboundID) scim2-sdk-client on Jersey. The
 * company is named by the Host header, as {@code *.localhost} does not resolve in the JVM here.
 */
class ScimSdkClientTests extends IntegrationTest {

	@Test
	void sdkClientWhenFullLifecycleThenServerAnswersAsTheSdkExpects() throws ScimException {
		ScimTestClient company = ScimTestClient.enabled(this.client);
		String base = "http://127.0.0.1:" + this.port + "/scim/v2";
		// Apache HttpClient 5 under Jersey: the JDK's HttpURLConnection cannot send PATCH.
		var config = new org.glassfish.jersey.client.ClientConfig()
			.connectorProvider(new org.glassfish.jersey.apache5.connector.Apache5ConnectorProvider());
		WebTarget target = ClientBuilder.newClient(config).target(base).register((ClientRequestFilter) request -> {
			request.getHeaders().putSingle("Host", company.company.slug() + ".localhost");
			request.getHeaders().putSingle("Authorization", "Bearer " + company.token);
		});
		ScimService scim = new ScimService(target);

		assertThat(scim.getServiceProviderConfig().getPatch().isSupported()).isTrue();
		assertThat(scim.getResourceTypes().getTotalResults()).isEqualTo(2);
		assertThat(scim.getSchemas().getResources()).extracting(s -> s.getId())
			.contains("urn:ietf:params:scim:schemas:core:2.0:User");

		UserResource user = new UserResource().setUserName("sdk@ping.test")
			.setName(new Name().setGivenName("Sid").setFamilyName("Kay"))
			.setEmails(List.of(new Email().setValue("sdk@ping.test").setType("work").setPrimary(true)))
			.setActive(true);
		user.setExternalId("ping-1");
		UserResource created = scim.create("Users", user);
		assertThat(created.getId()).isNotBlank();
		assertThat(created.getName().getGivenName()).isEqualTo("Sid");

		ListResponse<UserResource> found = scim.searchRequest("Users")
			.filter(Filter.eq("userName", "SDK@ping.test").toString())
			.invoke(UserResource.class);
		assertThat(found.getTotalResults()).isEqualTo(1);
		assertThat(found.getResources().getFirst().getId()).isEqualTo(created.getId());

		UserResource modified = scim.modifyRequest("Users", created.getId())
			.replaceValue("title", "SDK author")
			.replaceValue("name.familyName", "Kaye")
			.invoke(UserResource.class);
		assertThat(modified.getTitle()).isEqualTo("SDK author");
		assertThat(modified.getName().getFamilyName()).isEqualTo("Kaye");

		modified.setDisplayName(null);
		modified.setActive(false);
		UserResource replaced = scim.replaceRequest(URI.create(base + "/Users/" + created.getId()), modified)
			.invoke();
		assertThat(replaced.getActive()).isFalse();
		assertThat(company.api("GET", "/api/v1/people/" + created.getId()).json().path("status").asString())
			.isEqualTo("deactivated");

		GroupResource group = new GroupResource().setDisplayName("SDK group")
			.setMembers(List.of(new Member().setValue(created.getId())));
		GroupResource createdGroup = scim.create("Groups", group);
		assertThat(createdGroup.getMembers()).extracting(Member::getValue).containsExactly(created.getId());
		assertThat(company.api("GET", "/api/v1/people/" + created.getId()).json().path("tags").toString())
			.contains("SDK group");

		scim.delete("Groups", createdGroup.getId());
		assertThatThrownBy(() -> scim.retrieve("Groups", createdGroup.getId(), GroupResource.class))
			.isInstanceOf(ResourceNotFoundException.class);
		assertThatThrownBy(() -> scim.retrieve("Users", java.util.UUID.randomUUID().toString(), UserResource.class))
			.isInstanceOf(ResourceNotFoundException.class);
	}

}
