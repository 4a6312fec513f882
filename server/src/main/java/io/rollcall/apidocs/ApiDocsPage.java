package io.rollcall.apidocs;

import io.rollcall.company.CurrentCompany;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The API's documentation page: the OpenAPI document shown by Swagger UI in the console's look. It holds no data, so
 * it opens without a key on any address; "Try it out" sends the credential given under Authorize.
 */
@Controller
final class ApiDocsPage {

	@GetMapping({ "/api/docs", "/api/docs/" })
	String docs(HttpServletRequest request, Model model) {
		model.addAttribute("company", CurrentCompany.of(request).orElse(null));
		return "apidocs/docs";
	}

}
