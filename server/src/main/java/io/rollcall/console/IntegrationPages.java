package io.rollcall.console;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.rollcall.company.Company;
import io.rollcall.connector.Integration;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;
import io.rollcall.sync.SourceKinds;
import io.rollcall.sync.SyncRun;
import io.rollcall.sync.SyncRuns;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.Assert;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Integrations → Entra ID, Okta, ...: what every directory integration's page does alike. It shows the set-up beside
 * the run going on and the recent runs, and starts "Sync users", which the admin then watches on the run's page; what
 * differs (saving the set-up, consent, the event-hook secret) is on the integration's own page class.
 */
@Controller
final class IntegrationPages {

	private static final int HISTORY_SIZE = 20;

	private final Map<String, Integration> integrations;

	private final SyncRuns runs;

	private final SourceKinds kinds;

	IntegrationPages(List<Integration> integrations, SyncRuns runs, SourceKinds kinds) {
		Assert.notNull(runs, "runs cannot be null");
		Assert.notNull(kinds, "kinds cannot be null");
		this.kinds = kinds;
		this.integrations = integrations.stream()
			.collect(Collectors.toUnmodifiableMap(Integration::kind, Function.identity()));
		this.runs = runs;
	}

	@GetMapping("/console/integrations/{kind}")
	String page(Company company, @PathVariable String kind, Model model) {
		Integration integration = integration(kind);
		model.addAttribute("kind", kind);
		model.addAttribute("name", integration.name());
		model.addAttribute("company", company);
		model.addAttribute("setup", integration.setup(company.id()));
		model.addAttribute("active", this.runs.active(company.id(), kind).map(this::line).orElse(null));
		model.addAttribute("history",
				this.runs.history(company.id(), kind, HISTORY_SIZE).stream().map(this::line).toList());
		return "console/integration";
	}

	/** "Sync users": a full run through the engine; the admin watches it on the run's page. */
	@PostMapping("/console/integrations/{kind}/sync")
	String sync(Company company, Actor actor, @PathVariable String kind,
			@RequestParam(defaultValue = "false") boolean dryRun, RedirectAttributes redirect) {
		Integration integration = integration(kind);
		try {
			return "redirect:/console/sync-runs/" + integration.sync(company.id(), dryRun, actor).id();
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, ex.getMessage());
			return "redirect:/console/integrations/" + kind;
		}
	}

	/** Only a known integration's kind: it names the template of the page's own parts. */
	private Integration integration(String kind) {
		Integration integration = this.integrations.get(kind);
		if (integration == null) {
			throw RequestRejectedException.notFound("integration " + kind);
		}
		return integration;
	}

	private RunLine line(SyncRun run) {
		return RunLine.of(run, this.kinds);
	}

}
