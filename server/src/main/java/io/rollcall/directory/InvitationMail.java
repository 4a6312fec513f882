package io.rollcall.directory;

import java.nio.charset.StandardCharsets;

import io.rollcall.company.Company;
import io.rollcall.platform.RollcallProperties;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

/** Writes and sends the invitation e-mail over SMTP. */
@Component
class InvitationMail {

	private final JavaMailSender mailSender;

	private final String from;

	InvitationMail(JavaMailSender mailSender, RollcallProperties properties) {
		this.mailSender = mailSender;
		this.from = properties.smtp().from();
	}

	/** Null when the server accepted the message, otherwise why it did not, in words an admin understands. */
	String send(Company company, Person person, String link, java.time.Instant expiresAt) {
		try {
			MimeMessage message = this.mailSender.createMimeMessage();
			MimeMessageHelper helper = new MimeMessageHelper(message, true, StandardCharsets.UTF_8.name());
			helper.setFrom(this.from);
			helper.setTo(person.email());
			helper.setSubject("You're invited to " + company.name() + " on Rollcall");
			String greeting = person.firstName() == null ? "Hello" : "Hello " + person.firstName();
			String days = java.time.Duration.between(java.time.Instant.now(), expiresAt).toDays() + " days";
			helper.setText("""
					%s,

					%s has invited you to Rollcall. Open this link to choose your password and sign in:

					%s

					The link works once and expires in %s. If it has expired, ask your admin for a new one.
					""".formatted(greeting, company.name(), link, days), """
					<p>%s,</p><p>%s has invited you to Rollcall.</p>
					<p><a href="%s">Choose your password and sign in</a></p>
					<p>The link works once and expires in %s. If it has expired, ask your admin for a new one.</p>
					""".formatted(HtmlUtils.htmlEscape(greeting), HtmlUtils.htmlEscape(company.name()),
					HtmlUtils.htmlEscape(link), days));
			this.mailSender.send(message);
			return null;
		}
		catch (MailException | MessagingException ex) {
			Throwable cause = ex;
			while (cause.getCause() != null) {
				cause = cause.getCause();
			}
			return "The mail server did not take the e-mail: " + cause.getMessage();
		}
	}

}
