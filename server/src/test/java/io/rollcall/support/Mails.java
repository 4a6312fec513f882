package io.rollcall.support;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;

/** Waits for and reads the e-mails GreenMail received. */
public final class Mails {

	private Mails() {
	}

	public static MimeMessage awaitTo(GreenMail mail, String recipient) throws Exception {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
		while (Instant.now().isBefore(deadline)) {
			MimeMessage[] all = mail.getReceivedMessages();
			for (int i = all.length - 1; i >= 0; i--) {
				if (Arrays.stream(all[i].getRecipients(Message.RecipientType.TO))
					.anyMatch(a -> a.toString().equalsIgnoreCase(recipient))) {
					return all[i];
				}
			}
			Thread.sleep(50);
		}
		throw new AssertionError("No e-mail to " + recipient + " arrived within 10 s");
	}

	public static long countTo(GreenMail mail, String recipient) throws Exception {
		long count = 0;
		for (MimeMessage message : mail.getReceivedMessages()) {
			if (Arrays.stream(message.getRecipients(Message.RecipientType.TO))
				.anyMatch(a -> a.toString().equalsIgnoreCase(recipient))) {
				count++;
			}
		}
		return count;
	}

	public static String body(MimeMessage message) {
		return GreenMailUtil.getBody(message).replace("=\r\n", "").replace("=3D", "=");
	}

	/** The invitation link in an invitation e-mail. */
	public static String invitationLink(MimeMessage message) {
		java.util.regex.Matcher matcher = java.util.regex.Pattern
			.compile("https?://[^\\s\"<]+/invitations/[A-Za-z0-9_-]+")
			.matcher(body(message));
		if (!matcher.find()) {
			throw new AssertionError("No invitation link in: " + body(message));
		}
		return matcher.group();
	}

}
