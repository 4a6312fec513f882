package io.rollcall.console;

import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.ui.Model;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The one-line message a console page shows after an action, and where the action sends the admin back to. */
final class Flash {

	// Only console pages: a crafted form must not be able to send an admin off-site.
	private static final Pattern CONSOLE_PATH = Pattern.compile("^/console(/[\\w/-]*)?(\\?[\\w%&=.+~@:,*!-]*)?$");

	private Flash() {
	}

	static void good(RedirectAttributes redirect, String message) {
		redirect.addFlashAttribute("flash", message);
	}

	static void bad(RedirectAttributes redirect, String message) {
		redirect.addFlashAttribute("flash", message);
		redirect.addFlashAttribute("flashBad", true);
	}

	/** For a page rendered again in the same response, e.g. a form with the values that were refused. */
	static void bad(Model model, String message) {
		model.addAttribute("flash", message);
		model.addAttribute("flashBad", true);
	}

	/** The page being shown, path and query, for its forms to come back to. */
	static String here(HttpServletRequest request) {
		String query = request.getQueryString();
		return request.getRequestURI() + ((query == null || query.isEmpty()) ? "" : "?" + query);
	}

	static String redirectBack(String from, String fallback) {
		return "redirect:" + ((from != null && CONSOLE_PATH.matcher(from).matches()) ? from : fallback);
	}

}
