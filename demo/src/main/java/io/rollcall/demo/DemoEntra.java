package io.rollcall.demo;

import io.rollcall.company.Company;
import io.rollcall.emulators.entra.DirectorySpec;
import io.rollcall.emulators.entra.EntraEmulator;
import io.rollcall.emulators.entra.EntraTenant;
import io.rollcall.emulators.entra.GeneratedDirectory;
import io.rollcall.entra.EntraIntegration;
import io.rollcall.entra.EntraSetup;
import io.rollcall.platform.Actor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.stereotype.Component;

/**
 * The demo's Entra ID: the emulator started in this process with a sample tenant (a few hundred people in nested
 * groups, with managers and photos), wired to company {@code demo} and authorised, so that "Sync users" on
 * Integrations → Entra ID brings them in. The emulator's directory is the same at every start (a fixed seed), so
 * later syncs find the same people.
 */
@Component
@ConditionalOnExpression("#{environment.containsProperty('demo') or environment.matchesProfiles('demo')}")
class DemoEntra implements DisposableBean {

	static final int PEOPLE = 300;

	private static final Logger log = LoggerFactory.getLogger(DemoEntra.class);

	private final EntraIntegration integration;

	private volatile EntraEmulator emulator;

	DemoEntra(EntraIntegration integration) {
		this.integration = integration;
	}

	void wire(Company company) {
		this.emulator = EntraEmulator.start(EntraEmulator.Options.defaults());
		EntraTenant tenant = this.emulator.createTenant("demo.example");
		// Eight departments with three teams each: every group of the tree gets its subscription within Graph's 100.
		GeneratedDirectory directory = tenant
			.generate(DirectorySpec.people(PEOPLE).withNesting(1, 3).withDomain("demo.example"));
		Actor actor = new Actor(Actor.Type.SYSTEM, null, "Demo set-up");
		EntraSetup current = this.integration.setup(company.id());
		this.integration.save(company.id(),
				new EntraSetup.Form(tenant.tenantId(), directory.topGroupId(), tenant.clientId(),
						tenant.clientSecret(), "custom", this.emulator.authority(), this.emulator.graphUrl(),
						current.configured() ? current.invitationPolicy() : "never",
						current.configured() ? current.assignManagers() : Boolean.TRUE,
						current.configured() ? current.fullSyncAt() : null),
				actor);
		this.integration.authorised(company.id());
		log.info(
				"Demo: Entra ID emulator at {} with {} people in nested groups; press Sync users on Integrations → Entra ID",
				this.emulator.baseUrl(), PEOPLE);
	}

	@Override
	public void destroy() {
		if (this.emulator != null) {
			this.emulator.close();
		}
	}

}
