package io.rollcall.console;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import io.rollcall.company.Company;
import io.rollcall.csv.Uploads;
import io.rollcall.mapping.Mappings;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;
import io.rollcall.sync.InvitationPolicy;
import io.rollcall.sync.SourceSettings;
import io.rollcall.sync.SourceKinds;
import io.rollcall.sync.SourceSettingsStore;
import io.rollcall.sync.SyncRun;
import io.rollcall.sync.SyncRuns;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.Assert;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Where people come from: the sources with their latest run, every source's run history, and the CSV import, whose
 * upload starts a dry run so the admin sees the plan before anything changes.
 */
@Controller
@RequestMapping("/console/integrations")
final class IntegrationsPage {

	private static final int HISTORY_SIZE = 50;

	private static final String CSV = "csv";

	private static final String CSV_PAGE = "/console/integrations/csv";

	private final SyncRuns runs;

	private final SourceSettingsStore settings;

	private final Uploads uploads;

	private final Mappings mappings;

	private final SourceKinds kinds;

	IntegrationsPage(SyncRuns runs, SourceSettingsStore settings, Uploads uploads, Mappings mappings,
			SourceKinds kinds) {
		Assert.notNull(runs, "runs cannot be null");
		Assert.notNull(settings, "settings cannot be null");
		Assert.notNull(uploads, "uploads cannot be null");
		Assert.notNull(mappings, "mappings cannot be null");
		Assert.notNull(kinds, "kinds cannot be null");
		this.runs = runs;
		this.kinds = kinds;
		this.settings = settings;
		this.uploads = uploads;
		this.mappings = mappings;
	}

	/**
	 * A source on the list, as it describes itself; {@code page} null for a source not yet available here.
	 *
	 * @param latest its newest run, or null
	 */
	record SourceLine(String kind, String name, String description, String page, RunLine latest) {
	}

	@GetMapping
	String list(Company company, Model model) {
		List<SourceLine> sources = this.kinds.all()
			.stream()
			.map(source -> new SourceLine(source.kind(), source.name(), source.description(), source.page(),
					latest(company, source.kind())))
			.toList();
		model.addAttribute("company", company);
		model.addAttribute("sources", sources);
		model.addAttribute("history",
				this.runs.history(company.id(), null, HISTORY_SIZE).stream().map(this::line).toList());
		return "console/integrations";
	}

	@GetMapping("/csv")
	String csv(Company company, Model model) {
		model.addAttribute("company", company);
		model.addAttribute("settings", this.settings.get(company.id(), CSV));
		model.addAttribute("mappingsSaved", this.mappings.saved(company.id(), CSV).isPresent());
		model.addAttribute("active", this.runs.active(company.id(), CSV).map(this::line).orElse(null));
		model.addAttribute("history", this.runs.history(company.id(), CSV, 10).stream().map(this::line).toList());
		return "console/csv";
	}

	@PostMapping("/csv/settings")
	String saveSettings(Company company, Actor actor, @RequestParam(defaultValue = "never") String invitationPolicy,
			@RequestParam(defaultValue = "false") boolean assignManagers,
			@RequestParam(defaultValue = "false") boolean deactivateMissing, RedirectAttributes redirect) {
		try {
			this.settings.save(company.id(), CSV,
					new SourceSettings(InvitationPolicy.of(invitationPolicy), assignManagers,
							deactivateMissing),
					actor);
			Flash.good(redirect, "Saved the CSV import settings. They apply to the next preview or import.");
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, ex.getMessage());
		}
		return "redirect:" + CSV_PAGE;
	}

	/** Stores the file and starts a dry run of it: nothing changes until the admin applies the plan. */
	@PostMapping("/csv/upload")
	String upload(Company company, Actor actor, @RequestParam(required = false) MultipartFile file,
			@RequestParam(defaultValue = "false") boolean deactivateMissing, RedirectAttributes redirect)
			throws IOException {
		// A form sent without a chosen file still has the part, empty and without a name.
		if (file == null
				|| (file.isEmpty() && (file.getOriginalFilename() == null || file.getOriginalFilename().isBlank()))) {
			Flash.bad(redirect, "Choose a CSV file to upload first.");
			return "redirect:" + CSV_PAGE;
		}
		try {
			Uploads.Upload upload = this.uploads.store(company.id(), file.getOriginalFilename(), file.getBytes());
			SyncRun run = this.runs.start(company.id(), CSV, true, upload.id(),
					Map.of(SyncRun.DEACTIVATE_MISSING, deactivateMissing), actor);
			redirect.addFlashAttribute("upload", upload);
			return "redirect:/console/sync-runs/" + run.id();
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, fileProblem(file.getOriginalFilename(), ex.getMessage()));
			return "redirect:" + CSV_PAGE;
		}
	}

	private static String fileProblem(String filename, String message) {
		return (filename == null || filename.isBlank() ? "The file" : filename) + " was not imported: " + message;
	}

	private RunLine latest(Company company, String source) {
		return this.runs.history(company.id(), source, 1).stream().findFirst().map(this::line).orElse(null);
	}

	private RunLine line(SyncRun run) {
		return RunLine.of(run, this.kinds);
	}

}
