package io.rollcall.entra;

import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.rollcall.connector.HookAdmission;
import io.rollcall.connector.HookCatchUp;
import io.rollcall.connector.RefusedDeliveries;
import io.rollcall.connector.HookDeliveries;
import io.rollcall.platform.JobScheduler;
import io.rollcall.platform.RequestAdmission;
import io.rollcall.sync.SyncRuns;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;

/**
 * Graph's change notifications take turns with the other webhooks ({@link HookAdmission}). Graph retries a refused
 * delivery for up to 4 hours, but gives up then, and its {@code missed} lifecycle event is not promised for users and
 * groups: the refusal keeps each item's subscription and clientState, and the companies they prove to be get what a
 * {@code missed} event asks for, a run reading the users delta and comparing the group ({@link HookCatchUp}), a
 * minute later. Graph's own retry, when it comes, only names people to read again.
 */
@Component
class EntraHookAdmission extends RefusedDeliveries<EntraHookAdmission.Notifier> {

	/** The most of a refused body read for its subscriptions; Graph's batches are far smaller. */
	static final int MAX_BODY = 1 << 20;

	/** What authenticates a notification item: its subscription and the clientState it carries. */
	record Notifier(String subscriptionId, String clientState) {
	}

	EntraHookAdmission(EntraSubscriptions subscriptions, EntraConnections connections, SyncRuns runs,
			JobScheduler scheduler, @Value("${rollcall.webhooks.receivers.catch-up-after:1m}") Duration after) {
		super(new HookCatchUp<>(EntraKind.SOURCE,
				new EntraSource.RunOptions(true, List.of(), true, true).asMap(), new HookCatchUp.Senders<>() {

					@Override
					public Set<UUID> companies(Set<Notifier> notifiers) {
						Set<UUID> companies = new HashSet<>();
						for (Notifier notifier : notifiers) {
							subscriptions.verify(notifier.subscriptionId(), notifier.clientState())
								.ifPresent(companies::add);
						}
						return companies;
					}

					@Override
					public Set<UUID> all() {
						Set<UUID> authorised = new HashSet<>();
						connections.authorised().forEach(connection -> authorised.add(connection.companyId()));
						return authorised;
					}

					@Override
					public boolean hears(UUID companyId) {
						return connections.find(companyId).map(EntraConnection::authorised).orElse(false);
					}

				}, runs, scheduler, after));
	}

	/**
	 * The subscriptions and clientStates a refused delivery's items carry, handed to the catch-up one by one; nothing
	 * when the body is not a notification collection.
	 */
	void refused(HttpServletRequest request) {
		byte[] body;
		try {
			body = request.getInputStream().readNBytes(MAX_BODY);
		}
		catch (IOException ex) {
			body = null; // the sender is gone: it retries as if refused
		}
		boolean any = false;
		JsonNode items = HookDeliveries.items(body, "/value").orElse(null);
		for (JsonNode item : items == null ? List.<JsonNode>of() : items) {
			String subscriptionId = item.path("subscriptionId").asString(null);
			String clientState = item.path("clientState").asString(null);
			if (subscriptionId != null && clientState != null) {
				catchUp().refused(new Notifier(subscriptionId, clientState));
				any = true;
			}
		}
		if (!any) {
			catchUp().refused(null);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Registration {

		/** Only notifications take turns: Graph's URL check reads nothing, and a subscription waits for it. */
		@Bean
		FilterRegistrationBean<RequestAdmission> entraHookFilter(HookAdmission admission,
				EntraHookAdmission notifications) {
			return admission.registration("entraHookAdmission", "/hooks/entra", "entra",
					request -> "POST".equals(request.getMethod()) && (request.getQueryString() == null
							|| !request.getQueryString().contains("validationToken=")),
					notifications::refused);
		}

	}

}
