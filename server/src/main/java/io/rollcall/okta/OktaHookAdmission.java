package io.rollcall.okta;

import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.rollcall.connector.HookAdmission;
import io.rollcall.connector.HookCatchUp;
import io.rollcall.connector.RefusedDeliveries;
import io.rollcall.platform.JobScheduler;
import io.rollcall.platform.RequestAdmission;
import io.rollcall.sync.SyncRuns;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;

/**
 * Okta's event hooks take turns with the other webhooks ({@link HookAdmission}). Okta retries a hook once, and only
 * after a 5xx, so a hook refused twice never comes back, and Rollcall does not read the System Log: the refusal keeps
 * the hash of the delivery's Authorization value, and the company whose event-hook secret it proves to be gets a full
 * run ({@link HookCatchUp}) once Okta's retry has had its chance. Only a full listing sees what the lost events told:
 * the refused body names people, but it is not read, let alone trusted, before it is authenticated.
 */
@Component
class OktaHookAdmission extends RefusedDeliveries<String> {

	OktaHookAdmission(OktaConnections connections, SyncRuns runs, JobScheduler scheduler,
			@Value("${rollcall.webhooks.receivers.catch-up-after:1m}") Duration after) {
		super(new HookCatchUp<>(OktaKind.SOURCE, Map.of(), new HookCatchUp.Senders<>() {

			@Override
			public Set<UUID> companies(Set<String> secretHashes) {
				Set<UUID> companies = new HashSet<>();
				for (String hash : secretHashes) {
					connections.byHookSecret(HexFormat.of().parseHex(hash))
						.ifPresent(hooked -> companies.add(hooked.companyId()));
				}
				return companies;
			}

			@Override
			public Set<UUID> all() {
				Set<UUID> hooked = new HashSet<>();
				for (OktaConnection connection : connections.all()) {
					if (connection.hookSecretSet()) {
						hooked.add(connection.companyId());
					}
				}
				return hooked;
			}

			@Override
			public boolean hears(UUID companyId) {
				return connections.find(companyId).map(OktaConnection::hookSecretSet).orElse(false);
			}

		}, runs, scheduler, after));
	}

	/** The hash of the event-hook secret a delivery carries, as the receiver would look it up; null without one. */
	static String sender(HttpServletRequest request) {
		byte[] hash = OktaHookReceiver.secretHash(request.getHeader("Authorization"));
		return hash == null ? null : HexFormat.of().formatHex(hash);
	}

	@Configuration(proxyBeanMethods = false)
	static class Registration {

		/** Only deliveries take turns: the one-time verification GET reads nothing. */
		@Bean
		FilterRegistrationBean<RequestAdmission> oktaHookFilter(HookAdmission admission,
				OktaHookAdmission hooks) {
			return admission.registration("oktaHookAdmission", "/hooks/okta", "okta",
					request -> "POST".equals(request.getMethod()),
					request -> hooks.catchUp().refused(sender(request)));
		}

	}

}
