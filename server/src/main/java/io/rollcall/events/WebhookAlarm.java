package io.rollcall.events;

import java.util.List;
import java.util.UUID;

import io.rollcall.platform.RollcallProperties;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/** Tells a company's owners and admins by e-mail that one of its endpoints was disabled, and why. */
@Component
class WebhookAlarm {

	private static final Logger log = LoggerFactory.getLogger(WebhookAlarm.class);

	private final JavaMailSender mail;

	private final ObjectProvider<WebhookAlarmRecipients> recipients;

	private final String from;

	WebhookAlarm(JavaMailSender mail, ObjectProvider<WebhookAlarmRecipients> recipients,
			RollcallProperties properties) {
		this.mail = mail;
		this.recipients = recipients;
		this.from = properties.smtp().from();
	}

	void endpointDisabled(UUID companyId, String url, String reason) {
		List<String> to = this.recipients.stream().flatMap(r -> r.emails(companyId).stream()).distinct().toList();
		if (to.isEmpty()) {
			return;
		}
		try {
			MimeMessage message = this.mail.createMimeMessage();
			MimeMessageHelper helper = new MimeMessageHelper(message, false, "UTF-8");
			helper.setFrom(this.from);
			helper.setTo(to.toArray(String[]::new));
			helper.setSubject("Rollcall stopped sending webhooks to " + url);
			helper.setText("""
					Rollcall has disabled the webhook endpoint %s: %s

					Events are kept: once the receiver works again, enable the endpoint in the console (Webhooks) and
					Rollcall sends what it missed, from where it stopped.
					""".formatted(url, reason));
			this.mail.send(message);
		}
		catch (Exception ex) {
			// The endpoint is disabled either way, and the console says why.
			log.warn("Could not e-mail the admins of company {} that a webhook endpoint was disabled: {}", companyId,
					ex.toString());
		}
	}

}
