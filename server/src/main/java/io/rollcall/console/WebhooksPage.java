package io.rollcall.console;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import io.rollcall.company.Company;
import io.rollcall.events.EventType;
import io.rollcall.events.NewWebhookSecret;
import io.rollcall.events.WebhookDelivery;
import io.rollcall.events.WebhookEndpoint;
import io.rollcall.events.WebhookEndpoints;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.Assert;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The company's webhook endpoints: add one (its secret shown once), rotate its secret, turn it off and on, delete it,
 * send a test event; and an endpoint's deliveries, each of which can be sent again, as can a time range.
 */
@Controller
@RequestMapping("/console/webhooks")
final class WebhooksPage {

	private static final String PAGE = "redirect:/console/webhooks";

	private final WebhookEndpoints endpoints;

	WebhooksPage(WebhookEndpoints endpoints) {
		Assert.notNull(endpoints, "endpoints cannot be null");
		this.endpoints = endpoints;
	}

	@GetMapping
	String list(Company company, Model model) {
		model.addAttribute("company", company);
		model.addAttribute("endpoints", this.endpoints.list(company.id()));
		model.addAttribute("eventTypes", Arrays.stream(EventType.values())
			.filter(t -> t != EventType.WEBHOOK_TEST)
			.map(EventType::dotted)
			.toList());
		return "console/webhooks";
	}

	// Secrets ride in the flash map only, for the one page view that follows.
	@PostMapping
	String create(Company company, @RequestParam(defaultValue = "") String url,
			@RequestParam(defaultValue = "") String description, @RequestParam(defaultValue = "") String eventTypes,
			Actor actor, RedirectAttributes redirect) {
		try {
			NewWebhookSecret created = this.endpoints.create(company.id(), url, description, types(eventTypes), actor);
			Flash.good(redirect, "Added the endpoint " + created.endpoint().url() + ".");
			redirect.addFlashAttribute("newSecret", created.secret());
			redirect.addFlashAttribute("newSecretUrl", created.endpoint().url());
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, ex.getMessage());
			redirect.addFlashAttribute("urlInput", url);
			redirect.addFlashAttribute("descriptionInput", description);
			redirect.addFlashAttribute("eventTypesInput", eventTypes);
		}
		return PAGE;
	}

	@PostMapping("/{id}/rotate")
	String rotate(Company company, @PathVariable UUID id, @RequestParam(defaultValue = "24") int windowHours,
			Actor actor,
			RedirectAttributes redirect) {
		try {
			NewWebhookSecret rotated = this.endpoints.rotateSecret(company.id(), id, Duration.ofHours(windowHours),
					actor);
			Flash.good(redirect,
					"Rotated: for " + windowHours + " hours each delivery is signed with the old and the new "
							+ "secret; give the new one to the receiver.");
			redirect.addFlashAttribute("newSecret", rotated.secret());
			redirect.addFlashAttribute("newSecretUrl", rotated.endpoint().url());
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, ex.getMessage());
		}
		return PAGE;
	}

	@PostMapping("/{id}/enabled")
	String enable(Company company, @PathVariable UUID id, @RequestParam boolean enabled, Actor actor,
			RedirectAttributes redirect) {
		try {
			WebhookEndpoint endpoint = this.endpoints.update(company.id(), id, null, null, null, enabled, actor);
			Flash.good(redirect,
					enabled ? "Enabled " + endpoint.url() + ": it gets what it missed, from where it stopped."
							: "Disabled " + endpoint.url() + ".");
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, ex.getMessage());
		}
		return PAGE;
	}

	@PostMapping("/{id}/delete")
	String delete(Company company, @PathVariable UUID id, Actor actor, RedirectAttributes redirect) {
		try {
			this.endpoints.delete(company.id(), id, actor);
			Flash.good(redirect, "Deleted the endpoint and its deliveries.");
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, ex.getMessage());
		}
		return PAGE;
	}

	@PostMapping("/{id}/test")
	String test(Company company, @PathVariable UUID id, Actor actor, RedirectAttributes redirect) {
		try {
			WebhookDelivery delivery = this.endpoints.sendTest(company.id(), id, actor);
			if (delivery.status().equals("delivered")) {
				Flash.good(redirect, "The test event was delivered: HTTP " + delivery.httpStatus() + " in "
						+ delivery.latencyMs() + " ms.");
			}
			else {
				Flash.bad(redirect, "The test event was not delivered: "
						+ (delivery.httpStatus() == null ? "" : "HTTP " + delivery.httpStatus() + ". ")
						+ delivery.answer());
			}
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, ex.getMessage());
		}
		return "redirect:/console/webhooks/" + id;
	}

	@GetMapping("/{id}")
	String deliveries(Company company, @PathVariable UUID id, @RequestParam(required = false) Long before,
			Model model) {
		List<WebhookDelivery> deliveries = this.endpoints.deliveries(company.id(), id, before, 100);
		model.addAttribute("company", company);
		model.addAttribute("endpoint", this.endpoints.get(company.id(), id));
		model.addAttribute("deliveries", deliveries);
		model.addAttribute("older", deliveries.size() == 100 ? deliveries.getLast().id() : null);
		return "console/webhook-deliveries";
	}

	@PostMapping("/{id}/deliveries/{deliveryId}/replay")
	String replay(Company company, @PathVariable UUID id, @PathVariable long deliveryId, Actor actor,
			RedirectAttributes redirect) {
		try {
			this.endpoints.replay(company.id(), id, deliveryId, actor);
			Flash.good(redirect, "The event is being sent again.");
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, ex.getMessage());
		}
		return "redirect:/console/webhooks/" + id;
	}

	/** The range is in the company's time zone, as the console shows times. */
	@PostMapping("/{id}/replays")
	String replayRange(Company company, @PathVariable UUID id, @RequestParam String from, @RequestParam String to,
			Actor actor, RedirectAttributes redirect) {
		try {
			ZoneId zone = ZoneId.of(company.defaultTimezone());
			int count = this.endpoints.replayRange(company.id(), id, instant(from, zone), instant(to, zone), actor);
			Flash.good(redirect,
					count == 0 ? "No event of that range is kept." : count + " events are being sent again.");
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, ex.getMessage());
		}
		return "redirect:/console/webhooks/" + id;
	}

	private static Instant instant(String local, ZoneId zone) {
		try {
			return LocalDateTime.parse(local).atZone(zone).toInstant();
		}
		catch (DateTimeParseException ex) {
			throw RequestRejectedException.invalid("from", "Give the range as dates and times, e.g. 2026-12-01T09:00");
		}
	}

	private static List<String> types(String eventTypes) {
		return Arrays.stream(eventTypes.split("[,\\s]+")).filter(t -> !t.isBlank()).toList();
	}

}
